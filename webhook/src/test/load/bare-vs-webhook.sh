#!/usr/bin/env bash
# Benchmark (not a test): `serve` against a bare Vert.x TLS server (BareTlsServer: same TLS engine,
# certificate and cipher policy, a fixed answer) in the same run, over HTTP/2 with h2load. Each
# server is pinned to one core and h2load to the other (taskset), so the ratio is CPU per review.
# Needs a quiet machine: on a shared one the figures say little. Not run by CI.
#
# Needs: Java 17, Maven, curl, taskset (util-linux) and h2load (apt-get install -y nghttp2-client).
#
#   webhook/src/test/load/bare-vs-webhook.sh [REVIEW_JSON]
#
# Prints, for each server: time to ready (launch to /readyz, or to listening for the bare one),
# throughput and CPU per review (user + system time of the process over the run, divided by its
# requests) in each of ROUNDS measured runs after the warm-up and the medians, the latency
# percentiles at a constant RATE reviews/s on new connections (handshakes included, then
# without the first second, then the p99 of each WINDOW seconds), and RSS; then the throughput
# ratio webhook / bare and the CPU ratio bare / webhook (medians of ROUNDS); on a shared machine
# only the second means much.
#
# Each server is first warmed up with WARMUP requests, then WARMUP more at a time until its JIT
# compiler threads take under JIT_SETTLED % of its CPU (at most WARMUP_BATCHES times), so that the
# rounds measure the steady state. Each round line gives the JIT's share of the server's CPU, how
# busy h2load kept its own core (near 100%, the client set the pace) and how often it fell asleep
# waiting for answers (each time, the server's next write paid to wake it; see timed_h2).
#
# Tunables (environment): WARMUP (300000 requests per server at a time, not measured),
# WARMUP_BATCHES (5), JIT_SETTLED (2, in %), REQUESTS (300000 per measured run), ROUNDS (3),
# CLIENTS (16 connections), STREAMS (8 per connection), RATE (2000 reviews/s), RATE_SECONDS (30),
# WINDOW (5 seconds), SERVER_CPU (0), CLIENT_CPU (1), TLS_ENGINE (auto|openssl|jdk, for both
# servers), PORT (18445; the bare server takes PORT+1, serve's probes PORT+1000), SERVE_ARGS
# (extra serve options; default "--queue-target-wait 2s --review-timeout 10s
# --max-concurrent-streams STREAMS": the first two so that a run measures the cost of each review
# rather than the load shedding that 128 streams in flight on one core can trigger; the last so that
# both servers take the same STREAMS per connection. serve announces 4 by default and the bare
# server Vert.x's 100: at h2load's 8, serve would read and answer 4 reviews per connection at a time
# where the bare server does 8, twice the reads, writes and client wake-ups per review for the same
# work, a different load rather than a different cost. STREAMS=4 compares both at serve's default
# instead).
set -euo pipefail

root="$(cd "$(dirname "$0")/../../../.." && pwd)"
body="${1:-$root/test-manifests/admission/pod-passes.json}"
warmup="${WARMUP:-300000}"
warmup_batches="${WARMUP_BATCHES:-5}"
jit_settled="${JIT_SETTLED:-2}"
requests="${REQUESTS:-300000}"
rounds="${ROUNDS:-3}"
clients="${CLIENTS:-16}"
streams="${STREAMS:-8}"
rate="${RATE:-2000}"
rate_seconds="${RATE_SECONDS:-30}"
window="${WINDOW:-5}"
server_cpu="${SERVER_CPU:-0}"
client_cpu="${CLIENT_CPU:-1}"
engine="${TLS_ENGINE:-auto}"

serve_args="${SERVE_ARGS:---queue-target-wait 2s --review-timeout 10s --max-concurrent-streams $streams}"
port="${PORT:-18445}"
bare_port=$((port + 1))
metrics_port=$((port + 1000))

