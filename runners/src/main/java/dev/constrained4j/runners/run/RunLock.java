package dev.constrained4j.runners.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.reports.run.RunFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock on a run folder, {@code run.lock}: while one process (or one open {@link RunFolder} in this JVM) trains
 * or resumes a run, no other may write it. The file holds the owner's process id, the owner's start time and when
 * the lock was taken; it is created with {@code CREATE_NEW}, so of two processes that try at once exactly one
 * succeeds, and deleted by {@link #close} or, should the JVM exit without closing it, by a shutdown hook.
 *
 * <p>A process killed with SIGKILL leaves its lock behind. Such a lock is stale when no process with its id is
 * alive, or when the process with that id started at another time than the one recorded (the id was reused); a
 * stale lock is taken over with a warning. A lock file that holds no readable process id is stale once it is
 * older than {@link #UNREADABLE_GRACE} (younger, its owner may be writing it). Two processes that take over the
 * same stale lock in the same instant are not told apart: the takeover deletes the stale file and creates its own
 * with {@code CREATE_NEW}, so one of them fails unless the other's delete fell in between.
 */
public final class RunLock implements AutoCloseable {

    /** How long a lock file without a readable process id is presumed to be being written. */
    public static final Duration UNREADABLE_GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final int ATTEMPTS = 3;

    private final Path file;
    private final String content;
    private final Thread hook;
    private boolean released;

    private RunLock(Path file, String content) {
        this.file = file;
        this.content = content;
        this.hook = new Thread(this::deleteIfOurs, "release " + file);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Takes the lock of the run folder {@code dir}.
     *
     * @throws IllegalStateException if a live process holds it (this one included), with a message naming its
     *                               process id
     * @throws UncheckedIOException  if the lock file cannot be written
     */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(RunFiles.LOCK);
        ProcessHandle self = ProcessHandle.current();
        ObjectNode owner = RunFolder.JSON.createObjectNode();
        owner.put("pid", self.pid());
        self.info().startInstant().ifPresent(t -> owner.put("processStart", t.toString()));
        owner.put("acquired", Instant.now().toString());
        String content = owner.toPrettyString() + "\n";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            OutputStream out;
            try {
                out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                takeOverIfStale(file);
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the lock " + file + ": " + e.getMessage(), e);
            }
            try (out) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                deleteQuietly(file);
                throw new UncheckedIOException("cannot write the lock " + file + ": " + e.getMessage(), e);
            }
            return new RunLock(file, content);
        }
        throw new IllegalStateException("cannot take the lock " + file + ": other processes keep taking it; make sure"
                + " only one process resumes this run");
    }

    /** Deletes a stale lock (with a warning), or refuses with the live owner's process id. */
    private static void takeOverIfStale(Path file) {
        String text;
        FileTime modified;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return; // released in the meantime: try again
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock " + file + ": " + e.getMessage(), e);
        }
        Optional<JsonNode> owner = parse(text);
        long pid = owner.map(o -> o.path("pid").asLong(-1)).orElse(-1L);
        if (pid <= 0) {
            if (Instant.now().isBefore(modified.toInstant().plus(UNREADABLE_GRACE))) {
                throw new IllegalStateException("the run folder " + file.getParent() + " is being locked by another"
                        + " process (" + file.getFileName() + " is being written); try again in a few seconds");
            }
            LOG.warn("taking over the lock {}: it names no process (an interrupted start)", file);
        } else {
            String processStart = owner.get().path("processStart").asText("");
            String since = owner.get().path("acquired").asText("an unknown time");
            Optional<ProcessHandle> live = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> startedAt(p, processStart));
            if (live.isPresent()) {
                String who = pid == ProcessHandle.current().pid() ? "this process (pid " + pid + ")"
                        : "process " + pid;
                throw new IllegalStateException("the run folder " + file.getParent() + " is in use by " + who
                        + " since " + since + " (" + file.getFileName() + "); wait until it ends or stop it, then"
                        + " resume");
            }
            LOG.warn("taking over the stale lock {} of process {} (since {}), which is no longer running", file, pid,
                    since);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale lock " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code process} is the one that took the lock: it started at the recorded time (to a second: the
     * operating system counts in clock ticks), or either time is unknown.
     */
    private static boolean startedAt(ProcessHandle process, String recorded) {
        Optional<Instant> actual = process.info().startInstant();
        if (recorded.isEmpty() || actual.isEmpty()) {
            return true;
        }
        try {
            return Duration.between(Instant.parse(recorded), actual.get()).abs().compareTo(Duration.ofSeconds(1)) < 0;
        } catch (java.time.format.DateTimeParseException e) {
            return true;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an empty lock file is taken over once it is older than UNREADABLE_GRACE
        }
    }

    private static Optional<JsonNode> parse(String text) {
        try {
            return Optional.of(RunFolder.JSON.readTree(text)).filter(JsonNode::isObject);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Releases the lock: deletes the file if it is still this lock's. Idempotent. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        deleteIfOurs();
    }

    private void deleteIfOurs() {
        try {
            if (Files.isRegularFile(file)
                    && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the lock {}: {}", file, e.getMessage());
        }
    }
}
