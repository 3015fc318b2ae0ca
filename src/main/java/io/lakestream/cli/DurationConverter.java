package io.lakestream.cli;

import io.lakestream.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Command-line durations in the same spelling as the config file: 500ms, 30s, 5m, 2h. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