for tool in h2load taskset curl; do
  command -v "$tool" >/dev/null || { echo "$tool not found (h2load: apt-get install -y nghttp2-client)" >&2; exit 2; }
done
[ -f "$body" ] || { echo "no such review file: $body" >&2; exit 2; }
jar="$root/webhook/target/secrets-store-webhook.jar"
classes="$root/webhook/target/test-classes"
if [ ! -f "$jar" ] || [ ! -f "$classes/io/secretsstore/webhook/bench/BareTlsServer.class" ]; then
  (cd "$root" && mvn -B -q -pl webhook package -DskipTests)
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss() { awk '/^VmRSS|^VmHWM/ { printf "%s %d MiB  ", $1, $2 / 1024 }' "/proc/$1/status"; }

echo "cores: $(nproc), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "servers on CPU $server_cpu, h2load on CPU $client_cpu; TLS engine: $engine"

start=$(now_ms)
# shellcheck disable=SC2086
taskset -c "$server_cpu" java -jar "$jar" serve --manifests "$root/test-manifests/" \
  --host 127.0.0.1 --port "$port" --metrics-port "$metrics_port" --event-loops 1 \
  --self-signed-dir "$work/certs" --tls-engine "$engine" $serve_args >"$work/webhook.log" 2>&1 &
webhook_pid=$!
pids+=("$webhook_pid")
until curl -fsS "http://127.0.0.1:$metrics_port/readyz" >/dev/null 2>&1; do
  kill -0 "$webhook_pid" 2>/dev/null || { cat "$work/webhook.log" >&2; exit 1; }
  sleep 0.02
done
webhook_ready=$(( $(now_ms) - start ))
grep -h "TLS engine" "$work/webhook.log" || true

start=$(now_ms)
taskset -c "$server_cpu" java -cp "$jar:$classes" io.secretsstore.webhook.bench.BareTlsServer \
  "$bare_port" "$work/certs/tls.crt" "$work/certs/tls.key" "$engine" >"$work/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
until grep -q '^READY' "$work/bare.log"; do
  kill -0 "$bare_pid" 2>/dev/null || { cat "$work/bare.log" >&2; exit 1; }
  sleep 0.02
done
bare_ready=$(( $(now_ms) - start ))

