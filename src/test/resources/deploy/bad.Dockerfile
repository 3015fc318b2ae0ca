# Fixture for DeployArtifactsTest: an image the checks must reject.
FROM maven:3.9-eclipse-temurin-17 AS build
COPY . /build
RUN mvn -B -f /build/pom.xml package

FROM eclipse-temurin:latest
RUN mkdir -p /var/lib/lakestream
COPY --from=build /build/target/lakestream.jar /opt/lakestream/lakestream.jar
USER root
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/lakestream/lakestream.jar"]
