#!/usr/bin/env bash
# Mesh against a hand-written Spark job doing the same work (ingest TPC-H line items from JSON lines or CSV, eight quality
# checks, a Delta publication, a run record), in turns in one JVM and SparkSession; prints each round with the
# product run's stage split and the median of each; writes the rounds to bench/out/product-vs-handwritten.csv.
#   bench/product-vs-handwritten.sh [SCALE_FACTOR=0.05] [ROUNDS=3] [json|csv] [later|first]
# csv: eight files with a header line; first: each round is the product's first publication (its table removed
# first), to bench/out/product-vs-handwritten-first.csv
# MESH_BENCH_KEEP=1 keeps the generated mesh, to run the product alone afterwards (peak memory: /usr/bin/time -v).
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.mesh.bench.ProductVsHandwrittenBench "$@"
