#!/usr/bin/env bash
# Runs one benchmark class of a module's tests (jobs, or BENCH_MODULE) on the build's classpath, with the Java 17
# flags Spark needs.
#   bench/java.sh CLASS [ARGS...]   (the other scripts here call it; BENCH_JAVA_OPTS: more JVM flags)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests install
cd "${BENCH_MODULE:-jobs}"
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx4g ${BENCH_JAVA_OPTS:-} $(cat ../jobs/target/classes/mesh/java17-flags.txt) \
  -Dlog4j2.configurationFile=../conf/log4j2.properties \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  "$@"
