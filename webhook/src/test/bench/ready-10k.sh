#!/usr/bin/env bash
# Benchmark (not a test): time from `java -jar ... serve` to the first 200 on /readyz with
# 10,000 SecretProviderClasses, read from --manifests files or listed by an informer from
# fabric8's mock API server in another JVM. JVM start included. Target: 2 s.
#
#   webhook/src/test/bench/ready-10k.sh [manifests|api] [COUNT] [RUNS]
#
# JAR (default: webhook/target/secrets-store-webhook.jar), JAVA (default: java on PATH) and
# JAVA_OPTS choose the JVM. The default JAVA_OPTS are the chart's JAVA_TOOL_OPTIONS (values.yaml
# `jvm.*`) at its 384Mi limit, -XX:MaxRAM standing in for the cgroup. E.g. for an AOT cache:
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAVA_OPTS="-XX:AOTCache=app.aot" ...
#
# CDS=1 measures the image as shipped: the class-data-sharing archive is first recorded by the
# Dockerfile's own training RUN, read from the Dockerfile word for word (the image's /app jar and
# archive and /tmp/training/ mapped to this tree's), under JAVA_OPTS, and the server maps it with
# the Dockerfile ENTRYPOINT's flags. Without CDS, no archive but the JDK's own.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
mode="${1:-manifests}"
count="${2:-10000}"
runs="${3:-3}"
java="${JAVA:-java}"
opts="${JAVA_OPTS:--XX:MaxRAM=384m -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=50 -XX:+UseSerialGC -XX:SurvivorRatio=4 -XX:MetaspaceSize=64m -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000}"
jar="${JAR:-webhook/target/secrets-store-webhook.jar}"

if [[ ! -f "$jar" || ! -f webhook/target/test-classes/io/secretsstore/webhook/bench/GenerateClasses.class ]]; then
  mvn -B -q package -DskipTests
fi
dir="$(mktemp -d)"
api=""
server=""
trap 'kill $api $server 2>/dev/null || true; rm -rf "$dir"' EXIT

if [[ "$mode" == manifests ]]; then
  java -cp webhook/target/test-classes io.secretsstore.webhook.bench.GenerateClasses "$dir/classes" "$count"
  source_args=(--manifests "$dir/classes")
else
  mvn -B -q -pl webhook dependency:build-classpath -Dmdep.outputFile="$dir/classpath" -Dmdep.includeScope=test
  cp="webhook/target/test-classes:webhook/target/classes:$(cat "$dir/classpath")"
  java -Xmx1g -cp "$cp" io.secretsstore.webhook.bench.UsageApiServer "$dir" "$count" 0 > "$dir/api.log" 2>&1 &
  api=$!
  until grep -q READY "$dir/api.log"; do kill -0 $api; sleep 0.5; done
  # A running API server has long served lists; the mock's JVM has not. Warm it up with the
  # informer's requests (pages of 500, gzip accepted) so the first run does not pay its JIT.
  url="$(sed -n 's/^ *server: //p' "$dir/kubeconfig")"
  for pass in 1 2 3; do
    for from in $(seq 0 500 $((count - 1))); do
      curl -fsk --compressed -o /dev/null \
        "${url}apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasses?limit=500&continue=$from"
    done
  done
  source_args=(--kubeconfig "$dir/kubeconfig")
