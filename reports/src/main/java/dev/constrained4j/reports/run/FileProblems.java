package dev.constrained4j.reports.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One-line descriptions of why a file or folder of a run cannot be written, each naming the fix: a full disk, a
 * read-only file system, a file where a folder should be, a missing permission. The operating system's own text
 * ("No space left on device") says what happened but not where or what to do.
 */
public final class FileProblems {

    /** What to do when a run's folder cannot be written, for the messages of every command. */
    public static final String ELSEWHERE = "write the run to another folder (-o/--out-dir)";

    private FileProblems() {
    }

    /**
     * Why writing {@code target} (a file or folder) failed with {@code e}, and the fix, as a phrase that follows
     * "cannot write X: ".
     */
    public static String describe(IOException e, Path target) {
        Path where = target.toAbsolutePath().getParent() != null ? target.toAbsolutePath().getParent() : target;
        String reason = reason(e);
        String lower = chain(e).toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) {
            return "no space left on " + where + " (its file system is full); free some space there or "
                    + ELSEWHERE;
        }
        if (lower.contains("disk quota")) {
            return "the disk quota of " + where + " is used up; free some space there or " + ELSEWHERE;
        }
        if (lower.contains("read-only file system")) {
            return where + " is on a read-only file system; " + ELSEWHERE;
        }
        if (e instanceof FileAlreadyExistsException f && Files.isRegularFile(Path.of(f.getFile()))) {
            return f.getFile() + " is a file, not a folder; " + ELSEWHERE;
        }
        if (lower.contains("not a directory")) {
            Path file = fileAbove(e instanceof FileSystemException f && f.getFile() != null ? Path.of(f.getFile())
                    : target);
            return (file != null ? file + " is a file, not a folder, so nothing can be written under it"
                    : "a file stands where a folder should be") + "; " + ELSEWHERE;
        }
        if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
            return "permission denied on " + (e instanceof FileSystemException f && f.getFile() != null ? f.getFile()
                    : where) + "; " + ELSEWHERE;
        }
        return reason;
    }

    /** The nearest existing path at or above {@code path} if it is a regular file, else null. */
    private static Path fileAbove(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isRegularFile(p) ? p : null;
            }
        }
        return null;
    }

    /** The operating system's reason, without the file names a {@link FileSystemException} repeats. */
    private static String reason(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
    }

    /** The messages of {@code e} and its causes (a writer may wrap the operating system's error). */
    private static String chain(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null && all.length() < 10_000; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
