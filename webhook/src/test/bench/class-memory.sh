#!/usr/bin/env bash
# Benchmark (not a test): what each SecretProviderClass costs `serve` in cluster mode, with the
# chart's JVM settings (values.yaml jvm.*) under -XX:MaxRAM=384m standing in for the limit.
# Runs the jar twice against fabric8's mock API server in another JVM (cluster.ListedClassesApiServer, classes with the managedFields and last-applied annotation of kubectl apply,
# listing in pages as a real API server does): with 100 classes and with CLASSES, and prints for
# each the live heap after a full GC (jcmd GC.run, then GC.heap_info), RSS, the full GCs after
# ready (-Xlog:gc), and the largest entries of jcmd GC.class_histogram; then the retained bytes
# per class, from the difference of the two live heaps.
#
#   webhook/src/test/bench/class-memory.sh [CLASSES (10000)]
# Environment: JAVA_EXTRA (appended to the chart's options, to compare others); JAR (another build);
# REVIEWS (0): after ready, that many reviews of a pod mounting a listed class with h2load
# (16 connections x 8 streams) before the figures, for RSS after load; NMT (set: with
# -XX:NativeMemoryTracking=summary, which itself costs some 4 MiB, it prints jcmd
# VM.native_memory's categories and /proc smaps_rollup, to see where RSS goes); KEEP (a
# directory to copy the runs' logs and histograms to).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
classes="${1:-10000}"
jar="${JAR:-webhook/target/secrets-store-webhook.jar}"
values=charts/secrets-store-webhook/values.yaml

if [[ ! -f "$jar" || ! -f webhook/target/test-classes/io/secretsstore/webhook/cluster/ListedClassesApiServer.class ]]; then
  mvn -B -q package -DskipTests
fi
dir="$(mktemp -d)"
api=""
server=""
trap 'kill $api $server 2>/dev/null || true; [ -z "${KEEP:-}" ] || cp -r "$dir" "$KEEP"; rm -rf "$dir"' EXIT
mvn -B -q -pl webhook dependency:build-classpath -Dmdep.outputFile="$dir/classpath" -Dmdep.includeScope=test
cp="webhook/target/test-classes:webhook/target/classes:$(cat "$dir/classpath")"
percent="$(sed -n 's/^  maxRAMPercentage: *//p' "$values")"
extra="$(sed -n 's/^  extraOptions: *"\(.*\)"/\1/p' "$values")"
arenas="$(sed -n '/name: MALLOC_ARENA_MAX/{n;s/^ *value: "\(.*\)"/\1/p}' \
  charts/secrets-store-webhook/templates/webhook-deployment.yaml)"
echo "cores: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# A pod mounting class-7 of namespace ns-7, judged against the listed classes.
review="$dir/review.json"
sed -e 's/"namespace": *"[^"]*"/"namespace": "ns-7"/g' -e 's/"secretProviderClass": *"[^"]*"/"secretProviderClass": "class-7"/' \
  test-manifests/admission/pod-passes.json > "$review"
echo "JVM: -XX:MaxRAMPercentage=$percent -XX:InitialRAMPercentage=$percent $extra -XX:MaxRAM=384m ${JAVA_EXTRA:-}; MALLOC_ARENA_MAX=$arenas"

# Prints "live-heap-kB" as the last line; details before it.
measure() {
  local n="$1" run="$dir/run-$1"
  mkdir -p "$run"
  java -Xmx1g -cp "$cp" io.secretsstore.webhook.cluster.ListedClassesApiServer "$run" "$n" > "$run/api.log" 2>&1 &
  api=$!
  until grep -q READY "$run/api.log"; do kill -0 $api || { cat "$run/api.log" >&2; exit 1; }; sleep 0.5; done
  local start
  start=$(date +%s%N)
  JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=$percent -XX:InitialRAMPercentage=$percent $extra -XX:MaxRAM=384m ${JAVA_EXTRA:-} ${NMT:+-XX:NativeMemoryTracking=summary} -Xlog:gc:file=$run/gc.log" \
    MALLOC_ARENA_MAX="$arenas" java -jar "$jar" serve --port 0 --host 127.0.0.1 --metrics-port 0 \
    --kubeconfig "$run/kubeconfig" --self-signed-dir "$run/certs" > "$run/serve.log" 2>&1 &
  server=$!
  until grep -q "SecretProviderClass view synced" "$run/serve.log"; do
    kill -0 $server 2>/dev/null || { cat "$run/serve.log" >&2; exit 1; }
    sleep 0.2
  done
  local ready_gc
  ready_gc=$(wc -l < "$run/gc.log")
  echo "== $n classes: view synced after $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2
  grep -h "view synced" "$run/serve.log" | sed 's/^/  /' >&2
  if [ "${REVIEWS:-0}" -gt 0 ] && [ "$n" != 100 ]; then
    local port
    port=$(sed -n 's|.*Serving /validate and /mutate on https://127.0.0.1:\([0-9]*\).*|\1|p' "$run/serve.log")
    echo "  h2load: $(h2load -n "$REVIEWS" -c 16 -m 8 --header 'content-type: application/json' \
      --data "$review" "https://127.0.0.1:$port/validate" | grep -E "^(status codes|requests|finished):|error|fail" | tr "\n" " ")" >&2
  fi
  sleep 5
  echo "  full GCs before ready: $(head -n "$ready_gc" "$run/gc.log" | grep -c 'Pause Full' || true)," \
    "after ready (5 s idle): $(tail -n +"$((ready_gc + 1))" "$run/gc.log" | grep -c 'Pause Full' || true)" >&2
  grep -E "VmRSS|VmHWM" /proc/$server/status | sed 's/^/  /' >&2
  if [ -n "${NMT:-}" ]; then
    grep -E "^(Rss|Anonymous|Private_Dirty)" /proc/$server/smaps_rollup | sed 's/^/  smaps_rollup: /' >&2
    jcmd $server VM.native_memory summary > "$run/nmt.txt"
    grep -E "^-|committed=" "$run/nmt.txt" | grep -E "^-|^Total" | sed 's/^/  /' >&2
  fi
  jcmd $server GC.class_histogram > "$run/histo.txt"
  echo "  largest classes by bytes (jcmd GC.class_histogram, a full GC first):" >&2
  sed -n '4,15p' "$run/histo.txt" >&2
  jcmd $server GC.heap_info | grep -E "generation|Metaspace" | sed 's/^ */  /' >&2
  grep -E "VmRSS" /proc/$server/status | sed 's/^/  after the full GC: /' >&2
  kill $server $api; wait $server $api 2>/dev/null || true
  server=""; api=""
  tail -1 "$run/histo.txt" | awk '{ print int($3 / 1024) }'
}
small=$(measure 100)
large=$(measure "$classes")
echo "live heap: ${small} kB at 100 classes, ${large} kB at $classes classes:" \
  "$(( (large - small) * 1024 / (classes - 100) )) bytes retained per class"
