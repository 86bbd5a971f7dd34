#!/usr/bin/env bash
# Scale: TPC-H line items as CSV (8 files) at each scale factor given, published by `bin/mesh run` as separate
# processes with the launcher's default heap, against the hand-written job (bench/product-vs-handwritten.sh) in a JVM
# of its own with the same heap and flags, each timed whole and its peak resident memory taken by /usr/bin/time -v.
# Round 1 is the product's first publication (and the hand-written job's first write); later rounds overwrite.
# Prints seconds per million rows and the ratio; appends to bench/out/scale.csv.
#   bench/scale.sh [SCALE_FACTORS="1 10"] [ROUNDS=1]      (SF 10: 7.7 GB of CSV, about 20 GB of disk in all)
set -euo pipefail
cd "$(dirname "$0")/.."
FACTORS="${1:-1 10}"; ROUNDS="${2:-1}"
mvn -q -DskipTests install
(cd jobs && mvn -q -o dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null)
CP="$PWD/jobs/target/test-classes:$PWD/jobs/target/classes:$(cat jobs/target/bench-classpath.txt)"
FLAGS="$(cat jobs/target/classes/mesh/java17-flags.txt)"
HEAP="${MESH_HEAP:--Xmx4g}"   # bin/mesh's default
mkdir -p bench/out
[ -f bench/out/scale.csv ] || echo "date,scale,rows,bytes,round,side,wall_s,peak_rss_mb,s_per_million_rows,status" \
  > bench/out/scale.csv
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mesh-scale.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# runs "$@" under /usr/bin/time -v; sets WALL (s) and PEAK (MB)
timed() {
  local log="$WORK/time.txt"
  /usr/bin/time -v -o "$log" "$@"
  WALL=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" \
    | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
  PEAK=$(( $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log") / 1024 ))
}

for SF in $FACTORS; do
  DIR="$WORK/sf$SF"
  echo "SF $SF: generating the line items" >&2
  INFO=$(cd jobs && java $FLAGS -cp "$CP" dev.mesh.bench.ScaleData "$SF" "$DIR")   # the example product, from ../examples
  ROWS=$(echo "$INFO" | sed -n 's/.*rows=\([0-9]*\).*/\1/p'); BYTES=$(echo "$INFO" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
  LANDING=$(echo "$INFO" | sed -n 's/.*landing=\([^ ]*\).*/\1/p')
  echo "SF $SF: $ROWS rows, $BYTES bytes of CSV" >&2
  MESH=(bin/mesh --platform "$DIR/mesh/platform.yaml")
  "${MESH[@]}" provision >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    timed "${MESH[@]}" run sales.lineitems --force --output json > "$WORK/run.json" 2> "$WORK/run.err" || true
    STATUS=$(grep -o '"status" *: *"[A-Z_]*"' "$WORK/run.json" | head -1 | sed 's/.*"\([A-Z_]*\)"$/\1/')
    MESH_WALL=$WALL; MESH_PEAK=$PEAK
    timed java $HEAP $FLAGS -Dlog4j2.configurationFile=conf/log4j2.properties -cp "$CP" \
      dev.mesh.bench.HandwrittenJob "$LANDING" "$DIR/hand" csv > /dev/null 2> "$WORK/hand.err"
    HAND_WALL=$WALL; HAND_PEAK=$PEAK
    for side in mesh hand; do
      if [ $side = mesh ]; then W=$MESH_WALL; P=$MESH_PEAK; S=${STATUS:-FAILED}; else W=$HAND_WALL; P=$HAND_PEAK; S=OK; fi
      PER=$(awk -v w="$W" -v r="$ROWS" 'BEGIN { printf "%.2f", w / (r / 1e6) }')
      echo "$(date -u +%F),$SF,$ROWS,$BYTES,$round,$side,$W,$P,$PER,$S" >> bench/out/scale.csv
    done
    awk -v sf="$SF" -v r="$round" -v mw="$MESH_WALL" -v mp="$MESH_PEAK" -v hw="$HAND_WALL" -v hp="$HAND_PEAK" \
      -v rows="$ROWS" -v st="${STATUS:-FAILED}" 'BEGIN { printf "SF %s round %s (%s): bin/mesh run %.1f s (%.2f s per million rows, peak RSS %d MB, %s), hand-written %.1f s (%.2f s per million rows, peak RSS %d MB), ratio %.2f\n", sf, r, r == 1 ? "first publication" : "overwrite", mw, mw / (rows / 1e6), mp, st, hw, hw / (rows / 1e6), hp, mw / hw }'
  done
  rm -rf "$DIR"
done
