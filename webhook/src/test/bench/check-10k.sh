#!/usr/bin/env bash
# Benchmark (not a test): wall time of `check` on 10,000 generated documents (Pods, Deployments
# and SecretProviderClasses across 100 namespaces), JVM start included. Target: under 10 s.
#
#   webhook/src/test/bench/check-10k.sh [COUNT]
#
# Uses hyperfine when installed (apt-get install hyperfine), else /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
count="${1:-10000}"
jar=webhook/target/secrets-store-webhook.jar

if [[ ! -f "$jar" || ! -d webhook/target/test-classes/io/secretsstore/webhook/bench ]]; then
  mvn -B -q package -DskipTests
fi

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
java -cp webhook/target/test-classes io.secretsstore.webhook.bench.GenerateManifests "$dir" "$count"
echo "files: $(find "$dir" -name '*.yaml' | wc -l), bytes: $(du -sb "$dir" | cut -f1)"
echo "cores: $(nproc), $(java -version 2>&1 | head -1)"

# Exit code 1 is expected: one workload in twenty names a misspelled class.
java -jar "$jar" check "$dir" --output json > "$dir.json" || test $? -eq 1
echo "findings: $(grep -c '"rule"' "$dir.json"), $(grep -A12 '"summary"' "$dir.json" | tr -d ' \n')"
rm -f "$dir.json"

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs 5 -i \
    "java -jar $jar check $dir --output json > /dev/null"
else
  for i in 1 2 3; do
    /usr/bin/time -f "wall %e s, max RSS %M KB" \
      sh -c "java -jar $jar check $dir --output json > /dev/null || true"
  done
fi
