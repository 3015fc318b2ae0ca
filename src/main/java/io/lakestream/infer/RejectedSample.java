package io.lakestream.infer;

/**
 * A sample that could not be read in the given format. It is left out of the inference, not fatal.
 *
 * @param index  position in the sample list given to {@link SchemaInferrer}
 * @param reason what is wrong, e.g. {@code malformed JSON: ... at line 1, column 12}
 */
public record RejectedSample(int index, String reason) {
}
