# Sourced by the load scripts: builds the jar if needed, starts `serve` on the embedded default
# with a self-signed certificate in a temporary directory, waits for /readyz, and stops it and
# removes the directory on exit. Needs $root and $port (the probes use $metrics_port, default
# $port + 1000); sets $work and $server_pid.
# Usage: serve_for_load [extra serve options...]   (environment for the JVM is inherited)

command -v h2load >/dev/null || { echo "h2load not found: apt-get install -y nghttp2-client" >&2; exit 2; }
jar="${JAR:-$root/webhook/target/secrets-store-webhook.jar}"
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

metrics_port="${METRICS_PORT:-$((port + 1000))}"

serve_for_load() {
  java -jar "$jar" serve --manifests "$root/test-manifests/" --port "$port" --host 127.0.0.1 \
    --metrics-port "$metrics_port" --self-signed-dir "$work/certs" "$@" >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$metrics_port/readyz" >/dev/null 2>&1; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$metrics_port/readyz" >/dev/null
  # On a shared machine the figure means little without this.
  echo "cores: $(nproc), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
}
