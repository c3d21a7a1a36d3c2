#!/usr/bin/env bash
# JMH benchmark of custom CEL rules: one admission review with 20 custom rules against none.
# Usage: webhook/src/test/bench/jmh-cel.sh [JMH options, e.g. -f 1 -wi 2 -i 3]
#        webhook/src/test/bench/jmh-cel.sh --cpu [reviews per round]
#          the same two cases in thread CPU time (CelRulesCpuTime), for a busy shared machine
set -euo pipefail
cd "$(dirname "$0")/../../../.."
mvn -B -q -pl webhook test-compile
mvn -B -q -pl webhook dependency:build-classpath -Dmdep.outputFile="$PWD/webhook/target/bench-classpath.txt"
CP="webhook/target/test-classes:webhook/target/classes:$(cat webhook/target/bench-classpath.txt)"
if [ "${1:-}" = "--cpu" ]; then
  shift
  exec java -Dproject.root=. -cp "$CP" io.secretsstore.webhook.bench.CelRulesCpuTime "$@"
fi
exec java -Dproject.root=. -cp "$CP" org.openjdk.jmh.Main CelRulesBenchmark "$@"
