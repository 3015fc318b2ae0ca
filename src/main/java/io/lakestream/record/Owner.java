package io.lakestream.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Which application wrote a record of a topic that a pipeline names ({@code <pipeline>.normalized},
 * {@code <pipeline>.<aggregation>}). Such a topic outlives an application id: a redeploy under a new id reads it from
 * the beginning, and another application with a pipeline of the same name writes into it. An application reads
 * only the records it wrote, recognised by an 8-byte fingerprint of its application id (the first bytes of its
 * SHA-256): in the {@link SourceHeader} of a normalized record, in the {@link #HEADER} of an aggregation result.
 */
public final class Owner {

    /** Header of an aggregation result: the fingerprint of the application that computed it. */
    public static final String HEADER = "lakestream.owner";
    static final int SIZE = 8;

    private Owner() {
    }

    /** The fingerprint of {@code applicationId}. */
    public static byte[] of(String applicationId) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256")
                    .digest(applicationId.getBytes(StandardCharsets.UTF_8)), SIZE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Sets the {@link #HEADER} of a record to {@code owner}. */
    public static void stamp(Headers headers, byte[] owner) {
        headers.remove(HEADER);
        headers.add(HEADER, owner);
    }

    /**
     * True when the record's {@link #HEADER} names another application. A record without one was written before
     * results were stamped, by an application upgraded in place: it is read as its own, so an upgrade loses no
     * result in flight.
     */
    public static boolean foreign(Headers headers, byte[] owner) {
        Header h = headers.lastHeader(HEADER);
        return h != null && !Arrays.equals(h.value(), owner);
    }
}
