package dev.constrained4j.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tmpfs file systems a test class mounts: read-only ones (an output folder nothing can be written to, even by
 * root) and small ones (a disk that fills up). Mounting needs root and a kernel that lets this process mount (not
 * every container does): {@link #mount} says whether it worked, so that the cases that need it can be skipped
 * with an assumption. {@link #close} unmounts them all; call it from {@code @AfterAll}.
 */
final class Tmpfs implements AutoCloseable {

    private final List<Path> mounted = new ArrayList<>();

    /**
     * Mounts a tmpfs with the given options (e.g. {@code ro,size=1m} or {@code size=64k}) on a new folder
     * {@code dir}.
     *
     * @return whether it is mounted
     */
    boolean mount(Path dir, String options) throws IOException {
        Files.createDirectories(dir);
        if (run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())) {
            mounted.add(dir);
            return true;
        }
        return false;
    }

    /** Unmounts every file system this object mounted, the last first. */
    @Override
    public void close() throws IOException {
        for (int i = mounted.size() - 1; i >= 0; i--) {
            if (!run("umount", mounted.get(i).toString()) && !run("umount", "-l", mounted.get(i).toString())) {
                throw new IOException("cannot unmount the test's tmpfs " + mounted.get(i));
            }
        }
        mounted.clear();
    }

    /** Runs a command; whether it exited with status 0 (false if it cannot be started or was interrupted). */
    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no mount command here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
