#!/usr/bin/env bash
# What the SLA evaluation after each run costs as the runs ledger grows (runs recorded one commit each, all inside
# the window): median of 5 evaluations at each size. Writes bench/out/sla-history.csv.
#   bench/sla-history.sh [SIZES="25 100 400 1600"]
set -euo pipefail
cd "$(dirname "$0")/.."
exec "$(dirname "$0")/java.sh" dev.mesh.bench.SlaHistoryBench ${1:-25 100 400 1600}
