package io.lakestream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The logback configuration of a child JVM: one console appender, the levels named, everything else at WARN. */
public final class ChildLogback {

    private ChildLogback() {
    }

    /**
     * Writes the configuration to {@code file}.
     *
     * @param levels {@code "logger=LEVEL"} each, e.g. {@code "io.lakestream=INFO"}
     * @return the JVM option that makes the child read it
     */
    public static String write(Path file, String... levels) throws IOException {
        StringBuilder xml = new StringBuilder("""
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                """);
        for (String level : levels) {
            String[] nameAndLevel = level.split("=", 2);
            xml.append("  <logger name=\"").append(nameAndLevel[0]).append("\" level=\"").append(nameAndLevel[1])
                    .append("\"/>\n");
        }
        xml.append("  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>\n</configuration>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, xml);
        return "-Dlogback.configurationFile=" + file;
    }
}
