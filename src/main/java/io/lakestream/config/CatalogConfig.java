package io.lakestream.config;

import java.net.URI;

/**
 * @param type     {@code glue}, {@code local} (table files next to the data) or {@code none}
 * @param database Glue database (created if missing)
 * @param region   AWS region (glue)
 * @param endpoint endpoint override (glue), or null
 */
public record CatalogConfig(String type, String database, String region, URI endpoint) {
}
