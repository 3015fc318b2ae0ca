package io.lakestream.config;

/**
 * @param port        port of /health and /metrics; 0 picks a free port (logged)
 * @param bindAddress interface address to listen on; {@link #ALL_INTERFACES} (the default) suits containers, a
 *                    loopback or management address keeps the endpoints off other networks
 */
public record HttpConfig(int port, String bindAddress) {

    public static final String ALL_INTERFACES = "0.0.0.0";

    /** On all interfaces. */
    public HttpConfig(int port) {
        this(port, ALL_INTERFACES);
    }
}
