#!/usr/bin/env bash
# What quality rules cost as they grow: the line items product with 1, 10 and 50 checks, in turns, against the
# quality gate alone over the same rows in memory; prints the medians and the cost relative to one check; writes
# the rounds to bench/out/rule-scaling.csv.
#   bench/rule-scaling.sh [SCALE_FACTOR=0.2] [ROUNDS=3]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.mesh.bench.RuleScalingBench "$@"
