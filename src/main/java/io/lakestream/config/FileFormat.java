package io.lakestream.config;

/** File formats a table can be written in; the config spelling is the lower-case name ({@code jsonl}). */
public enum FileFormat {
    PARQUET("parquet"), CSV("csv"), AVRO("avro"), JSONL("json");

    private final String extension;

    FileFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }
}
