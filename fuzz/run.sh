#!/usr/bin/env bash
# Runs the fuzz targets with cargo-fuzz (libFuzzer), one at a time.
#
#   fuzz/run.sh <target|all> <seconds>      e.g. fuzz/run.sh evaluate 600, fuzz/run.sh all 600
#
# Targets: parse_lint, resolve, evaluate, generate, explain (see docs/RELIABILITY.md). Needs the nightly toolchain;
# installs cargo-fuzz when it is missing. No sanitizer (the library forbids `unsafe`; without
# AddressSanitizer the targets run several times faster), one job, one worker. New
# corpus inputs go to fuzz/corpus/<target>/ (seeded from fuzz/seeds/<target>/), crash inputs to
# fuzz/artifacts/<target>/, libFuzzer's log to fuzz/logs/<target>.log; the last lines of the log
# (executions, coverage) are printed at the end. A crash makes the script exit non-zero: keep
# the input under tests/data/fuzz-regressions/<target>/ and fix the library.
#
# FUZZ_TIMEOUT (seconds, default 10) is libFuzzer's per-input limit, which counts wall-clock time:
# a fuzzer run with `nice` on a loaded machine can be starved past it by an input that takes a
# fraction of a second of CPU, so raise it there and replay any "timeout" input alone
# (fuzz/target/<triple>/release/<target> FILE) before calling it slow.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
targets=(parse_lint resolve evaluate generate explain)
usage() { echo "usage: fuzz/run.sh <${targets[*]// /|}|all> <seconds>" >&2; exit 2; }
[ $# -eq 2 ] || usage
which="$1"
seconds="$2"
[[ "$seconds" =~ ^[0-9]+$ ]] || usage
if [ "$which" = all ]; then
  selected=("${targets[@]}")
else
  [[ " ${targets[*]} " == *" $which "* ]] || usage
  selected=("$which")
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz/run.sh: the nightly toolchain is needed (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
status=0
for target in "${selected[@]}"; do
  corpus="$here/corpus/$target"
  artifacts="$here/artifacts/$target"
  logs="$here/logs/$target"
  mkdir -p "$corpus" "$artifacts" "$logs"
  dict=()
  [ -f "$here/dict/policy.dict" ] && dict=(-dict="$here/dict/policy.dict")
  echo "== $target for $seconds s"
  # libFuzzer with -jobs writes its output to fuzz-0.log in the current directory.
  (cd "$logs" && rm -f fuzz-0.log && cargo +nightly fuzz run --sanitizer none --fuzz-dir "$here" "$target" \
      "$corpus" "$here/seeds/$target" -- \
      -max_total_time="$seconds" -jobs=1 -workers=1 -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}") || status=$?
  cp "$logs/fuzz-0.log" "$here/logs/$target.log" 2>/dev/null || true
  tail -n 25 "$here/logs/$target.log" 2>/dev/null || true
  if compgen -G "$artifacts/*" >/dev/null; then
    echo "fuzz/run.sh: $target found crash inputs in $artifacts" >&2
    status=1
  fi
done
exit "$status"
