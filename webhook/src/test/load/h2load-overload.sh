#!/usr/bin/env bash
# Overload figure: POST /validate flooded far past what the server can judge, over HTTP/2, with
# the chart's JVM settings under -XX:MaxRAM=384m. Shows that the server sheds what it cannot
# judge at once with 429 while the reviews it accepts keep a short latency, and that memory stays
# bounded. Not run by CI: it measures this machine, it does not test anything.
#
# Needs: Java 17, Maven, curl and h2load (Debian: apt-get install -y nghttp2-client).
#
# Usage: webhook/src/test/load/h2load-overload.sh [REVIEW_JSON]
# Tunables (environment): REQUESTS (100000), CLIENTS (16), STREAMS (32 per client; the server
# lets --max-concurrent-streams of them in per connection, 4 by default, and h2load holds the
# rest back and times each request from when it is sent; CLIENTS=128 STREAMS=4 puts 512 in the
# server), WARMUP (40000), PORT (18444), SERVE_ARGS (extra serve options, such as
# "--review-queue 128"), JAR (the jar to run, to compare builds; default: this tree's, built
# if missing).
set -euo pipefail

root="$(cd "$(dirname "$0")/../../../.." && pwd)"
body="${1:-$root/test-manifests/admission/pod-passes.json}"
requests="${REQUESTS:-100000}"
clients="${CLIENTS:-16}"
streams="${STREAMS:-32}"
warmup="${WARMUP:-40000}"
port="${PORT:-18444}"

# shellcheck source=serve-for-load.sh
. "$(dirname "$0")/serve-for-load.sh"
# The chart's JAVA_TOOL_OPTIONS (values.yaml jvm.*), with the cgroup limit stood in for.
percent="$(sed -n 's/^  maxRAMPercentage: *//p' "$root/charts/secrets-store-webhook/values.yaml")"
extra="$(sed -n 's/^  extraOptions: *"\(.*\)"/\1/p' "$root/charts/secrets-store-webhook/values.yaml")"
# JAVA_EXTRA (environment) is appended, to compare other flags under the same flood.
export JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=$percent -XX:InitialRAMPercentage=$percent $extra -XX:MaxRAM=384m ${JAVA_EXTRA:-} -Xlog:gc:file=$work/gc.log" MALLOC_ARENA_MAX=2
# shellcheck disable=SC2086
serve_for_load ${SERVE_ARGS:-}
url="https://localhost:$port/validate"
gc_at_ready="$(wc -l <"$work/gc.log")"
h2() { h2load --header 'content-type: application/json' --data "$body" "$@" "$url"; }
echo "== warm-up: $warmup requests at -c 8 -m 10 (not measured)"
h2 -n "$warmup" -c 8 -m 10 | grep -E '^(finished in|requests:|status codes:)'

echo "== flood: -n $requests -c $clients -m $streams"
h2 -n "$requests" -c "$clients" -m "$streams" --log-file "$work/requests.log" \
  | grep -E '^(finished in|requests:|status codes:)'

# h2load's log: start time (µs since the epoch), HTTP status, duration (µs), tab-separated.
for status in 200 429; do
  awk -F'\t' -v s="$status" '$2 == s { print $3 }' "$work/requests.log" | sort -n | awk -v s="$status" '
    { d[NR] = $1 }
    function pct(p) { i = int((p * NR + 99) / 100); return d[i] / 1000 }
    END { if (NR) printf "HTTP %s: %d requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
          s, NR, pct(50), pct(99), d[NR] / 1000 }'
done
awk -F'\t' '$2 != 200 && $2 != 429 { n[$2]++ } END { for (s in n) print "HTTP " s ": " n[s] " requests" }' \
  "$work/requests.log"
kill -0 "$server_pid" || { echo "the server died" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "full GCs: $(grep -c 'Pause Full' "$work/gc.log" || true) in all," \
  "$(tail -n +"$((gc_at_ready + 1))" "$work/gc.log" | grep -c 'Pause Full' || true) after ready;" \
  "young GCs after ready: $(tail -n +"$((gc_at_ready + 1))" "$work/gc.log" | grep -c 'Pause Young' || true)"
[ -z "${GC_LOG_COPY:-}" ] || cp "$work/gc.log" "$GC_LOG_COPY"
[ -z "${REQUEST_LOG_COPY:-}" ] || cp "$work/requests.log" "$REQUEST_LOG_COPY"
echo "server alive; peak RSS $(sed -n 's/^VmHWM:\s*//p' "/proc/$server_pid/status")"
