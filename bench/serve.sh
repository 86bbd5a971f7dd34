#!/usr/bin/env bash
# mesh serve against bin/mesh, as users run them (separate JVMs): a quickstart product run through the API (queued,
# followed to its end) against `bin/mesh run` of the same product; catalog and run-status requests per second with
# 50 clients and their p50/p99 latency; the server's resident memory as RUNS runs go by. Writes bench/out/serve.csv.
#   bench/serve.sh [SCALE_FACTOR=0.01] [ROUNDS=5] [RUNS=200]
set -euo pipefail
cd "$(dirname "$0")/.."
exec "$(dirname "$0")/java.sh" dev.mesh.bench.ServeBench "$@"
