package io.lakestream.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * Loads and validates one deployment's YAML file into a {@link LakestreamConfig}: {@code ${ENV}},
 * {@code ${ENV:-default}} and {@code ${file:PATH}} (secret file) interpolation, kebab-case keys, every default
 * documented on the config records, and every problem reported at once in a {@link ConfigException} naming its YAML
 * path. Kafka's own config-provider references ({@code ${file:path:key}}) pass through to the Kafka clients.
 *
 * <p>Paths: every relative path in the config — schema files, {@code ${file:…}} secrets, the state, registry and
 * lake folders, Kafka's key and trust stores — is resolved against the config file's folder and kept absolute, so a
 * run started from another directory (cron, systemd, a container's WORKDIR) finds the same lake, registry and
 * state. The working directory is never a base: two bases is how a scheduled run silently starts a new lake.
 */
public final class ConfigLoader {

    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    static final String NAME_RULE = "letters, digits, '.', '_' or '-'";
    static final List<String> FORMATS = List.of("parquet", "csv", "avro", "jsonl");
    private static final Pattern S3_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern GLUE_DATABASE = Pattern.compile("[a-z0-9_]{1,255}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern REGISTRY_NAME = Pattern.compile("[a-zA-Z0-9-_$#.]{1,255}");
    /** Kafka client settings that name a file: relative ones are resolved like every other path of the config. */
    private static final List<String> KAFKA_FILE_KEYS = List.of("ssl.truststore.location", "ssl.keystore.location");
    private static final List<String> KAFKA_KEYS_SET_BY_LAKESTREAM = List.of("application.id", "state.dir",
            "processing.guarantee", "commit.interval.ms");

    private ConfigLoader() {
    }

    /** Loads {@code file} with the process environment. */
    public static LakestreamConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Loads {@code file}, interpolating from {@code env}. @throws ConfigException listing every problem */
    public static LakestreamConfig load(Path file, Map<String, String> env) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("config file not found: " + file.toAbsolutePath()));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read config file: " + e));
        }
        return parse(yaml, file.toAbsolutePath().getParent(), env, file.toString());
    }

    /**
     * Parses YAML text. @param baseDir folder that every relative path of the config is resolved against (the config
     * file's folder); null for the working directory
     * @param source names the text in the exception message (usually the file name)
     */
    public static LakestreamConfig parse(String yaml, Path baseDir, Map<String, String> env, String source) {
        Path base = (baseDir == null ? Path.of("") : baseDir).toAbsolutePath().normalize();
        JsonNode tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr())));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(source, List.of("the config is empty"));
        }
        if (!tree.isObject()) {
            throw new ConfigException(source, List.of("the config must be a mapping (key: value lines)"));
        }
        List<String> problems = new ArrayList<>();
        YamlSection root = YamlSection.root(Interpolation.apply(tree, env, base, "", problems), problems);
        ApplicationConfig application = application(root.section("application"), base);
        Map<String, String> kafka = kafka(root, base);
        RegistryConfig registry = registry(root.section("registry"), base);
        TableFormatParser tableFormats = new TableFormatParser();
        LakeConfig lake = lake(root.section("lake"), tableFormats, base);
        CatalogConfig catalog = catalog(root.section("catalog"), tableFormats);
        YamlSection httpSection = root.section("http");
        HttpConfig http = new HttpConfig(httpSection.integer("port", 8080, 0, 65535),
                HttpBindAddress.parse(httpSection, "bind-address"));
        httpSection.finish();
        List<PipelineConfig> pipelines = new PipelineParser(base, lake.format(), problems, tableFormats)
                .pipelines(root);
        tableFormats.checkCatalog(root.section("catalog"), catalog.type());
        root.finish();
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new LakestreamConfig(application, Map.copyOf(kafka), registry, lake, catalog, http,
                List.copyOf(pipelines), tableFormats.result());
    }

    /** The pipeline's Avro schema, read from its (already validated) schema file. */
    public static Schema schemaOf(PipelineConfig pipeline) {
        try {
            return new Schema.Parser().parse(pipeline.schemaFile().toFile());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(pipeline.schemaFile().toString(), List.of("cannot read schema: " + e.getMessage()));
        }
    }

    /**
     * The effective configuration (defaults filled in) as nested maps with kebab-case keys, for {@code validate}
     * output and start-up logs; values of secret-looking keys are replaced by {@code ****}.
     */
    public static Map<String, Object> masked(LakestreamConfig config) {
        return EffectiveConfig.masked(config);
    }

    private static ApplicationConfig application(YamlSection s, Path base) {
        String id = s.required("id", "the Kafka Streams application.id, " + NAME_RULE);
        if (id != null && !NAME.matcher(id).matches()) {
            s.problem("id", "must be " + NAME_RULE + ", was " + YamlSection.quote(id));
        }
        Path stateDir = base.resolve(s.string("state-dir", Path.of(System.getProperty("java.io.tmpdir"),
                "kafka-streams").toString())).normalize();
        String guarantee = s.choice("processing-guarantee", "exactly-once", List.of("exactly-once", "at-least-once"));
        Duration commit = s.duration("commit-interval", Duration.ofSeconds(1), false);
        long windowBuffer = s.bytes("window-buffer", ApplicationConfig.DEFAULT_WINDOW_BUFFER, 1L << 20, 1L << 40);
        s.finish();
        return new ApplicationConfig(id, stateDir, "at-least-once".equals(guarantee)
                ? ApplicationConfig.ProcessingGuarantee.AT_LEAST_ONCE : ApplicationConfig.ProcessingGuarantee.EXACTLY_ONCE,
                commit, windowBuffer);
    }

    private static Map<String, String> kafka(YamlSection root, Path base) {
        Map<String, String> kafka = root.scalars("kafka");
        // As everywhere else, an empty value ("${KAFKA_SSL_KEYSTORE_LOCATION:-}") leaves the setting out: Kafka
        // would take ssl.keystore.location="" as a keystore file to open, which breaks SASL_SSL without mTLS.
        kafka.values().removeIf(String::isEmpty);
        for (String key : KAFKA_FILE_KEYS) {
            kafka.computeIfPresent(key, (k, file) -> base.resolve(file).normalize().toString());
        }
        Set<String> meant = new HashSet<>();
        for (String key : kafka.keySet()) {
            KafkaKeys.misspelled(key).ifPresent(k -> {
                meant.add(k);
                root.problem("kafka." + key, "unknown Kafka client setting; did you mean \"" + k + "\"?");
            });
        }
        String bootstrap = kafka.get("bootstrap.servers");
        if ((bootstrap == null || bootstrap.isBlank()) && !meant.contains("bootstrap.servers")) {
            root.problem("kafka.bootstrap.servers", "is required; the Kafka brokers as host:port[,host:port...]");
        }
        for (String key : KAFKA_KEYS_SET_BY_LAKESTREAM) {
            if (kafka.containsKey(key)) {
                root.problem("kafka." + key, "is set by lakestream from the application section; remove it here");
            }
        }
        return kafka;
    }

    private static RegistryConfig registry(YamlSection s, Path base) {
        String type = s.choice("type", "glue", List.of("glue", "local", "memory"));
        String region = s.string("region", null);
        URI endpoint = endpoint(s);
        String name = s.matching("registry-name", "lakestream", REGISTRY_NAME,
                "a registry name of letters, digits and -_$#. (at most 255)");
        String compatibility = s.choice("compatibility", "backward", List.of("none", "disabled", "backward",
                "backward_all", "forward", "forward_all", "full", "full_all"));
        boolean autoRegister = s.bool("auto-register", true);
        boolean createRegistry = s.bool("create-registry", true);
        Path localDir = base.resolve(s.string("local-dir", "registry")).normalize();
        s.finish();
        return new RegistryConfig(type, region, endpoint, name,
                compatibility == null ? null : compatibility.toUpperCase(java.util.Locale.ROOT), autoRegister,
                createRegistry, localDir);
    }

    private static LakeConfig lake(YamlSection s, TableFormatParser tableFormats, Path base) {
        String kind = s.choice("store", "s3", List.of("s3", "local"));
        // null after a refused value: the problem is reported with the others.
        LakeConfig.Store store = kind == null ? null
                : LakeConfig.Store.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        String bucket = s.string("bucket", null);
        if (store == LakeConfig.Store.S3 && bucket == null) {
            s.problem("bucket", "is required when store is s3; an S3 bucket name");
        } else if (bucket != null && !S3_BUCKET.matcher(bucket).matches()) {
            s.problem("bucket", "must be an S3 bucket name (3-63 lower-case letters, digits, '.' or '-'), was "
                    + YamlSection.quote(bucket));
        }
        String prefix = prefix(s);
        Path localDir = base.resolve(s.string("local-dir", "lake")).normalize();
        FileFormat format = fileFormat(s, "format", FileFormat.PARQUET);
        String compression = s.choice("compression", "snappy", List.of("snappy", "zstd", "gzip", "none"));
        String region = s.string("region", null);
        URI endpoint = endpoint(s);
        String sse = s.choice("sse", "none", List.of("none", "s3", "kms"));
        String kmsKeyId = s.string("kms-key-id", null);
        if ("kms".equals(sse) && kmsKeyId == null) {
            s.problem("kms-key-id", "is required when sse is kms; a KMS key id or ARN");
        }
        String owner = s.matching("expected-bucket-owner", null, ACCOUNT_ID, "a 12-digit AWS account id");
        long threshold = s.bytes("multipart-threshold", 16L << 20, 5L << 20, 5L << 30);
        tableFormats.lake(s);
        s.finish();
        return new LakeConfig(store, prefix, localDir, format, compression,
                new LakeConfig.S3Settings(bucket, region, endpoint, sse, kmsKeyId, owner, threshold));
    }

    private static String prefix(YamlSection s) {
        String prefix = s.string("prefix", "");
        if (prefix.contains("..") || prefix.contains("//") || prefix.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            s.problem("prefix", "must be a key prefix like lakestream/ without '..', '//', '\\' or control characters,"
                    + " was " + YamlSection.quote(prefix));
            return "";
        }
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static CatalogConfig catalog(YamlSection s, TableFormatParser tableFormats) {
        String type = s.choice("type", "glue", List.of("glue", "local", "none"));
        String database = s.string("database", null);
        if (database == null && type != null && !"none".equals(type)) {
            s.problem("database", "is required unless type is none; a Glue database name (lower-case letters, digits,"
                    + " '_')");
        } else if (database != null && !GLUE_DATABASE.matcher(database).matches()) {
            s.problem("database", "must be lower-case letters, digits or '_', was " + YamlSection.quote(database));
        }
        String region = s.string("region", null);
        URI endpoint = endpoint(s);
        tableFormats.catalog(s);
        s.finish();
        return new CatalogConfig(type, database, region, endpoint);
    }

    static FileFormat fileFormat(YamlSection s, String key, FileFormat def) {
        String f = s.choice(key, null, FORMATS);
        return f == null ? def : FileFormat.values()[FORMATS.indexOf(f)];
    }

    private static URI endpoint(YamlSection s) {
        String text = s.string("endpoint", null);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        s.problem("endpoint", "must be an http(s) URL like http://localhost:5000, was " + YamlSection.quote(text));
        return null;
    }
}
