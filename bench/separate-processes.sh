#!/usr/bin/env bash
# The steady state as separate processes: `bin/mesh run` of the line-items product (a JVM, a session, the run, its
# summary) against the hand-written job of bench/product-vs-handwritten.sh in a plain JVM of its own (same heap and
# flags), in turns, each timed whole from outside (the median of the rounds' ratios). The data and the product's
# table come from one warm-up round of that bench.
#   bench/separate-processes.sh [SCALE_FACTOR=1] [ROUNDS=3] [csv|json]
set -euo pipefail
cd "$(dirname "$0")/.."
SF="${1:-1}"; ROUNDS="${2:-3}"; FORMAT="${3:-csv}"
KEPT=$(MESH_BENCH_KEEP=1 bench/product-vs-handwritten.sh "$SF" 0 "$FORMAT" | tee /dev/stderr \
  | sed -n 's/^kept \([^ ]*\) .*/\1/p')
trap 'rm -rf "$KEPT"' EXIT
CP="jobs/target/test-classes:jobs/target/classes:$(cat jobs/target/bench-classpath.txt)"
FLAGS="$(cat jobs/target/classes/mesh/java17-flags.txt)"
MESH=(bin/mesh --platform "$KEPT/mesh/platform.yaml" run sales.lineitems --force)
HAND="java -Xmx4g $FLAGS -Dlog4j2.configurationFile=conf/log4j2.properties -cp $CP dev.mesh.bench.HandwrittenJob \
$KEPT/landing $KEPT/hand $FORMAT"
mkdir -p bench/out
: > bench/out/separate-processes.txt
# round 0 warms the file cache and is not counted; each later round runs the two in turn, timed from outside
for round in $(seq 0 "$ROUNDS"); do
  start=$(date +%s%N); "${MESH[@]}" >/dev/null 2>&1; mesh=$(( ($(date +%s%N) - start) / 1000000 ))
  start=$(date +%s%N); $HAND >/dev/null 2>&1; hand=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "round $round: bin/mesh run ${mesh} ms, hand-written job ${hand} ms$([ "$round" = 0 ] && echo ' (warm-up)')" \
    | tee -a bench/out/separate-processes.txt
done
grep -v warm-up bench/out/separate-processes.txt | awk '{ gsub(/,/, ""); print $5 / $9 }' | sort -g \
  | awk '{ r[NR] = $1 } END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
      printf "median ratio of %d rounds: %.2f\n", NR, m }' | tee -a bench/out/separate-processes.txt
