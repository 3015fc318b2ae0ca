package io.lakestream.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be serialized or deserialized because the schema registry failed; the message names the
 * registry and what to check. A {@link SerializationException}, so Kafka Streams' handlers treat it as such.
 */
public final class RegistryException extends SerializationException {

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
