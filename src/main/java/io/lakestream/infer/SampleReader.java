package io.lakestream.infer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads one raw record value into its flattened top-level fields. */
interface SampleReader {

    List<SampleLeaf> read(byte[] value) throws MalformedSampleException;

    /**
     * Strict UTF-8: a replacement character would silently change the data, and the normalize stage sends such
     * records to the DLQ, so the schema must not be inferred from them either.
     */
    static String decodeUtf8(byte[] value) throws MalformedSampleException {
        if (value == null) {
            throw new MalformedSampleException("null value (tombstone)");
        }
        if (value.length == 0) {
            throw new MalformedSampleException("empty value");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(value);
        try {
            return decoder.decode(bytes).toString();
        } catch (MalformedInputException e) {
            throw new MalformedSampleException("invalid UTF-8 at byte " + bytes.position());
        } catch (CharacterCodingException e) {
            throw new MalformedSampleException("invalid UTF-8: " + e.getMessage());
        }
    }
}
