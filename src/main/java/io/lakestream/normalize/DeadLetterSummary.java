package io.lakestream.normalize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakestream.record.NormalizeOutcome;
import java.nio.charset.StandardCharsets;

/** The value of a dead letter written without its original bytes: where it came from and why, as JSON. */
final class DeadLetterSummary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterSummary() {
    }

    static byte[] json(String pipeline, NormalizeOutcome.DeadLetter dead) {
        ObjectNode n = JSON.createObjectNode();
        n.put("pipeline", pipeline);
        n.put("topic", dead.topic());
        n.put("partition", dead.partition());
        n.put("offset", dead.offset());
        n.put("timestamp", dead.kafkaTimestamp());
        n.put("error_class", dead.errorClass());
        n.put("error_message", dead.message());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }
}
