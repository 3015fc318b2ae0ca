package io.lakestream.infer;

import io.lakestream.config.PipelineConfig.CsvOptions;
import io.lakestream.config.PipelineConfig.InputFormat;
import io.lakestream.config.PipelineConfig.SourceConfig;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Proposes an Avro schema and a field mapping from sample record values of a raw topic (Glue's schema
 * detection, done offline from samples).
 *
 * <p>Shape: nested JSON objects are flattened into top-level fields named by their snake_case path
 * ({@code $.account.id → account_id}), because flat columns are what the records table and Athena queries want;
 * arrays stay Avro arrays (objects inside arrays become nested records, since a path cannot flatten through an
 * array). CSV columns map one to one. Fields keep first-seen order across the samples, and name collisions are
 * resolved in that order ({@code account_id}, then {@code account_id_2}), so the same samples always give the
 * same schema.
 *
 * <p>Types: see {@link TypeResolver} and {@link NumericResolver}. A field missing or null in any readable sample
 * becomes {@code ["null", T]} with default null, except the proposed event time, which a pipeline needs non-null. Unreadable samples are reported in
 * {@link InferredSchema#rejectedSamples()} and otherwise ignored.
 */
public final class SchemaInferrer {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaInferrer.class);

    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern AVRO_NAMESPACE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private final String recordName;
    private final String namespace;

    /**
     * @param recordName name of the top-level Avro record, e.g. {@code Claim}
     * @param namespace  Avro namespace, e.g. {@code io.lakestream.claims}; may be null
     * @throws IllegalArgumentException when either is not a valid Avro name
     */
    public SchemaInferrer(String recordName, String namespace) {
        this.recordName = Objects.requireNonNull(recordName, "recordName");
        this.namespace = namespace;
        if (!AVRO_NAME.matcher(recordName).matches()) {
            throw new IllegalArgumentException("invalid Avro record name '" + recordName + "': must match "
                    + AVRO_NAME.pattern());
        }
        if (namespace != null && !namespace.isEmpty() && !AVRO_NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("invalid Avro namespace '" + namespace
                    + "': dot-separated names, each matching " + AVRO_NAME.pattern());
        }
    }

    /** Infers from samples in the format of a pipeline's {@code source:} (JSON, or CSV with its options). */
    public InferredSchema infer(List<byte[]> samples, SourceConfig source) {
        if (source.format() == InputFormat.CSV) {
            if (source.csv() == null) {
                throw new IllegalArgumentException("source.csv: options are required for format csv");
            }
            return inferCsv(samples, source.csv());
        }
        return inferJson(samples);
    }

    /** Infers from JSON object samples. */
    public InferredSchema inferJson(List<byte[]> samples) {
        return infer(samples, new JsonSampleReader());
    }

    /**
     * Infers from CSV samples.
     *
     * @throws IllegalArgumentException when {@code csv} has no header and no columns
     */
    public InferredSchema inferCsv(List<byte[]> samples, CsvOptions csv) {
        return infer(samples, new CsvSampleReader(csv));
    }

    private InferredSchema infer(List<byte[]> samples, SampleReader reader) {
        if (samples.isEmpty()) {
            throw new SchemaInferenceException("no samples to infer a schema from");
        }
        Map<String, SampleLeafGroup> paths = new LinkedHashMap<>();
        List<RejectedSample> rejected = new ArrayList<>();
        for (int index = 0; index < samples.size(); index++) {
            List<SampleLeaf> leaves;
            try {
                leaves = reader.read(samples.get(index));
            } catch (MalformedSampleException e) {
                rejected.add(new RejectedSample(index, e.getMessage()));
                continue;
            }
            for (SampleLeaf leaf : leaves) {
                paths.computeIfAbsent(leaf.sourcePath(), path -> new SampleLeafGroup(leaf.segments()))
                        .values.observe(leaf.value(), index);
            }
        }
        int readable = samples.size() - rejected.size();
        if (readable == 0) {
            throw new SchemaInferenceException("none of the " + samples.size() + " samples is readable; first: sample "
                    + rejected.get(0).index() + ": " + rejected.get(0).reason());
        }
        AvroNames.Registry recordNames = new AvroNames.Registry();
        recordNames.claim(recordName);
        TypeResolver resolver = new TypeResolver(namespace, recordNames);
        AvroNames.Registry fieldNames = new AvroNames.Registry();
        Map<String, String> nameOwners = new LinkedHashMap<>();
        List<Schema.Field> avroFields = new ArrayList<>();
        List<InferredField> fields = new ArrayList<>();
        boolean eventTimeChosen = false;
        for (Map.Entry<String, SampleLeafGroup> entry : paths.entrySet()) {
            String path = entry.getKey();
            TypeAccumulator values = entry.getValue().values;
            String wanted = AvroNames.flattened(entry.getValue().segments);
            String name = fieldNames.claim(wanted);
            List<String> notes = new ArrayList<>();
            if (!name.equals(wanted)) {
                notes.add("named " + name + " because " + wanted + " is taken by " + nameOwners.get(wanted));
            }
            nameOwners.put(name, path);
            // the unsuffixed name: created_at_2 still says "time" for the epoch guess
            TypeResolver.Resolution resolution = resolver.resolve(values, wanted);
            notes.addAll(resolution.notes());
            boolean nullable = values.present < readable;
            // The proposed event time (the first timestamp, see InferredSchema.suggestedEventTime) must be a
            // non-null long for validate: a sample without it is the MISSING_FIELD dead letter a run would make.
            boolean eventTime = !eventTimeChosen && resolution.timeFormat() != null
                    && resolution.schema().getType() == Schema.Type.LONG;
            eventTimeChosen |= eventTime;
            if (eventTime && nullable) {
                nullable = false;
                notes.add(String.format(java.util.Locale.ROOT, "proposed event time, so not nullable: the %d of %d "
                        + "readable sample(s) without a value (%.1f %%) would go to the dead-letter topic as "
                        + "MISSING_FIELD", readable - values.present, readable,
                        100.0 * (readable - values.present) / readable));
            } else if (nullable) {
                notes.add("value in " + values.present + " of " + readable + " readable samples (null in "
                        + values.nulls + ", missing in " + (readable - values.present - values.nulls)
                        + "): nullable, default null");
            }
            Schema.Field field = TypeResolver.field(name, resolution.schema(), "source: " + path, nullable);
            avroFields.add(field);
            fields.add(new InferredField(name, path, field.schema(), values.present, values.nulls,
                    resolution.timeFormat(), notes));
        }
        String doc = "Proposed by lakestream infer-schema from " + readable + " sample(s)";
        Schema schema = Schema.createRecord(recordName, doc, namespace, false, avroFields);
        LOG.info("Inferred schema {} with {} field(s) from {} of {} sample(s)", schema.getFullName(), fields.size(),
                readable, samples.size());
        return new InferredSchema(schema, fields, samples.size(), rejected);
    }

    /** All values seen at one source path. */
    private static final class SampleLeafGroup {
        final List<String> segments;
        final TypeAccumulator values = new TypeAccumulator();

        SampleLeafGroup(List<String> segments) {
            this.segments = segments;
        }
    }
}
