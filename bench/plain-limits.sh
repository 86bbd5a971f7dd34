#!/usr/bin/env bash
# This machine's limit for the line items product's one pass: the same CSV read, parsed strictly and written as
# Parquet by plain Java code on two threads, against Spark's own read and write, the platform's forced run (its write
# stage) and the hand-written job, in turns. Writes bench/out/plain-limits.csv.
#   bench/plain-limits.sh [SF=1] [ROUNDS=2]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.mesh.bench.PlainLimitsBench "$@"
