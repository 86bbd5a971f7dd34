#!/usr/bin/env bash
# What a landing file's identity costs: 100 files listed as a run lists them, on the local disk (SHA-256 of each) and on
# the local S3 server (the listing's ETags, no read), against the listing alone and against reading every file.
#   bench/landing-identity.sh [FILES=100] [KB_PER_FILE=1024] [ROUNDS=5]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.mesh.bench.LandingIdentityBench "$@"
