#!/usr/bin/env bash
# The side-by-side benchmark against Cedar: checks that ram-policy and Cedar agree on every
# request of the generated workload, then times both (and ram-policy's reference evaluator)
# and prints markdown tables. Release build; Cedar is compiled only here, never by the root
# workspace. Options are passed on, e.g.:
#   benches/peers/run.sh                                   # 10, 100, 1,000, 10,000 statements
#   benches/peers/run.sh --sizes 10,100 --requests 10000   # a quick look
# See docs/PERFORMANCE.md, "Against Cedar".
set -euo pipefail
cd "$(dirname "$0")"
exec cargo run --release --quiet --locked --manifest-path Cargo.toml -- "$@"
