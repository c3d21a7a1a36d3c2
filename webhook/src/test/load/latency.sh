# Sourced by the load scripts: latency figures of an h2load --log-file (one line a request: its
# start in µs since the epoch, its status, its duration in µs).

# p50/p99/p99.9/max of an h2load --log-file, for requests that started FROM µs after the first.
percentiles() {
  awk -F'\t' -v from="$2" 'NR == 1 || $1 < first { first = $1 } { s[NR] = $1; d[NR] = $3 }
    END { for (i = 1; i <= NR; i++) if (s[i] - first >= from) print d[i] }' "$1" | sort -n | awk '
    { d[NR] = $1 }
    function pct(p) { i = int(p * NR / 100); if (i < 1) i = 1; if (i < p * NR / 100) i++; return d[i] / 1000 }
    END { printf "%d requests: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
          NR, pct(50), pct(99), pct(99.9), d[NR] / 1000 }'
}
# The p99 of each whole WINDOW seconds of an h2load --log-file, from its first request: one figure
# over the run hides how far it swings from window to window, the bare server's too, on a host
# that other tenants share.
windows() {
  awk -F'\t' -v w="$2" 'NR == 1 || $1 < first { first = $1 } { s[NR] = $1; d[NR] = $3 }
    END { for (i = 1; i <= NR; i++) print int((s[i] - first) / (w * 1e6)), d[i] }' "$1" \
    | sort -k1,1n -k2,2n | awk '
    { if ($1 != k && n) { emit() } k = $1; d[++n] = $2 }
    function emit() { i = int(0.99 * n); if (i < 0.99 * n) i++; v[++m] = sprintf("%.2f", d[i] / 1000); c[m] = n; n = 0 }
    END { emit(); if (m > 1 && c[m] < c[m - 1] / 2) m--  # the stragglers after the last window
          for (j = 1; j <= m; j++) line = line " " v[j]; print line " ms" }'
}
# serve's own histogram of /validate (secrets_store_webhook_request_duration_seconds: from the
# request's headers at the handler to its answer), one "bound count" line a bucket, cumulative.
server_buckets() {
  curl -fsS "$1" | sed -n 's/^secrets_store_webhook_request_duration_seconds_bucket{endpoint="validate",le="\([^"]*\)"} \([0-9]*\)$/\1 \2/p'
}
# The share of the reviews between two server_buckets snapshots that serve answered within each
# bound: where the client sees a tail that the server's own clock does not, the time went to the
# network stack, the scheduler or the client, not to the review.
server_shares() {
  paste -d' ' "$1" "$2" | awk '$1 != "+Inf" { b[++n] = $1; c[n] = $4 - $2 } $1 == "+Inf" { total = $4 - $2 }
    END { if (total == 0) { print "no reviews"; exit }
          line = total " reviews;"
          for (i = 1; i <= n; i++) if (b[i] + 0 <= 0.01) line = line sprintf(" %.2f%% within %g ms,", 100 * c[i] / total, b[i] * 1000)
          sub(/,$/, "", line); print line }'
}
