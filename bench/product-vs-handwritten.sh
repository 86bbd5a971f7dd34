#!/usr/bin/env bash
# Mesh against a hand-written Spark job doing the same work (ingest TPC-H line items from JSON lines, eight quality
# checks, a Delta publication, a run record), in turns in one JVM and SparkSession; prints each round with the
# product run's stage split and the median of each; writes the rounds to bench/out/product-vs-handwritten.csv.
#   bench/product-vs-handwritten.sh [SCALE_FACTOR=0.05] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests install
cd jobs
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx4g $(cat target/classes/mesh/java17-flags.txt) \
  -Dlog4j2.configurationFile=../conf/log4j2.properties \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.mesh.bench.ProductVsHandwrittenBench "$@"
