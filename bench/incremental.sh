#!/usr/bin/env bash
# What reading only new data saves: a merge product of TPC-H orders from 100 landing files and from a PostgreSQL
# table (embedded, started by the benchmark) read by a watermark; full rebuild against the run that finds 1% new data,
# in turns in one JVM and SparkSession; prints the median of each.
#   bench/incremental.sh [SCALE_FACTOR=0.1] [ROUNDS=3] [KINDS=files-merge,files-append,jdbc-merge]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.mesh.bench.IncrementalBench "$@"
