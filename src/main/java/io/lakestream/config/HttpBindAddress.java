package io.lakestream.config;

import java.util.regex.Pattern;

/**
 * Reads {@code http.bind-address}: an IPv4 or IPv6 literal, or a host name resolved when the endpoints start. Checked
 * by shape only, so that {@code validate} stays offline.
 */
final class HttpBindAddress {

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
            + "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private HttpBindAddress() {
    }

    static String parse(YamlSection http, String key) {
        String value = http.string(key, HttpConfig.ALL_INTERFACES).trim();
        boolean digitsAndDots = value.matches("[\\d.]+");
        if (digitsAndDots ? IPV4.matcher(value).matches()
                : IPV6.matcher(value).matches() || HOST.matcher(value).matches()) {
            return value;
        }
        http.problem(key, "must be an interface address like 0.0.0.0 (all interfaces), 127.0.0.1, ::1 or a host"
                + " name, was " + YamlSection.quote(value));
        return HttpConfig.ALL_INTERFACES;
    }
}
