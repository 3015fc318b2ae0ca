package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.check.CheckResult.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderProbeTest {

    @TempDir
    Path dir;

    @Test
    void shouldPassAWritableFolderAndLeaveNothingBehind() throws IOException {
        CheckResult result = FolderProbe.check("store", "lake folder", dir, "lake.local-dir");

        assertThat(result).isEqualTo(CheckResult.ok("store", "lake folder " + dir + " is writable"));
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shouldPassAMissingFolderThatCanBeCreatedWithoutCreatingIt() {
        Path missing = dir.resolve("a/b");

        CheckResult result = FolderProbe.check("registry", "local registry folder", missing, "registry.local-dir");

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.detail()).isEqualTo("local registry folder " + missing
                + " does not exist yet; it will be created (" + dir + " is writable)");
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void shouldFailAPathThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("lake"), "x");

        assertThat(FolderProbe.check("store", "lake folder", file, "lake.local-dir"))
                .isEqualTo(CheckResult.fail("store", file + " is not a folder", "fix lake.local-dir"));
    }

    @Test
    void shouldFailAFolderThatCannotBeCreatedBecauseAParentIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        CheckResult result = FolderProbe.check("store", "lake folder", file.resolve("lake"), "lake.local-dir");

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.detail()).isEqualTo("lake folder " + file.resolve("lake")
                + " does not exist and cannot be created: " + file + " is not a writable folder");
        assertThat(result.hint()).contains("lake.local-dir");
    }

    @Test
    void shouldFailAnUnsetFolder() {
        assertThat(FolderProbe.check("store", "lake folder", null, "lake.local-dir"))
                .isEqualTo(CheckResult.fail("store", "lake.local-dir is not set", "set lake.local-dir"));
    }
}