url() { if [ "$1" = bare ]; then echo "https://localhost:$bare_port/validate"; else echo "https://localhost:$port/validate"; fi; }
h2_command=(taskset -c "$client_cpu" h2load --header 'content-type: application/json' --data "$body")
h2() { "${h2_command[@]}" "$@"; }
# h2 with h2load's user and system CPU, wall time and voluntary context switches written to
# $work/client.time. Each voluntary switch is h2load going to sleep with every stream waiting, and
# the server's next write then wakes it: on loopback the sender pays for that wake-up, so a
# server that keeps h2load busy pays less per review than one that lets it sleep. The switches
# need GNU time (/usr/bin/time, Debian package time); without it they read "-".
timed_h2() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -o "$work/client.time" -f '%U %S %e %w' "${h2_command[@]}" "$@"
  else
    { TIMEFORMAT='%U %S %R -'; time h2 "$@"; } 2>"$work/client.time"
  fi
}
# Fails the script unless h2load's output (in $2) says all $1 requests got a 2xx. A here-string,
# not a pipe: under pipefail, grep -q quitting at its match while echo still writes the lines
# after it fails the pipeline on SIGPIPE, and a run of all 2xx read as "not all".
all_2xx() {
  grep -q "status codes: $1 2xx" <<<"$2" || { echo "$2" >&2; echo "not all 2xx" >&2; exit 1; }
}
# The requests per second in h2load's output (in $1).
rate_of() { sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' <<<"$1"; }
# Requests per second of one h2load run; fails unless every request got a 2xx.
throughput() {
  local out
  # h2load's own CPU over its wall time too: near 100%, the client rather than the server set the
  # pace, and only the CPU per review compares the servers.
  out="$(timed_h2 -n "$requests" -c "$clients" -m "$streams" "$(url "$1")")"
  all_2xx "$requests" "$out"
  rate_of "$out"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# shellcheck source=webhook/src/test/load/latency.sh
source "$root/webhook/src/test/load/latency.sh"

declare -A runs=([bare]="" [webhook]="") cpu=([bare]="" [webhook]="") busy=([bare]="" [webhook]="") slept=([bare]="" [webhook]="") pid_of=([bare]="$bare_pid" [webhook]="$webhook_pid")
# CPU seconds (user + system) the process has used, in clock ticks: CPU per review is the figure
# that holds on a shared machine, where wall throughput follows what else runs on the core.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# The same for the JVM's JIT compiler threads alone: while they still compile, the process is not
# in its steady state, and its CPU per review counts compilation as well as reviews.
jit_ticks() {
  cat /proc/"$1"/task/*/stat 2>/dev/null | awk '/\((C1|C2) CompilerThre/ {
    sub(/^.*\) /, ""); split($0, f, " "); t += f[12] + f[13] } END { print t + 0 }'
}
# The share of a process's CPU between two readings that went to the JIT, in %.
jit_share() { awk -v a="$1" -v b="$2" -v ja="$3" -v jb="$4" 'BEGIN { printf "%.1f", (b > a ? 100 * (jb - ja) / (b - a) : 0) }'; }

# Warm-up: WARMUP requests, then more of the same until the JIT compilers take under
# JIT_SETTLED % of the server's CPU during one (at most WARMUP_BATCHES of them). A server with
# more code to compile takes longer to get there: on the 2-core development machine serve's C2 was
# still busy for 1.7 s of CPU in the second 300,000 (a fifth of the process's CPU, every one of
# those seconds on the core the reviews need), and that batch ran a quarter slower than the steady
# state the ratio is about.
for name in bare webhook; do
  [ "$warmup" -gt 0 ] || break
  done_requests=0
  while :; do
    before="$(ticks "${pid_of[$name]}")" jit_before="$(jit_ticks "${pid_of[$name]}")"
    out="$(h2 -n "$warmup" -c "$clients" -m "$streams" "$(url "$name")")"
    all_2xx "$warmup" "$out"
    done_requests=$((done_requests + warmup))
    share="$(jit_share "$before" "$(ticks "${pid_of[$name]}")" "$jit_before" "$(jit_ticks "${pid_of[$name]}")")"
    echo "== warm-up of $name: $done_requests requests (not measured), $(rate_of "$out") reviews/s, JIT $share% of its CPU"
    awk -v s="$share" -v t="$jit_settled" 'BEGIN { exit !(s < t) }' && break
    [ $((done_requests / warmup)) -lt "$warmup_batches" ] || { echo "   (the JIT has not settled within WARMUP_BATCHES=$warmup_batches: measuring anyway)"; break; }
  done
done
# Write syscalls the process has made: per review, how many answers leave in one write.
writes() { awk '/^syscw/ { print $2 }' "/proc/$1/io"; }
hz="$(getconf CLK_TCK)"
for round in $(seq 1 "$rounds"); do
  for name in bare webhook; do
    before="$(ticks "${pid_of[$name]}")" jit_before="$(jit_ticks "${pid_of[$name]}")"
    written="$(writes "${pid_of[$name]}")"
    r="$(throughput "$name")"
    after="$(ticks "${pid_of[$name]}")"
    us="$(awk -v a="$before" -v b="$after" -v n="$requests" -v hz="$hz" \
      'BEGIN { printf "%.1f", (b - a) / hz / n * 1e6 }')"
    jit="$(jit_share "$before" "$after" "$jit_before" "$(jit_ticks "${pid_of[$name]}")")"
    client="$(tail -1 "$work/client.time" | awk '{ printf "%.0f", ($3 > 0 ? 100 * ($1 + $2) / $3 : 0) }')"
    sleeps="$(tail -1 "$work/client.time" | awk -v n="$requests" '{ if ($4 == "-") print "-"; else printf "%.0f", 1000 * $4 / n }')"
    runs[$name]="${runs[$name]} $r"
    cpu[$name]="${cpu[$name]} $us"
    busy[$name]="${busy[$name]} $client"
    slept[$name]="${slept[$name]} $sleeps"
    per="$(awk -v a="$written" -v b="$(writes "${pid_of[$name]}")" -v n="$requests" \
      'BEGIN { printf "%.3f", (b - a) / n }')"
    echo "round $round, $name: $r reviews/s, $us µs of CPU per review (JIT $jit%), $per writes per review, h2load busy $client% and asleep $sleeps times per 1,000 reviews (-n $requests -c $clients -m $streams)"
  done
done

per_client=$(( (rate + clients - 1) / clients ))
for name in bare webhook; do
  echo "== $name at $((per_client * clients)) reviews/s for ${rate_seconds}s on $clients new connections"
  if [ "$name" = webhook ]; then server_buckets "http://127.0.0.1:$metrics_port/metrics" >"$work/buckets-before"; fi
  h2 -n $((per_client * clients * rate_seconds)) -c "$clients" -m "$streams" --rps "$per_client" \
    --log-file "$work/$name-rate.log" "$(url "$name")" | grep -E '^(status codes|time for connect):' || true
  echo "  from the first request (handshakes included): $(percentiles "$work/$name-rate.log" 0)"
  echo "  after the first second:                       $(percentiles "$work/$name-rate.log" 1000000)"
  printf '%-47s%s\n' "  p99 of each ${window}s window:" "$(windows "$work/$name-rate.log" "$window")"
  if [ "$name" = webhook ]; then
    server_buckets "http://127.0.0.1:$metrics_port/metrics" >"$work/buckets-after"
    printf '%-47s%s\n' "  in serve (its own histogram):" "$(server_shares "$work/buckets-before" "$work/buckets-after")"
  fi
done

echo "== summary"
bare_median="$(echo "${runs[bare]}" | median)"
webhook_median="$(echo "${runs[webhook]}" | median)"
echo "time to ready: bare ${bare_ready} ms, webhook ${webhook_ready} ms (launch to /readyz)"
echo "RSS after the run: bare $(rss "$bare_pid")"
echo "RSS after the run: webhook $(rss "$webhook_pid")"
echo "throughput (median of $rounds): bare $bare_median, webhook $webhook_median reviews/s"
awk -v w="$webhook_median" -v b="$bare_median" 'BEGIN { printf "ratio webhook / bare: %.3f\n", w / b }'
bare_cpu="$(echo "${cpu[bare]}" | median)"
webhook_cpu="$(echo "${cpu[webhook]}" | median)"
echo "CPU per review (median of $rounds): bare $bare_cpu µs, webhook $webhook_cpu µs"
awk -v w="$webhook_cpu" -v b="$bare_cpu" 'BEGIN { printf "CPU ratio bare / webhook: %.3f\n", b / w }'
bare_busy="$(echo "${busy[bare]}" | median)"
webhook_busy="$(echo "${busy[webhook]}" | median)"
echo "h2load busy (median of $rounds): bare rounds $bare_busy%, webhook rounds $webhook_busy%"
if [[ "${slept[bare]}" != *-* ]]; then
  echo "h2load asleep per 1,000 reviews (median of $rounds): bare rounds $(echo "${slept[bare]}" | median), webhook rounds $(echo "${slept[webhook]}" | median)"
fi
if [ "$bare_busy" -ge 95 ]; then
  echo "  h2load used all of its core in the bare server's rounds: the client set their pace, the"
  echo "  bare server had CPU to spare, and the throughput ratio overstates; the CPU ratio holds."
fi
