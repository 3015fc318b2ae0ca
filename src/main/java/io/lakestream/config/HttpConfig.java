package io.lakestream.config;

/** @param port port of /health and /metrics; 0 picks a free port (logged) */
public record HttpConfig(int port) {
}
