#!/usr/bin/env bash
# One review from body bytes to response bytes (ReviewBenchmark's cases), in thread CPU time and
# bytes allocated per review: the figures that hold on a busy shared machine, where JMH's wall
# time does not. Usage: webhook/src/test/bench/review-cpu.sh [reviews per round]
set -euo pipefail
cd "$(dirname "$0")/../../../.."
mvn -B -q -pl webhook test-compile
mvn -B -q -pl webhook dependency:build-classpath -Dmdep.outputFile="$PWD/webhook/target/bench-classpath.txt"
CP="webhook/target/test-classes:webhook/target/classes:$(cat webhook/target/bench-classpath.txt)"
exec java -Dproject.root=. -cp "$CP" io.secretsstore.webhook.server.ReviewCpuTime "$@"
