#!/usr/bin/env bash
# Benchmark of `ram-policy generate --actiontrail`: synthetic ActionTrail events (made by
# scripts/gen-actiontrail.py, deterministic by --seed) are written to a temporary directory and
# turned into a policy by the release CLI; wall time and peak memory (max RSS) come from
# `/usr/bin/time -v`. Prints one Markdown table row per run (see docs/PERFORMANCE.md).
#
# Usage: benches/generate-1m.sh [RUN...]   where RUN is EVENTS:DISTINCT
#        default: 100000:2000 1000000:2000 1000000:4000 1000000:50000 1000000:100000
# Set CARGO_TARGET_DIR to reuse a build; KEEP=1 keeps the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin ram-policy
bin="$target/release/ram-policy"
tmp=$(mktemp -d)
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$tmp"' EXIT; fi
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
  runs=(100000:2000 1000000:2000 1000000:4000 1000000:50000 1000000:100000)
fi
echo "Machine: $(nproc) cores; load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| events | --distinct | file size | distinct calls (summary) | policy chars | wall time | CPU (user+sys) | max RSS |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for run in "${runs[@]}"; do
  events=${run%%:*}
  distinct=${run##*:}
  input="$tmp/events-$events-$distinct.jsonl"
  python3 scripts/gen-actiontrail.py --events "$events" --seed 7 --distinct "$distinct" > "$input"
  /usr/bin/time -v -o "$tmp/time.txt" "$bin" generate --actiontrail "$input" \
    --summary-format json > "$tmp/policy.json" 2> "$tmp/summary.json"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/time.txt")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f s", u + s}' "$tmp/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  calls=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["distinct_calls"])' "$tmp/summary.json")
  chars=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sizes"][0])' "$tmp/summary.json")
  size=$(du -m "$input" | cut -f1)
  echo "| $events | $distinct | ${size} MB | $calls | $chars | $wall | $cpu | $((rss / 1024)) MB |"
  rm -f "$input"
done
