#!/usr/bin/env bash
# The portal on the example mesh in Debian's Chromium: the product page's time to first byte, first contentful paint
# and load, cold and warm, and its weight; screenshots of the catalog, a product page and a live run.
# Writes bench/out/portal.csv and bench/out/portal-*.png. Needs chromium and chromium-driver (apt).
#   bench/portal.sh [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_MODULE=server exec "$(dirname "$0")/java.sh" dev.mesh.server.bench.PortalBench "$@"
