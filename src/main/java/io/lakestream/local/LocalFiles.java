package io.lakestream.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** File steps shared by the local store and catalog: durable temp files and atomic replacement. */
final class LocalFiles {

    private LocalFiles() {
    }

    /** A hidden temp file next to {@code target}, so that a link or rename to {@code target} stays on one disk. */
    static Path tempFileFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    /** Writes {@code content} to a new file and forces it to disk before anyone can see it under its real name. */
    static void writeDurably(Path file, byte[] content) throws IOException {
        writeDurably(file, content, created -> { });
    }

    /** A step on a file just created, before its content is written and forced. */
    interface CreatedFile {
        void accept(Path file) throws IOException;
    }

    /**
     * {@link #writeDurably(Path, byte[])}, running {@code onCreate} on the empty new file first: what it sets (an
     * extended attribute) is forced to disk with the content.
     */
    static void writeDurably(Path file, byte[] content, CreatedFile onCreate) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            onCreate.accept(file);
            writeAndForce(channel, content);
        }
    }

    /** Writes {@code content} to {@code file}, created or truncated, and forces it to disk. Not atomic. */
    static void overwriteDurably(Path file, byte[] content) throws IOException {
        write(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    private static void write(Path file, byte[] content, OpenOption... options) throws IOException {
        try (FileChannel channel = FileChannel.open(file, options)) {
            writeAndForce(channel, content);
        }
    }

    private static void writeAndForce(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(true);
    }

    /** Replaces {@code target} with {@code content} in one step: readers see the old file or the new one. */
    static void replaceAtomically(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = tempFileFor(target);
        try {
            writeDurably(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
