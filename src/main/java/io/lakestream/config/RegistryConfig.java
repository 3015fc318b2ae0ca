package io.lakestream.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where schemas are registered.
 *
 * @param type          {@code glue} (AWS Glue Schema Registry), {@code local} (schemas in a folder, same wire
 *                      format) or {@code memory} (tests)
 * @param region        AWS region (glue)
 * @param endpoint      endpoint override (glue), or null for the AWS default
 * @param registryName  GSR registry name (default {@code lakestream})
 * @param compatibility GSR compatibility mode for new schemas (default BACKWARD)
 * @param autoRegister  register new schema versions on first use (default true)
 * @param createRegistry create the registry if it does not exist (default true)
 * @param localDir      folder of the local registry (local)
 */
public record RegistryConfig(String type, String region, URI endpoint, String registryName, String compatibility,
                             boolean autoRegister, boolean createRegistry, Path localDir) {
}
