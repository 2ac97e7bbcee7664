package dev.constrained4j.reports.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Writes files so that readers see either the old or the complete new content: the content goes to a
 * temporary file in the same folder, which is then renamed over the target.
 *
 * <p>Files that must be verified before they are read (checkpoints) are written with
 * {@link #writeWithChecksum}: the file, then its SHA-256 beside it in {@code <name>.sha256}, in the format of
 * {@code sha256sum} (so {@code sha256sum -c <name>.sha256} checks it by hand), each atomically.
 */
public final class AtomicFiles {

    /** Writes the content of one file to the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void write(Path temporary) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} atomically through {@code writer}; on failure the target is left unchanged. */
    public static Path write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // temporary files are private (0600); the result is an ordinary file
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            writer.write(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + FileProblems.describe(e, target), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is hidden and harmless
                }
            }
        }
    }

    /**
     * Writes {@code target} atomically through {@code writer}, then its SHA-256 into {@link #checksumFile}, also
     * atomically. A crash between the two leaves a file whose checksum is missing or stale: it fails
     * {@link #checksumProblem}, as it should, since it was never committed.
     */
    public static Path writeWithChecksum(Path target, Writer writer) {
        String[] digest = new String[1];
        write(target, tmp -> {
            writer.write(tmp);
            digest[0] = sha256(tmp);
        });
        writeString(checksumFile(target), digest[0] + "  " + target.getFileName() + "\n");
        return target;
    }

    /** The file that holds the SHA-256 of {@code target}: {@code <name>.sha256} in the same folder. */
    public static Path checksumFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".sha256");
    }

    /**
     * Checks {@code target} against the SHA-256 recorded by {@link #writeWithChecksum}.
     *
     * @return empty if the file is intact; otherwise what is wrong, as a phrase that follows the file's name
     *         ("is missing", "has no checksum file …", "does not match its checksum …")
     */
    public static Optional<String> checksumProblem(Path target) {
        if (!Files.isRegularFile(target)) {
            return Optional.of("is missing");
        }
        Path sumFile = checksumFile(target);
        if (!Files.isRegularFile(sumFile)) {
            return Optional.of("has no checksum file " + sumFile.getFileName());
        }
        try {
            String line = Files.readString(sumFile, StandardCharsets.UTF_8).strip();
            String recorded = line.split("\\s+", 2)[0];
            String actual = sha256(target);
            if (!actual.equalsIgnoreCase(recorded)) {
                return Optional.of("does not match its checksum in " + sumFile.getFileName() + " (sha256 " + actual
                        + ", " + Files.size(target) + " bytes): it is truncated or corrupt");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
    }

    /** The SHA-256 of a file's content, in lower-case hexadecimal. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Writes a UTF-8 string atomically. */
    public static Path writeString(Path target, String content) {
        return write(target, tmp -> Files.writeString(tmp, content, StandardCharsets.UTF_8));
    }
}
