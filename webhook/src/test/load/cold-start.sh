#!/usr/bin/env bash
# Benchmark (not a test): the latency a freshly started `serve` gives an API server that sends it
# RATE reviews/s on new connections from the moment /readyz answers, as after every rollout.
# bare-vs-webhook.sh measures its constant rate on a server warmed by a million reviews; this one
# starts `serve --manifests test-manifests/` afresh for each run, under the chart's JVM settings
# (values.yaml jvm.*, -XX:MaxRAM=384m standing in for the limit), polls /readyz every 20 ms and
# starts h2load at once. Not run by CI; needs a quiet machine.
#
# Needs: Java 17, Maven, curl, taskset (util-linux) and h2load (apt-get install -y nghttp2-client).
#
#   webhook/src/test/load/cold-start.sh [REVIEW_JSON]
#
# Prints for each run the time to ready, the percentiles from the first request (handshakes
# included) and after the first second, and the p99 of each WINDOW seconds.
#
# Tunables (environment): RUNS (2), RATE (2000 reviews/s), RATE_SECONDS (30), CLIENTS (16
# connections), STREAMS (8 per connection), WINDOW (1 second), PORT (18447; probes PORT+1000),
# JAVA_OPTS (the chart's settings), ARCHIVE (a CDS archive to map, as the image does: made by
# `java -XX:ArchiveClassesAtExit=FILE -jar JAR train test-manifests/`), SERVER_CPUS (taskset list
# for serve; default: every core, as in a pod without a CPU limit), CLIENT_CPU (1), PRIOR (0: that
# many reviews posted on 2 connections before the run, to see what warming the transport up
# would buy, and how long it takes).
set -euo pipefail

root="$(cd "$(dirname "$0")/../../../.." && pwd)"
body="${1:-$root/test-manifests/admission/pod-passes.json}"
runs="${RUNS:-2}"
rate="${RATE:-2000}"
rate_seconds="${RATE_SECONDS:-30}"
clients="${CLIENTS:-16}"
streams="${STREAMS:-8}"
window="${WINDOW:-1}"
port="${PORT:-18447}"
metrics_port=$((port + 1000))
client_cpu="${CLIENT_CPU:-1}"
server_cpus="${SERVER_CPUS:-0-$(($(nproc) - 1))}"
prior="${PRIOR:-0}"
opts="${JAVA_OPTS:--XX:MaxRAM=384m -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=50 -XX:+UseSerialGC -XX:SurvivorRatio=4 -XX:MetaspaceSize=64m -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=1000 -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000}"

for tool in h2load taskset curl; do
  command -v "$tool" >/dev/null || { echo "$tool not found (h2load: apt-get install -y nghttp2-client)" >&2; exit 2; }
done
[ -f "$body" ] || { echo "no such review file: $body" >&2; exit 2; }
jar="$root/webhook/target/secrets-store-webhook.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -pl webhook package -DskipTests)
if [ -n "${ARCHIVE:-}" ]; then
  # -Xshare:auto would quietly start without an archive that does not map, and measure that.
  # shellcheck disable=SC2086
  java $opts -Xshare:on -XX:SharedArchiveFile="$ARCHIVE" -cp "$jar" -version >/dev/null 2>&1 \
    || { echo "ARCHIVE $ARCHIVE does not map under these JVM options" >&2; exit 2; }
  opts="$opts -Xshare:auto -XX:SharedArchiveFile=$ARCHIVE"
fi
# shellcheck source=webhook/src/test/load/latency.sh
source "$root/webhook/src/test/load/latency.sh"

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

h2() {
  taskset -c "$client_cpu" h2load --header 'content-type: application/json' --data "$body" "$@" \
    "https://localhost:$port/validate"
}
per_client=$(( (rate + clients - 1) / clients ))
echo "cores: $(nproc), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "serve on CPUs $server_cpus, h2load on CPU $client_cpu; JVM: $opts"
for run in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  taskset -c "$server_cpus" java $opts -jar "$jar" serve --manifests "$root/test-manifests/" \
    --host 127.0.0.1 --port "$port" --metrics-port "$metrics_port" \
    --self-signed-dir "$work/certs" >"$work/serve.log" 2>&1 &
  server=$!
  until curl -fsS "http://127.0.0.1:$metrics_port/readyz" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.02
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  warmed=""
  if [ "$prior" -gt 0 ]; then
    before=$(date +%s%N)
    out="$(h2 -n "$prior" -c 2 -m 4)"
    grep -q "status codes: $prior 2xx" <<<"$out" || { echo "$out" >&2; echo "not all prior reviews got a 2xx" >&2; exit 1; }
    warmed=", then $prior reviews posted in $(( ($(date +%s%N) - before) / 1000000 )) ms"
  fi
  rm -f "$work/rate.log"
  out="$(h2 -n $((per_client * clients * rate_seconds)) -c "$clients" -m "$streams" \
    --rps "$per_client" --log-file "$work/rate.log")"
  echo "run $run: ready in $ready ms$warmed; $((per_client * clients)) reviews/s for ${rate_seconds}s on $clients new connections: $(grep -E '^status codes:' <<<"$out")"
  echo "  from the first request (handshakes included): $(percentiles "$work/rate.log" 0)"
  echo "  after the first second:                       $(percentiles "$work/rate.log" 1000000)"
  printf '%-47s%s\n' "  p99 of each ${window}s window:" "$(windows "$work/rate.log" "$window")"
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
done
