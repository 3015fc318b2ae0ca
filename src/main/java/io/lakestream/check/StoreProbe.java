package io.lakestream.check;

import io.lakestream.aws.AwsFailures;
import io.lakestream.aws.S3ObjectStore;
import io.lakestream.config.LakeConfig;
import io.lakestream.port.ObjectStore;
import io.lakestream.port.ObjectStoreException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code store}: lakestream may write under the lake prefix. On S3 a small probe object is written through the
 * same {@link S3ObjectStore} the sinks use (conditional create, same encryption and expected bucket owner) under
 * {@code <prefix>_lakestream_check/<uuid>}, then deleted; the store's own error messages say what is wrong.
 */
final class StoreProbe implements Probe {

    static final String NAME = "store";
    static final String PROBE_FOLDER = "_lakestream_check/";
    private static final byte[] PROBE = "lakestream check: safe to delete\n".getBytes(StandardCharsets.UTF_8);

    private final LakeConfig lake;
    private final LakeConfig.S3Settings s3;
    private final Supplier<ObjectStore> open;

    StoreProbe(LakeConfig lake, Supplier<ObjectStore> store) {
        this.lake = lake;
        this.s3 = lake.s3();
        this.open = store;
    }

    static StoreProbe of(LakeConfig lake) {
        return new StoreProbe(lake, () -> S3ObjectStore.from(lake));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CheckResult> run() {
        return List.of(switch (lake.store()) {
            case S3 -> s3Probe();
            case LOCAL -> FolderProbe.check(NAME, "lake folder", lake.localDir(), "lake.local-dir");
        });
    }

    private CheckResult s3Probe() {
        String key = prefix() + PROBE_FOLDER + UUID.randomUUID();
        ObjectStore client;
        try {
            client = open.get();
        } catch (RuntimeException e) {
            // Before any call (e.g. an invalid region), so nothing was written.
            return CheckResult.fail(NAME, "cannot set up S3 for bucket '" + s3.bucket() + "': " + e.getMessage(),
                    "check lake.region and lake.endpoint");
        }
        try (ObjectStore store = client) {
            try {
                store.createIfAbsent(key, PROBE, Map.of("lakestream-check", "probe"));
            } catch (ObjectStoreException e) {
                return CheckResult.fail(NAME, e.getMessage(), writeHint(e));
            }
            try {
                store.delete(key);
            } catch (ObjectStoreException e) {
                // lakestream itself never deletes objects, so this does not stop it: only the probe stays behind.
                return CheckResult.warn(NAME, "wrote " + store.uri(key) + " but could not delete it: "
                        + e.getMessage(), "delete the probe object by hand (s3:DeleteObject is not needed to run)");
            }
            return CheckResult.ok(NAME, "wrote and deleted " + store.uri(key) + " (sse " + sse() + ")");
        }
    }

    /** The store's message says what failed; the hint adds what the message cannot know. */
    private String writeHint(ObjectStoreException e) {
        return switch (AwsFailures.kind(e)) {
            case ACCESS_DENIED -> "the probe writes under " + s3.uri(prefix() + PROBE_FOLDER)
                    + " exactly as lakestream writes its objects (If-None-Match, sse " + sse() + ")";
            case OTHER -> AwsFailures.isMissingBucket(e) ? "aws s3 mb s3://" + s3.bucket() + " (in " + s3.region()
                    + "), or fix lake.bucket" : null;
            case TIMEOUT, UNREACHABLE -> "S3 calls go to " + AwsFailures.where("S3", s3.region(), s3.endpoint())
                    + ": check lake.endpoint, lake.region and the network (proxy, firewall)";
            default -> AwsFailures.hint(e, "lake", "s3:PutObject on the lake prefix");
        };
    }

    private String prefix() {
        return lake.prefix() == null ? "" : lake.prefix();
    }

    private String sse() {
        return s3.sse() == null ? "none" : s3.sse();
    }
}
