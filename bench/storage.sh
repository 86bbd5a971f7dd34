#!/usr/bin/env bash
# The example mesh's quickstart on the local disk (file://) and on the local S3 server (s3a://, S3Proxy on loopback),
# one after the other from fresh folders, with their wall times. Build first: mvn -q -DskipTests package
#   bench/storage.sh [SCALE_FACTOR=0.01]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-0.01}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bin/mesh --platform examples/platform.yaml validate >/dev/null   # warm the launcher's class-data archive

start=$(date +%s%N)
bin/mesh --storage-root "$work/zones" quickstart --scale "$scale" > "$work/file.log" 2>&1
file_ms=$(( ($(date +%s%N) - start) / 1000000 ))

start=$(date +%s%N)
bin/mesh quickstart --storage s3 --s3-data "$work/s3" --scale "$scale" > "$work/s3.log" 2>&1
s3_ms=$(( ($(date +%s%N) - start) / 1000000 ))

grep -h "products:" "$work/file.log" "$work/s3.log"
echo "example mesh at SF $scale: file:// $((file_ms / 1000)).$(( (file_ms % 1000) / 100 )) s," \
  "s3a:// (S3Proxy on loopback) $((s3_ms / 1000)).$(( (s3_ms % 1000) / 100 )) s"
