#!/usr/bin/env bash
# Load figure for POST /validate on the embedded default, over HTTP/2 (TLS + ALPN), as the API
# server calls it. Not run by CI: it measures this machine, it does not test anything.
#
# Needs: Java 17, Maven, curl and h2load (Debian: apt-get install -y nghttp2-client).
#
# Usage (from anywhere):
#   webhook/src/test/load/h2load-validate.sh [REVIEW_JSON]
# Tunables (environment): REQUESTS (20000), CLIENTS (8), STREAMS (10 concurrent streams per
# client), WARMUP (60000 requests, not measured: C2 needs that many to compile the hot path), PORT (18443),
# EVENT_LOOPS (serve's default: one per CPU).
#
# It starts `serve --manifests test-manifests/` with a self-signed certificate, waits for
# /readyz, runs a warm-up and then the measured run, and prints h2load's summary plus the p50,
# p90, p99 and max latency computed from h2load's per-request log.
set -euo pipefail

root="$(cd "$(dirname "$0")/../../../.." && pwd)"
body="${1:-$root/test-manifests/admission/pod-passes.json}"
requests="${REQUESTS:-20000}"
clients="${CLIENTS:-8}"
streams="${STREAMS:-10}"
warmup="${WARMUP:-60000}"
port="${PORT:-18443}"

[ -f "$body" ] || { echo "no such review file: $body" >&2; exit 2; }
# shellcheck source=serve-for-load.sh
. "$(dirname "$0")/serve-for-load.sh"
serve_args=()
if [ -n "${EVENT_LOOPS:-}" ]; then serve_args+=(--event-loops "$EVENT_LOOPS"); fi
serve_for_load "${serve_args[@]}"
grep -v '^SLF4J' "$work/serve.log" || true
url="https://localhost:$port/validate"
h2() { h2load --header 'content-type: application/json' --data "$body" -c "$clients" -m "$streams" "$@" "$url"; }

echo "== warm-up: $warmup requests (not measured)"
h2 -n "$warmup" | grep -E '^(finished|requests|status codes):'

echo "== measured: -n $requests -c $clients -m $streams, body $(wc -c <"$body") bytes from ${body#"$root"/}"
h2 -n "$requests" --log-file "$work/requests.log" | tee "$work/summary.txt"

# h2load's log: start time (µs since the epoch), HTTP status, duration (µs), tab-separated.
awk -F'\t' '$2 != 200 { bad++ } END { if (bad) { print bad " request(s) were not HTTP 200"; exit 1 } }' "$work/requests.log"
cut -f3 "$work/requests.log" | sort -n | awk '
  { d[NR] = $1 }
  function pct(p) { i = int((p * NR + 99) / 100); return d[i] / 1000 }
  END { printf "latency over %d requests: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
        NR, pct(50), pct(90), pct(99), d[NR] / 1000 }'
