# syntax=docker/dockerfile:1
#
# lakestream container image: the production jar (target/lakestream.jar: linux x86-64/aarch64 natives, no
# embedded broker) on a JRE, as a non-root user, with a read-only root file system in mind.
#   docker build -t lakestream:local .
#   docker run --rm --read-only -v lakestream-state:/var/lib/lakestream \
#       -e KAFKA_BOOTSTRAP=... -e LAKE_STORE=s3 -e LAKE_BUCKET=... lakestream:local
# The environment the image expects is listed in deploy/ENVIRONMENT.md.
#
# Without access to a registry (CI): build the jar with Maven first, then take it instead of the build stage and
# put the runtime stage on a local JRE image (README, "Deploying"):
#   mvn -B -q -DskipTests package
#   podman build --build-arg JAR_FROM=prebuilt --build-arg RUNTIME_IMAGE=localhost/debian-jre:17 -t lakestream:local .

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
# Pinned: a JRE update is a deliberate, reviewed change (and a rebuild), not a side effect of a pull.
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.20_8-jre-noble
# Where the jar comes from: "build" (the build stage below) or "prebuilt" (target/lakestream.jar of the build
# context, made by `mvn package`). BuildKit and podman build only the stage that is used.
ARG JAR_FROM=build

FROM ${MAVEN_IMAGE} AS build
WORKDIR /build
# Dependencies first, in their own layer: it is rebuilt only when pom.xml changes, not on every
# source edit.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src/main ./src/main
COPY config ./config
COPY schemas ./schemas
# Tests run in CI, not in the image build; skipping their compilation keeps test-only jars
# (DuckDB, test kits) out of the build.
RUN mvn -B -q -Dmaven.test.skip=true package \
 && test -f target/lakestream.jar

FROM scratch AS prebuilt
COPY target/lakestream.jar /build/target/lakestream.jar

FROM ${JAR_FROM} AS jar

FROM ${RUNTIME_IMAGE}
ARG APP_UID=10001
# curl serves the HEALTHCHECK. It is installed only when the base lacks it (the Temurin base ships it today),
# so a later base that drops it keeps the health check working, and a base that has it needs no package mirror.
# hadolint ignore=DL3008
RUN if ! command -v curl > /dev/null; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid "${APP_UID}" lakestream \
 && useradd --system --uid "${APP_UID}" --gid "${APP_UID}" --home-dir /var/lib/lakestream \
      --no-create-home --shell /usr/sbin/nologin lakestream \
 && mkdir -p /opt/lakestream /etc/lakestream/tls /var/lib/lakestream \
 && chown "${APP_UID}:${APP_UID}" /var/lib/lakestream \
 && chmod 0750 /var/lib/lakestream

COPY --from=jar /build/target/lakestream.jar /opt/lakestream/lakestream.jar
# The repository's layout under /etc/lakestream: config/ and schemas/ side by side, so that a config's relative
# paths (schema: ../schemas/claim.avsc) mean in the image what they mean in the repository. Read-only for the app
# (owned by root); a deployment overrides them by mounting files over /etc/lakestream/config and
# /etc/lakestream/schemas, or through the environment.
COPY config/ /etc/lakestream/config/
COPY schemas/ /etc/lakestream/schemas/

# Relative folders of a config start at its own folder (/etc/lakestream/config, read-only): state, and the lake and
# registry folders of the local store and registry, go to the state volume instead.
ENV LAKESTREAM_STATE_DIR=/var/lib/lakestream \
    LAKE_DIR=/var/lib/lakestream/lake \
    REGISTRY_DIR=/var/lib/lakestream/registry \
    HTTP_PORT=8080

# Kafka Streams state (RocksDB). Losing it is safe: it is restored from the changelog topics, so a
# plain ephemeral volume is enough (ECS: a bind mount at this same path on the task ephemeral
# storage; matching this VOLUME path is what makes Fargate keep the ownership set above).
# It is also the JVM's temporary folder (natives of RocksDB, SQLite, Snappy, zstd and LZ4 are unpacked there),
# which lets the root file system be read-only.
VOLUME ["/var/lib/lakestream"]
WORKDIR /var/lib/lakestream
USER 10001:10001
EXPOSE 8080

# Liveness only: readiness (/health/ready) is false while state is restored, which can take longer
# than any sensible health-check budget and must not get the container killed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${HTTP_PORT}/health/live" > /dev/null || exit 1

# Exec form: the JVM is PID 1 and receives SIGTERM itself, so shutdown hooks close Kafka Streams
# cleanly (no half-written window). Give it time: compose stop_grace_period / ECS stopTimeout 120s.
# Memory: the heap takes half the container's memory; RocksDB's block cache and memtables are bounded by the
# config (ROCKSDB_MEMORY_MB, deploy/ENVIRONMENT.md); the rest is metaspace, threads, direct buffers and natives.
# -XX:-UsePerfData: the JVM would otherwise write /tmp/hsperfdata_*, on a read-only root file system.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", \
            "-Djava.io.tmpdir=/var/lib/lakestream", "-jar", "/opt/lakestream/lakestream.jar"]
CMD ["run", "--config", "/etc/lakestream/config/claims.yaml"]
