#!/usr/bin/env bash
# What reading only new data saves: a merge product of TPC-H orders from 100 landing files and from a PostgreSQL
# table (embedded, started by the benchmark) read by a watermark; full rebuild against the run that finds 1% new data,
# in turns in one JVM and SparkSession; prints the median of each.
#   bench/incremental.sh [SCALE_FACTOR=0.1] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests install
cd jobs
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx4g $(cat target/classes/mesh/java17-flags.txt) \
  -Dlog4j2.configurationFile=../conf/log4j2.properties \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.mesh.bench.IncrementalBench "$@"
