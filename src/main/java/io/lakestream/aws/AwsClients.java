package io.lakestream.aws;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one place where AWS clients are built. Every client gets the region, the endpoint override (AWS itself
 * when null; LocalStack or moto otherwise), the default credential chain (environment variables, system
 * properties, profile, container and instance roles) and the SDK's standard retry mode, which retries
 * throttling, 5xx and connection errors with backoff.
 *
 * <p>The clients share nothing, so each must be closed by its owner (the adapter that receives it).
 */
public final class AwsClients {

    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;

    /**
     * @param region      AWS region, e.g. {@code us-east-1}
     * @param endpoint    endpoint override, or null for the AWS endpoint of the region
     * @param credentials credentials provider; {@link #defaultChain} in production
     */
    public AwsClients(String region, URI endpoint, AwsCredentialsProvider credentials) {
        this.region = Region.of(Objects.requireNonNull(region, "region"));
        this.endpoint = endpoint;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** Clients for {@code region} and {@code endpoint} with the default credential chain. */
    public static AwsClients of(String region, URI endpoint) {
        return new AwsClients(region, endpoint, defaultChain());
    }

    /** The SDK's default credential chain; tests against moto set {@code AWS_ACCESS_KEY_ID} to anything. */
    public static AwsCredentialsProvider defaultChain() {
        return DefaultCredentialsProvider.builder().build();
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public String region() {
        return region.id();
    }

    /** The endpoint override, or null. */
    public URI endpoint() {
        return endpoint;
    }

    public S3Client s3() {
        var builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(overrides());
        if (endpoint != null) {
            // Emulators serve every bucket on one host, so virtual-hosted addressing (bucket.host) cannot work.
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        return builder.build();
    }

    public GlueClient glue() {
        var builder = GlueClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(overrides());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /**
     * Creates a Glue Schema Registry registry named {@code name} unless it exists.
     *
     * @return true if this call created it
     */
    public boolean createSchemaRegistryIfAbsent(String name) {
        try (GlueClient glue = glue()) {
            glue.createRegistry(b -> b.registryName(name).description("lakestream schemas"));
            return true;
        } catch (AlreadyExistsException e) {
            return false;
        }
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build();
    }

    @Override
    public String toString() {
        // Never print the credentials themselves, only where the calls go.
        return "AwsClients[region=" + region + ", endpoint=" + (endpoint == null ? "aws" : endpoint) + "]";
    }
}
