package io.lakestream.aws;

import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetRegistryResponse;

/**
 * What {@code check} asks Glue: whether a database or a schema registry exists. One call each, bounded by
 * {@link AwsFailures#CALL_TIMEOUT}, on a client opened for the call and closed after it; the answer in the
 * project's terms, a failure to be read with {@link AwsFailures}.
 */
public final class GlueLookup {

    private final Supplier<GlueClient> glue;

    /** @param glue opens the client of one lookup (a failure to open it is the lookup's failure) */
    public GlueLookup(Supplier<GlueClient> glue) {
        this.glue = glue;
    }

    /** Lookups in {@code region} through {@code endpoint} (or AWS itself when null). */
    public static GlueLookup of(String region, URI endpoint) {
        return new GlueLookup(() -> AwsClients.of(region, endpoint).glue());
    }

    public enum State { FOUND, MISSING, FAILED }

    /**
     * @param state   found, missing, or the call failed
     * @param status  the status Glue reports for what was found, or null
     * @param failure the AWS failure when {@code state} is FAILED
     */
    public record Answer(State state, String status, RuntimeException failure) {
    }

    public Answer database(String name) {
        return lookup(client -> {
            client.getDatabase(b -> b.name(name)
                    .overrideConfiguration(o -> o.apiCallTimeout(AwsFailures.CALL_TIMEOUT)));
            return null;
        });
    }

    public Answer registry(String name) {
        return lookup(client -> {
            GetRegistryResponse registry = client.getRegistry(b -> b.registryId(id -> id.registryName(name))
                    .overrideConfiguration(o -> o.apiCallTimeout(AwsFailures.CALL_TIMEOUT)));
            return registry.status() == null ? null : registry.statusAsString();
        });
    }

    private Answer lookup(Function<GlueClient, String> call) {
        try (GlueClient client = glue.get()) {
            return new Answer(State.FOUND, call.apply(client), null);
        } catch (EntityNotFoundException e) {
            return new Answer(State.MISSING, null, null);
        } catch (SdkException e) {
            return new Answer(State.FAILED, null, e);
        }
    }
}