fi
# A serving pair made once, as cert-manager's Secret is mounted for the chart's Deployment.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2> /dev/null
# An instruction of the Dockerfile as its JSON-array words, one per line, with the image's paths
# mapped to this tree's: the training RUN ("RUN") or the launch ("ENTRYPOINT").
dockerfile_words() {
  sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' Dockerfile \
    | grep -m1 "^$1 \\[\"/usr/bin/java\"" | grep -o '"[^"]*"' | tr -d '"' | tail -n +2 \
    | sed -e "s|^/app/secrets-store-webhook.jar\$|$jar|" -e "s|/app/secrets-store-webhook.jsa|$dir/app.jsa|" \
      -e "s|^/tmp/training/\$|$PWD/test-manifests/|"
}
cds_flags=()
if [[ "${CDS:-0}" == 1 ]]; then
  mapfile -t training < <(dockerfile_words RUN)
  # shellcheck disable=SC2086
  "$java" $opts "${training[@]}" > "$dir/training.log" 2>&1 || { cat "$dir/training.log"; exit 1; }
  mapfile -t launch < <(dockerfile_words ENTRYPOINT)
  for word in "${launch[@]}"; do [[ "$word" == -jar ]] && break; cds_flags+=("$word"); done
  # -Xshare:on fails where -Xshare:auto would quietly start without the archive.
  # shellcheck disable=SC2086
  "$java" $opts -Xshare:on -XX:SharedArchiveFile="$dir/app.jsa" -cp "$jar" -version > /dev/null 2>&1 \
    || { echo "the trained archive does not map: $("$java" $opts -Xshare:on -XX:SharedArchiveFile="$dir/app.jsa" -cp "$jar" -version 2>&1 | head -3)"; exit 1; }
  echo "CDS: $(( $(stat -c %s "$dir/app.jsa") / 1048576 )) MiB archive trained by the Dockerfile's RUN: java ${training[*]}; served with ${cds_flags[*]}"
fi
echo "$mode, $count classes; $("$java" -version 2>&1 | head -1); $opts; cores: $(nproc)"

cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }
for run in $(seq 1 "$runs"); do
  : > "$dir/serve.log"
  [[ -n "$api" ]] && api_before=$(cpu_ms $api)
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  "$java" $opts "${cds_flags[@]}" -jar "$jar" serve --host 127.0.0.1 --port 0 --metrics-port 0 \
    --tls-cert "$dir/tls.crt" --tls-key "$dir/tls.key" "${source_args[@]}" > "$dir/serve.log" 2>&1 &
  server=$!
  port=""
  until [[ -n "$port" ]] && curl -fs "http://127.0.0.1:$port/readyz" > /dev/null; do
    kill -0 $server 2> /dev/null || { cat "$dir/serve.log"; exit 1; }
    port="$(sed -n 's|.*/metrics on http://127.0.0.1:\([0-9]*\).*|\1|p' "$dir/serve.log")"
    sleep 0.02
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  # CPU time too: on a machine that other work shares, wall time tracks the free cores.
  cpu=$(cpu_ms $server)
  # The mock API server shares the cores: its CPU over the same span.
  mock=""
  [[ -n "$api" ]] && mock=", mock API server $(( $(cpu_ms $api) - api_before )) ms"
  echo "run $run: ready in $ready ms, $cpu ms of CPU$mock"
  grep -hE "synced|read from|Warmed up|Class view" "$dir/serve.log" | sed 's/^/  /'
  # The phases, in ms from launch (less sensitive to a busy machine than the total): when the
  # class informer started listing, when its list was in, when the HTTPS port listened.
  at() {
    local stamp
    stamp="$(grep -m1 -hE "$1" "$dir/serve.log" | cut -d' ' -f1)"
    [[ -n "$stamp" ]] && echo $(( ($(date -d "$stamp" +%s%N) - start) / 1000000 )) || echo "-"
  }
  if [[ "$mode" == manifests ]]; then
    echo "  phases: classes read $(at 'SecretProviderClass\(es\) read from'), rules warmed $(at 'Warmed up the rule engine'), TLS warmed $(at 'Warmed up TLS'), listening $(at 'Serving /validate'), ready $ready"
  else
    echo "  phases: informer started $(at 'Watching secretproviderclasses'), list in $(at 'SecretProviderClass view synced'), listening $(at 'Serving /validate'), ready $ready"
  fi
  kill $server
  wait $server 2> /dev/null || true
  server=""
done
