# syntax=docker/dockerfile:1
#
# lakestream container image: build the shaded jar with Maven, run it on a JRE as a non-root user.
#   docker build -t lakestream:local .
#   docker run --rm -e KAFKA_BOOTSTRAP=... -e LAKE_BUCKET=... lakestream:local
# The environment the image expects is listed in deploy/ENVIRONMENT.md.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
# Pinned: a JRE update is a deliberate, reviewed change (and a rebuild), not a side effect of a pull.
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.20_8-jre-noble

FROM ${MAVEN_IMAGE} AS build
WORKDIR /build
# Dependencies first, in their own layer: it is rebuilt only when pom.xml changes, not on every
# source edit.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src/main ./src/main
COPY schemas ./schemas
# Tests run in CI, not in the image build; skipping their compilation keeps test-only jars
# (DuckDB, test kits) out of the build.
RUN mvn -B -q -Dmaven.test.skip=true package \
 && test -f target/lakestream.jar

FROM ${RUNTIME_IMAGE}
ARG APP_UID=10001
# curl serves the HEALTHCHECK. The Temurin base ships it today; installing it explicitly keeps the
# health check working if a later base drops it.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid "${APP_UID}" lakestream \
 && useradd --system --uid "${APP_UID}" --gid "${APP_UID}" --home-dir /var/lib/lakestream \
      --no-create-home --shell /usr/sbin/nologin lakestream \
 && mkdir -p /opt/lakestream /etc/lakestream/tls /var/lib/lakestream \
 && chown "${APP_UID}:${APP_UID}" /var/lib/lakestream \
 && chmod 0750 /var/lib/lakestream

COPY --from=build /build/target/lakestream.jar /opt/lakestream/lakestream.jar
# Config and schemas are read-only for the app (owned by root); a deployment overrides them by
# mounting files over /etc/lakestream or through the environment.
COPY config/ /etc/lakestream/
COPY schemas/ /etc/lakestream/schemas/

ENV LAKESTREAM_STATE_DIR=/var/lib/lakestream \
    HTTP_PORT=8080

# Kafka Streams state (RocksDB). Losing it is safe: it is restored from the changelog topics, so a
# plain ephemeral volume is enough (ECS: a bind mount at this same path on the task ephemeral
# storage; matching this VOLUME path is what makes Fargate keep the ownership set above).
VOLUME ["/var/lib/lakestream"]
WORKDIR /etc/lakestream
USER 10001:10001
EXPOSE 8080

# Liveness only: readiness (/health/ready) is false while state is restored, which can take longer
# than any sensible health-check budget and must not get the container killed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${HTTP_PORT}/health/live" > /dev/null || exit 1

# Exec form: the JVM is PID 1 and receives SIGTERM itself, so shutdown hooks close Kafka Streams
# cleanly (no half-written window). Give it time: compose stop_grace_period / ECS stopTimeout 120s.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/lakestream/lakestream.jar"]
CMD ["run", "--config", "/etc/lakestream/claims.yaml"]
