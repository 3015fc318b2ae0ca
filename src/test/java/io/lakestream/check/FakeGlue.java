package io.lakestream.check;

import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.GetDatabaseRequest;
import software.amazon.awssdk.services.glue.model.GetDatabaseResponse;
import software.amazon.awssdk.services.glue.model.GetRegistryRequest;
import software.amazon.awssdk.services.glue.model.GetRegistryResponse;

/** In-memory Glue for the registry and catalog probes: answers found, or throws {@link #failure}. */
final class FakeGlue implements GlueClient {

    RuntimeException failure;
    GetRegistryRequest registryRequest;
    GetDatabaseRequest databaseRequest;
    boolean closed;

    @Override
    public GetRegistryResponse getRegistry(GetRegistryRequest request) {
        registryRequest = request;
        if (failure != null) {
            throw failure;
        }
        return GetRegistryResponse.builder().registryName(request.registryId().registryName()).status("AVAILABLE")
                .build();
    }

    @Override
    public GetDatabaseResponse getDatabase(GetDatabaseRequest request) {
        databaseRequest = request;
        if (failure != null) {
            throw failure;
        }
        return GetDatabaseResponse.builder().database(d -> d.name(request.name())).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        closed = true;
    }
}
