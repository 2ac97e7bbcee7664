package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.run.RunFolder;
import dev.constrained4j.runners.run.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock on a run folder ({@code run.lock}): a second writer, in another process or in this JVM, is refused with a
 * one-line message naming the first one's process id; a lock left by a process that no longer runs is taken over
 * with a warning; and two runs started in the same second get different folders, each locked.
 */
class RunLockTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    @Test
    void aNewFolderIsLockedByThisProcessUntilClosed() throws Exception {
        Path lock;
        try (RunFolder folder = RunFolder.create(tmp, "fairness")) {
            lock = folder.resolve(RunFiles.LOCK);
            JsonNode owner = JSON.readTree(lock.toFile());
            assertEquals(SELF, owner.path("pid").asLong());
            assertTrue(owner.hasNonNull("acquired"), owner.toString());
        }
        assertFalse(Files.exists(lock));
    }

    @Test
    void aSecondOpenInThisJvmIsRefusedWithThePid() throws Exception {
        Path dir = runFolder();
        try (RunFolder first = RunFolder.open(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.open(dir));
            assertOneLineNaming(e.getMessage(), SELF);
            assertTrue(e.getMessage().contains("this process"), e.getMessage());
            assertTrue(Files.exists(first.resolve(RunFiles.LOCK)), "the refused open leaves the first one's lock");
        }
        try (RunFolder again = RunFolder.open(dir)) {
            assertEquals(SELF, JSON.readTree(again.resolve(RunFiles.LOCK).toFile()).path("pid").asLong());
        }
    }

    @Test
    void aLockOfThisLiveProcessIsRefused() throws Exception {
        Path dir = runFolder();
        writeLock(dir, SELF, ProcessHandle.current().info().startInstant().map(Instant::toString).orElse(null));
        String before = Files.readString(dir.resolve(RunFiles.LOCK));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.open(dir));

        assertOneLineNaming(e.getMessage(), SELF);
        assertEquals(before, Files.readString(dir.resolve(RunFiles.LOCK)), "the live owner's lock is left alone");
        CliRun cli = CliRun.of("fairness", "--resume", dir.toString());
        assertEquals(1, cli.exitCode());
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertOneLineNaming(cli.err(), SELF);
    }

    @Test
    void aLockOfAnotherLiveProcessIsRefusedWithItsPid() throws Exception {
        Path dir = runFolder();
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            writeLock(dir, other.pid(), other.info().startInstant().map(Instant::toString).orElse(null));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.open(dir));
            assertOneLineNaming(e.getMessage(), other.pid());
            assertTrue(e.getMessage().contains("process " + other.pid()), e.getMessage());
        } finally {
            other.destroy();
            other.waitFor();
        }
        // once it has ended, its lock is stale
        try (RunFolder folder = RunFolder.open(dir)) {
            assertEquals(SELF, JSON.readTree(folder.resolve(RunFiles.LOCK).toFile()).path("pid").asLong());
        }
    }

    @Test
    void aStaleLockIsTakenOverWithAWarning() throws Exception {
        Path dir = runFolder();
        Process gone = new ProcessBuilder("sh", "-c", "exit 0").start();
        gone.waitFor();
        writeLock(dir, gone.pid(), null);

        try (LogCapture log = new LogCapture(); RunFolder folder = RunFolder.open(dir)) {
            assertEquals(SELF, JSON.readTree(folder.resolve(RunFiles.LOCK).toFile()).path("pid").asLong());
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains("stale lock") && w.contains(" " + gone.pid() + " ")),
                    log.warnings().toString());
        }
        assertFalse(Files.exists(dir.resolve(RunFiles.LOCK)));
    }

    @Test
    void aLockWhosePidWasReusedIsStale() throws Exception {
        // this process's id, but a process that started long before this one: the id was reused
        Path dir = runFolder();
        writeLock(dir, SELF, "2000-01-01T00:00:00Z");
        try (RunFolder folder = RunFolder.open(dir)) {
            assertEquals(SELF, JSON.readTree(folder.resolve(RunFiles.LOCK).toFile()).path("pid").asLong());
        }
    }

    @Test
    void anUnreadableLockIsRefusedWhileFreshAndTakenOverWhenOld() throws Exception {
        Path dir = runFolder();
        Path lock = dir.resolve(RunFiles.LOCK);
        Files.writeString(lock, "");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.open(dir));
        assertTrue(e.getMessage().contains("being written"), e.getMessage());

        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(RunLock.UNREADABLE_GRACE).minusSeconds(1)));
        try (RunFolder folder = RunFolder.open(dir)) {
            assertEquals(SELF, JSON.readTree(folder.resolve(RunFiles.LOCK).toFile()).path("pid").asLong());
        }
    }

    @Test
    void runsStartedInTheSameSecondGetDifferentFolders() throws Exception {
        Clock sameSecond = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);
        try (RunFolder first = RunFolder.create(tmp, "fairness", sameSecond);
             RunFolder second = RunFolder.create(tmp, "fairness", sameSecond)) {
            assertEquals("20240506-070809-fairness", first.runId());
            assertEquals("20240506-070809-fairness-1", second.runId());
            assertTrue(Files.exists(first.resolve(RunFiles.LOCK)) && Files.exists(second.resolve(RunFiles.LOCK)));
        }
        // and from several threads at once
        Path concurrent = tmp.resolve("concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<RunFolder> folders = new ArrayList<>();
        try {
            List<Future<RunFolder>> made = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                made.add(pool.submit(() -> RunFolder.create(concurrent, "mnist", sameSecond)));
            }
            for (Future<RunFolder> f : made) {
                folders.add(f.get());
            }
            Set<String> ids = new HashSet<>();
            folders.forEach(f -> ids.add(f.runId()));
            assertEquals(8, ids.size(), ids.toString());
            assertNotEquals(folders.get(0).dir(), folders.get(1).dir());
        } finally {
            folders.forEach(RunFolder::close);
            pool.shutdown();
        }
    }

    /** A minimal folder that {@link RunFolder#open} accepts. */
    private Path runFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("20240506-070809-fairness"));
        Files.writeString(dir.resolve(RunFiles.RUN_JSON), "{\"experiment\": \"fairness\"}\n");
        return dir;
    }

    private static void writeLock(Path dir, long pid, String processStart) throws Exception {
        var owner = JSON.createObjectNode().put("pid", pid).put("acquired", "2024-05-06T07:08:09Z");
        if (processStart != null) {
            owner.put("processStart", processStart);
        }
        Files.writeString(dir.resolve(RunFiles.LOCK), owner.toString());
    }

    private static void assertOneLineNaming(String message, long pid) {
        assertEquals(1, message.strip().lines().count(), message);
        assertTrue(message.matches("(?s).*\\b" + pid + "\\b.*"), message);
        assertTrue(message.contains("in use"), message);
    }
}
