#!/usr/bin/env bash
# Benchmark (not a test): server CPU per full TLS handshake, by engine (BoringSSL, JDK), serving
# key (ECDSA P-256, RSA-2048) and protocol, both ends in memory. See HandshakeCost.
#
#   webhook/src/test/bench/handshake-cost.sh [HANDSHAKES]   (default 1000 per case)
set -euo pipefail
cd "$(dirname "$0")/../../../.."
mvn -B -q -pl webhook test-compile
mvn -B -q -pl webhook dependency:build-classpath -Dmdep.outputFile="$PWD/webhook/target/bench-classpath.txt"
CP="webhook/target/test-classes:webhook/target/classes:$(cat webhook/target/bench-classpath.txt)"
exec java -cp "$CP" io.secretsstore.webhook.bench.HandshakeCost "$@"
