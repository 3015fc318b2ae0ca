package io.lakestream.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether lakestream can write in a local folder: writes and deletes a probe file, or checks it can be created. */
final class FolderProbe {

    private FolderProbe() {
    }

    /**
     * @param name      result name, e.g. {@code store}
     * @param what      what the folder holds, e.g. {@code lake folder}
     * @param dir       the folder
     * @param configKey the setting naming it, e.g. {@code lake.local-dir}
     */
    static CheckResult check(String name, String what, Path dir, String configKey) {
        if (dir == null) {
            return CheckResult.fail(name, configKey + " is not set", "set " + configKey);
        }
        Path folder = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(folder)) {
            return probeWrite(name, what, folder, configKey);
        }
        if (Files.exists(folder)) {
            return CheckResult.fail(name, folder + " is not a folder", "fix " + configKey);
        }
        Path existing = folder.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
            return CheckResult.ok(name, what + " " + folder + " does not exist yet; it will be created (" + existing
                    + " is writable)");
        }
        return CheckResult.fail(name, what + " " + folder + " does not exist and cannot be created: "
                        + (existing == null ? "no existing parent" : existing + " is not a writable folder"),
                "create it, fix the permissions, or fix " + configKey);
    }

    private static CheckResult probeWrite(String name, String what, Path folder, String configKey) {
        try {
            // Hidden, so that a crash between create and delete leaves nothing a lake reader would pick up.
            Path probe = Files.createTempFile(folder, ".lakestream-check-", ".tmp");
            try {
                Files.write(probe, new byte[] {1});
            } finally {
                Files.deleteIfExists(probe);
            }
            return CheckResult.ok(name, what + " " + folder + " is writable");
        } catch (IOException e) {
            return CheckResult.fail(name, "cannot write in " + what + " " + folder + ": " + e,
                    "fix the folder's permissions or " + configKey);
        }
    }
}
