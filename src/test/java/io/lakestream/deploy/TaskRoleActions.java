package io.lakestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The ECS task role against what lakestream really calls: the actions of the requests a run made (recorded by moto),
 * plus the actions of paths that run does not take, each with the reason it is granted. The role must grant every
 * action used and nothing beyond those two lists, so a grant nobody calls fails here as much as a missing one.
 */
final class TaskRoleActions {

    static final Path TEMPLATE = Path.of("deploy/cloudformation/lakestream.yaml");

    /** Granted but not called by a Hive-table run of config/claims.yaml (the one ContainerImageIT records). */
    static final Map<String, String> OTHER_PATHS = Map.of(
            "s3:DeleteObject", "check's probe object; Iceberg removes metadata of failed commits, expired snapshots, "
                    + "compacted and orphan files",
            "s3:AbortMultipartUpload", "an upload of lake.multipart-threshold (16 MiB) or more whose part or "
                    + "completion failed (S3MultipartUpload)",
            "glue:UpdateTable", "a new schema version that adds columns (Hive tables); every Iceberg commit",
            "glue:GetDatabase", "check's catalog probe; Iceberg's GlueCatalog looks its namespace up",
            "glue:GetRegistry", "check's registry probe",
            "glue:GetSchemaVersion", "the deserializer of a consumer that has not seen a schema version id yet; the "
                    + "same action on Resource \"*\" (lookup by version id alone)",
            "glue:RegisterSchemaVersion", "a changed schema (a new version of an existing registry schema)",
            "kms:GenerateDataKey", "S3 on the role's behalf, writes with LakeSse=kms",
            "kms:Decrypt", "S3 on the role's behalf, reads with LakeSse=kms");

    private TaskRoleActions() {
    }

    /**
     * Every action the task role grants lakestream, across its policies and both branches of each condition: S3,
     * Glue and KMS (the role's CloudWatch Logs grant serves the metrics sidecar, not lakestream).
     */
    static Set<String> granted() throws IOException {
        return CloudFormationYaml.statements(CloudFormationYaml.read(TEMPLATE), "TaskRole").stream()
                .flatMap(s -> CloudFormationYaml.actions(s).stream())
                .filter(a -> a.startsWith("s3:") || a.startsWith("glue:") || a.startsWith("kms:"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Fails unless the role grants exactly the recorded actions plus {@link #OTHER_PATHS}, all under the prefix. */
    static void assertGrantedExactly(List<String> recordedRequests, String bucket, String prefix) throws IOException {
        List<IamActions.Use> uses = recordedRequests.stream().map(IamActions::use).toList();
        assertThat(uses).as("AWS requests of the run").isNotEmpty();
        assertThat(uses).filteredOn(u -> !u.key().isEmpty()).as("objects touched outside s3://%s/%s", bucket, prefix)
                .allSatisfy(u -> assertThat(u.bucket() + "/" + u.key()).startsWith(bucket + "/" + prefix));
        Set<String> used = uses.stream().map(IamActions.Use::action).collect(Collectors.toCollection(TreeSet::new));
        Set<String> granted = granted();

        assertThat(granted).as("task role in %s: actions the run used", TEMPLATE).containsAll(used);
        Set<String> expected = new TreeSet<>(used);
        expected.addAll(OTHER_PATHS.keySet());
        assertThat(granted).as("task role in %s: actions nobody calls (used: %s)", TEMPLATE, used)
                .isSubsetOf(expected);
        assertThat(granted).as("paths not taken by the run that the role no longer grants").containsAll(OTHER_PATHS.keySet());
    }
}
