#!/usr/bin/env bash
# Benchmark (not a test): resident memory of `serve` watching 10,000 SecretProviderClasses and
# 50,000 SecretProviderClassPodStatus objects (the usage view behind spc-in-use), on fabric8's
# CRUD mock API server in another JVM, with the chart's JVM settings (heap at 50% of 384Mi, SerialGC).
#
#   webhook/src/test/bench/rss-usage.sh [CLASSES] [STATUSES]
#
# Prints VmRSS and VmHWM of the server once both views are synced, and the live heap after a
# full GC (jcmd).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
classes="${1:-10000}"
statuses="${2:-50000}"
jar=webhook/target/secrets-store-webhook.jar

if [[ ! -f "$jar" || ! -f webhook/target/test-classes/io/secretsstore/webhook/bench/UsageApiServer.class ]]; then
  mvn -B -q package -DskipTests
fi
dir="$(mktemp -d)"
cp_file="$dir/classpath"
mvn -B -q -pl webhook dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
cp="webhook/target/test-classes:webhook/target/classes:$(cat "$cp_file")"

: > "$dir/api.log"
java -Xmx1g -cp "$cp" io.secretsstore.webhook.bench.UsageApiServer "$dir" "$classes" "$statuses" \
  > "$dir/api.log" 2>&1 &
api=$!
trap 'kill $api ${server:-} 2>/dev/null || true; rm -rf "$dir"' EXIT
start=$(date +%s)
until grep -q READY "$dir/api.log"; do sleep 1; done
echo "mock API server filled in $(( $(date +%s) - start )) s: $classes classes, $statuses pod statuses"

start=$(date +%s)
: > "$dir/serve.log"
java -Xmx192m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -jar "$jar" serve --port 0 \
  --host 127.0.0.1 --kubeconfig "$dir/kubeconfig" --self-signed-dir "$dir/certs" \
  > "$dir/serve.log" 2>&1 &
server=$!
until grep -q "Usage view synced" "$dir/serve.log" && grep -q "SecretProviderClass view synced" "$dir/serve.log"; do
  if ! kill -0 $server 2>/dev/null; then cat "$dir/serve.log"; exit 1; fi
  sleep 1
done
echo "views synced in $(( $(date +%s) - start )) s:"
grep -h "view synced" "$dir/serve.log" | sed 's/^/  /'
grep -E "VmRSS|VmHWM" /proc/$server/status
jcmd $server GC.run > /dev/null
sleep 2
echo "after a full GC:"
jcmd $server GC.heap_info | grep -E "generation|Metaspace" | sed 's/^ */  /'
grep -E "VmRSS" /proc/$server/status
echo "event-loop blocked warnings: $(grep -c 'blocked for' "$dir/serve.log" || true)"
# Where they were blocked: the first frames of ours or of the fabric8 client.
grep -A40 'blocked for' "$dir/serve.log" \
  | grep -E 'Thread vert|io\.secretsstore|client\.(informers|dsl|impl)' | sort | uniq -c | head -12 || true
