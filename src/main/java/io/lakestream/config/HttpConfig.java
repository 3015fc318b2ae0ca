package io.lakestream.config;

/** @param port port of /health and /metrics; 0 disables the server */
public record HttpConfig(int port) {
}
