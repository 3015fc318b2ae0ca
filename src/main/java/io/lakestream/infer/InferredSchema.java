package io.lakestream.infer;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An inferred Avro schema, the mapping from its fields to source paths, and the evidence: per-field notes and
 * the samples that could not be read.
 *
 * @param schema          the proposed record schema
 * @param fields          its fields in schema order, with source paths and notes
 * @param sampleCount     samples given, readable or not
 * @param rejectedSamples samples left out because they could not be read
 */
public record InferredSchema(Schema schema, List<InferredField> fields, int sampleCount,
                             List<RejectedSample> rejectedSamples) {

    public InferredSchema {
        fields = List.copyOf(fields);
        rejectedSamples = List.copyOf(rejectedSamples);
    }

    public int readableCount() {
        return sampleCount - rejectedSamples.size();
    }

    /** The schema as a pretty-printed {@code .avsc} document, ending in a newline. */
    public String toAvsc() {
        return SchemaFormatter.getInstance("json/pretty").format(schema) + "\n";
    }

    /**
     * Suggested record key: the first field whose name has an {@code id} word ({@code id}, {@code account_id},
     * {@code id_number}) and that has a scalar value in every readable sample.
     */
    public Optional<InferredField> suggestedKey() {
        return fields.stream()
                .filter(field -> Arrays.asList(field.name().split("_")).contains("id"))
                .filter(field -> field.presentCount() == readableCount())
                .filter(field -> isScalar(field.schema()))
                .findFirst();
    }

    /**
     * Suggested event time: the first top-level timestamp field, non-null even when some samples lack it (they are
     * dead letters); its {@code timeFormat} is the format.
     */
    public Optional<InferredField> suggestedEventTime() {
        return fields.stream()
                .filter(field -> field.timeFormat() != null && isScalar(field.schema()))
                .findFirst();
    }

    /**
     * YAML for a pipeline: {@code fields:} mapping every Avro field to its source path, preceded by commented
     * {@code key:} and {@code event-time:} suggestions. Paste it under a pipeline entry.
     *
     * @param indent spaces before every line, e.g. 4 to sit under {@code pipelines: - name: ...}
     */
    public String mappingStub(int indent) {
        return MappingStub.render(this, indent);
    }

    /** {@link #mappingStub(int)} without indentation. */
    public String mappingStub() {
        return mappingStub(0);
    }

    /** A plain-text report for people: fields, types, sources, notes and unreadable samples. */
    public String summary() {
        return MappingStub.summary(this);
    }

    private static boolean isScalar(Schema schema) {
        Schema type = schema;
        if (schema.getType() == Schema.Type.UNION) {
            type = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
        }
        return type.getType() != Schema.Type.ARRAY && type.getType() != Schema.Type.RECORD;
    }
}
