# syntax=docker/dockerfile:1
# The image the Helm chart runs (charts/secrets-store-webhook, image.repository):
#   docker build -t <registry>/secrets-store-webhook:0.1.0 .
# Build stage: the same Maven build as CI, without the tests (CI runs them).
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so a source change does not download them again.
COPY pom.xml .
COPY webhook/pom.xml webhook/
# go-offline misses a few plugin dependencies; the package step fetches those, so a miss here
# only costs cache, never the build.
RUN mvn -B -q -pl webhook dependency:go-offline || true
COPY webhook/ webhook/
# The jar carries the rules' examples from test-manifests/ (explain), and the build's training run
# checks them.
COPY test-manifests/ test-manifests/
RUN mvn -B -q package -DskipTests

# Runtime: distroless Java 17, no shell or package manager; "nonroot" is uid/gid 65532, which
# the chart's securityContext runs as (runAsNonRoot needs a numeric USER to verify).
FROM gcr.io/distroless/java17-debian12:nonroot
WORKDIR /app
COPY --from=build /src/webhook/target/secrets-store-webhook.jar /app/secrets-store-webhook.jar
# The default policy, for `serve --policy /app/policies/...` and `check`.
COPY policies/ /app/policies/
# JVM settings that fit a webhook in a 384 MiB container (the chart's defaults; see README,
# "Memory and JVM settings"): the heap is committed at start so reviews in flight are not
# promoted into a growing old generation, metaspace is sized so no full GC follows ready, and the
# C heap the JIT frees is handed back to the system (TrimNativeHeapInterval; MALLOC_ARENA_MAX), and
# C2 waits for ten times the default calls and loops (Tier4*Threshold) so that it does not take one
# of the two cores from the start (see the chart's values.yaml).
# ENV rather than ENTRYPOINT flags, so the chart's JAVA_TOOL_OPTIONS replaces them. Set before the
# training run, so that it records the archive under the settings the server runs with.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=50 -XX:+UseSerialGC -XX:SurvivorRatio=4 -XX:MetaspaceSize=64m -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=1000 -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000" \
    MALLOC_ARENA_MAX=2
# Class-data sharing: a training run records the classes a start loads into an archive that later
# starts map instead of loading and verifying them class by class (README, "Class-data sharing").
# `train` checks the examples, then serves them as --manifests with a self-signed pair on
# loopback, up to ready, posts one review to /validate and /mutate over HTTPS and HTTP/2, and
# stops: the archive holds the rules, the YAML and JSON readers, Vert.x, Netty, TLS and the HTTP/2
# server. It must be made by this image's own Java (an archive of another build is refused) for
# the jar at this path, at the chart's 384 MiB (-XX:MaxRAM: the builder's memory must not change
# the heap's pointer encoding, which the archive records). Root writes it (the run's user cannot
# write /app), read-only for everyone. webhook/src/test/bench/ready-10k.sh CDS=1 runs this very
# line, and TrainingIT runs it on the packaged jar.
COPY test-manifests/ /tmp/training/
USER 0
RUN ["/usr/bin/java", "-XX:MaxRAM=384m", "-XX:ArchiveClassesAtExit=/app/secrets-store-webhook.jsa", \
     "-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:cds=error:stderr", \
     "-jar", "/app/secrets-store-webhook.jar", "train", "/tmp/training/"]
USER 65532:65532
EXPOSE 8443
# -Xshare:auto: a JVM that cannot map the archive starts without it rather than failing.
ENTRYPOINT ["/usr/bin/java", "-Xshare:auto", "-XX:SharedArchiveFile=/app/secrets-store-webhook.jsa", "-jar", "/app/secrets-store-webhook.jar"]
CMD ["serve", "--port", "8443", "--tls-cert", "/certs/tls.crt", "--tls-key", "/certs/tls.key"]
