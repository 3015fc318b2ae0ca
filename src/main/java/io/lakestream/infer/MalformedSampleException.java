package io.lakestream.infer;

/** A sample that cannot be read in the configured format; counted and reported, never fatal on its own. */
final class MalformedSampleException extends Exception {

    MalformedSampleException(String message) {
        super(message);
    }
}
