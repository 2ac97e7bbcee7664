package dev.constrained4j.runners.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.reports.run.RunFiles.Key;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the parts of {@code run.json} common to every experiment: versions, backend, threads, git commit,
 * times. Reports are built from these records only, so every run can be reproduced from its record.
 */
public final class RunRecords {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunRecords.class);

    private RunRecords() {
    }

    /** A new record with the environment filled in and status "running". */
    public static ObjectNode start(String runId, String experiment, String title) {
        ObjectNode record = RunFolder.JSON.createObjectNode();
        record.put(Key.RUN_ID, runId);
        record.put(Key.EXPERIMENT, experiment);
        record.put(Key.TITLE, title);
        record.put(Key.STATUS, "running");
        record.put(Key.START_TIME, OffsetDateTime.now().toString());
        record.putNull(Key.END_TIME);
        record.put(Key.GIT_COMMIT, gitCommit());
        Map<String, Object> env = Nd4j.getExecutioner().getEnvironmentInformation().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()), Map.Entry::getValue));
        record.put(Key.BACKEND, String.valueOf(env.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName())));
        record.put(Key.THREADS, Nd4j.getEnvironment().maxMasterThreads());
        ObjectNode versions = record.putObject(Key.VERSIONS);
        versions.put("constrained4j", buildProperty("project.version"));
        versions.put("dl4j", buildProperty("dl4j.version"));
        versions.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        versions.put("blas", String.valueOf(env.getOrDefault("blas.vendor", "unknown")));
        versions.put("ompThreads", String.valueOf(env.getOrDefault("omp.threads", "unknown")));
        versions.put("cores", String.valueOf(env.getOrDefault("cores", Runtime.getRuntime().availableProcessors())));
        return record;
    }

    /**
     * The record of a run folder that is about to be resumed, checked to be a run of {@code experiment} (the caller
     * then checks its data and calls {@link #markResumed}).
     *
     * @throws IllegalArgumentException if the folder holds a run of another experiment
     */
    public static ObjectNode reopen(RunFolder folder, String experiment) {
        removeStaleTemporaries(folder.dir());
        ObjectNode record = folder.readRecord();
        String actual = record.path(Key.EXPERIMENT).asText();
        if (!experiment.equals(actual)) {
            throw new IllegalArgumentException(actual.isEmpty()
                    ? folder.dir() + "/" + RunFiles.RUN_JSON + " names no experiment (key '" + Key.EXPERIMENT
                            + "'); restore it from a copy, or start a new run"
                    : folder.dir() + " is a run of experiment '" + actual + "', not " + experiment + "; resume it with"
                            + " '" + (actual.equals("hidden") ? "hidden continue RUN_DIR" : actual + " --resume RUN_DIR")
                            + "'");
        }
        return record;
    }

    /**
     * Deletes the temporary files a killed writer left in a run folder (every file of the project is written to a
     * hidden {@code .<name>…tmp} beside its target, then renamed; a process killed in between leaves the temporary).
     */
    static void removeStaleTemporaries(Path dir) {
        List<Path> stale;
        try (Stream<Path> files = Files.walk(dir)) {
            stale = files.filter(Files::isRegularFile).filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(".") && name.endsWith(".tmp");
            }).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        for (Path f : stale) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot delete the stale temporary file " + f + ": "
                        + e.getMessage(), e);
            }
        }
        if (!stale.isEmpty()) {
            LOG.warn("removed {} temporary file(s) left by an interrupted write in {}", stale.size(), dir);
        }
    }

    /** Marks a reopened record running again, appends the time to {@code resumedAt} and writes it. */
    public static void markResumed(RunFolder folder, ObjectNode record) {
        record.put(Key.STATUS, "running");
        record.putNull(Key.END_TIME);
        com.fasterxml.jackson.databind.node.ArrayNode resumed = record.has(Key.RESUMED_AT)
                ? (com.fasterxml.jackson.databind.node.ArrayNode) record.get(Key.RESUMED_AT) : record.putArray(Key.RESUMED_AT);
        resumed.add(OffsetDateTime.now().toString());
        folder.writeRecord(record);
    }

    /** Marks a record finished with the given status ("completed", "failed", "interrupted"). */
    public static void finish(ObjectNode record, String status) {
        record.put(Key.STATUS, status);
        record.put(Key.END_TIME, OffsetDateTime.now().toString());
    }

    /**
     * Records a failed run: status "diverged" for a {@code DivergenceException}, "failed" otherwise, the error's
     * message, written to the folder. If the record cannot be written either (the disk that stopped the run is
     * full), that second failure is attached to {@code e} and logged, so that {@code e} stays the error reported.
     */
    public static void fail(RunFolder folder, ObjectNode record, RuntimeException e) {
        finish(record, e instanceof dev.constrained4j.runners.engine.DivergenceException ? "diverged" : "failed");
        record.put(Key.ERROR, String.valueOf(e.getMessage()));
        try {
            folder.writeRecord(record);
        } catch (java.io.UncheckedIOException second) {
            e.addSuppressed(second);
            LOG.warn("the failure could not be recorded in {}: {}", RunFiles.RUN_JSON, second.getMessage());
        }
    }

    /** The commit of the working tree the program runs from, "unknown" outside git, "+dirty" if modified. */
    public static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty=+dirty", "--abbrev=40")
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown";
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String buildProperty(String key) {
        try (InputStream in = RunRecords.class.getResourceAsStream("/constrained4j-build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Ensures a folder exists, with a one-line error otherwise. */
    public static Path folder(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir + ": "
                    + dev.constrained4j.reports.run.FileProblems.describe(e, dir), e);
        }
    }
}
