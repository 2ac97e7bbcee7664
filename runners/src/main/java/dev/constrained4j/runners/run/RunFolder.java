package dev.constrained4j.runners.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.reports.run.FileProblems;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.engine.ProgressStore;
import dev.constrained4j.runners.engine.StageProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's folder {@code OUT/<run-id>/}: {@code run.json} (the run record), {@code progress.json} (what is
 * committed and resumable), {@code metrics.csv}, {@code checkpoints/}, weights, {@code samples/},
 * {@code images/} and {@code report.html}. Every file is written atomically.
 *
 * <p>An open {@code RunFolder} holds the folder's {@link RunLock} ({@code run.lock}) from {@link #create} or
 * {@link #open} until {@link #close}: no other process, and no other {@code RunFolder} in this JVM, can write the
 * run meanwhile.
 *
 * <p>Checkpoints: each is written with its SHA-256 beside it ({@code <name>.sha256}, see
 * {@link AtomicFiles#writeWithChecksum}); the checkpoints of the last two committed epochs of each stage are kept,
 * and {@code progress.json} records, for each stage, the committed progress and the one before it
 * ({@code previous}). {@link #open} verifies the checkpoint of every unfinished stage: if it is missing, truncated
 * or fails its checksum, the stage falls back to the previous committed epoch, with a warning, so that
 * {@link #progress} and everything built from it (the rows {@code metrics.csv} keeps) start from there.
 */
public final class RunFolder implements ProgressStore, AutoCloseable {

    /** The JSON mapper used for every run record (indented, stable field order). */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .findAndRegisterModules();

    private static final String PREVIOUS_KEY = "previous";

    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);

    private final Path dir;
    private final RunLock lock;
    private final Map<String, StageProgress> progress = new LinkedHashMap<>();
    /** Per stage, the committed progress before the latest (its checkpoint is the one kept besides the latest). */
    private final Map<String, StageProgress> previous = new LinkedHashMap<>();

    private RunFolder(Path dir, RunLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /** Creates a new, empty, locked run folder {@code outDir/<yyyyMMdd-HHmmss>-<experiment>[-n]}. */
    public static RunFolder create(Path outDir, String experiment) {
        return create(outDir, experiment, Clock.systemDefaultZone());
    }

    /**
     * Creates a new, empty, locked run folder named after {@code clock}'s time: two runs started in the same second
     * get different folders, the second with the suffix {@code -1}, the next {@code -2}, and so on.
     */
    public static RunFolder create(Path outDir, String experiment, Clock clock) {
        String stamp = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path candidate = outDir;
        try {
            Files.createDirectories(outDir);
            for (int n = 0; ; n++) {
                candidate = outDir.resolve(stamp + "-" + experiment + (n == 0 ? "" : "-" + n));
                try {
                    Files.createDirectory(candidate);
                } catch (FileAlreadyExistsException e) {
                    continue; // another run started in the same second: try the next suffix
                }
                return new RunFolder(candidate, RunLock.acquire(candidate));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder under " + outDir + ": "
                    + FileProblems.describe(e, candidate), e);
        }
    }

    /**
     * Opens an existing run folder to resume it: takes its lock, reads {@code progress.json} and verifies the
     * checkpoint of every unfinished stage, falling back to the previous one where the latest is not intact.
     *
     * @throws IllegalArgumentException if it has no {@code run.json}
     * @throws IllegalStateException    if another process (or another open folder in this JVM) holds the lock, or a
     *                                  stage has no intact checkpoint
     */
    public static RunFolder open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RunFiles.RUN_JSON))) {
            throw new IllegalArgumentException("not a run folder: " + dir + " has no " + RunFiles.RUN_JSON
                    + " (pass the folder OUT/<run-id> that a run created)");
        }
        RunFolder folder = new RunFolder(dir, RunLock.acquire(dir));
        try {
            folder.readProgress();
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
        return folder;
    }

    private void readProgress() {
        Path file = dir.resolve(RunFiles.PROGRESS_JSON);
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonNode root = readJson(file);
        if (!root.isObject() || !root.path("stages").isObject()) {
            throw damagedProgress(file, "holds no object of stages");
        }
        root.path("stages").fields().forEachRemaining(e -> {
            progress.put(e.getKey(), stageFromJson(e.getKey(), e.getValue()));
            if (e.getValue().hasNonNull(PREVIOUS_KEY)) {
                previous.put(e.getKey(), stageFromJson(e.getKey(), e.getValue().get(PREVIOUS_KEY)));
            }
        });
        for (StageProgress p : List.copyOf(progress.values())) {
            if (!p.finished() && p.completedEpochs() > 0) {
                fallBackIfCorrupt(p);
            }
        }
    }

    /** Keeps {@code latest} if its checkpoint is intact, else falls back to the previous one, else fails. */
    private void fallBackIfCorrupt(StageProgress latest) {
        String mode = latest.mode();
        Path latestFile = checkpointOf(latest);
        Optional<String> problem = AtomicFiles.checksumProblem(latestFile);
        if (problem.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>(List.of(relative(latestFile) + " " + problem.get()));
        StageProgress before = previous.get(mode);
        if (before != null && before.completedEpochs() > 0) {
            Path beforeFile = checkpointOf(before);
            Optional<String> beforeProblem = AtomicFiles.checksumProblem(beforeFile);
            if (beforeProblem.isEmpty()) {
                LOG.warn("{}: the latest checkpoint {} {}; resuming from the previous one, {}, after epoch {} (the"
                                + " epochs after it are trained again)", mode, relative(latestFile), problem.get(),
                        relative(beforeFile), before.completedEpochs() - 1);
                progress.put(mode, before);
                previous.remove(mode);
                return;
            }
            problems.add(relative(beforeFile) + " " + beforeProblem.get());
        } else {
            problems.add("there is no previous checkpoint");
        }
        throw new IllegalStateException("stage " + mode + " of " + dir + " has no intact checkpoint to resume from: "
                + String.join("; ", problems) + "; start a new run");
    }

    private Path checkpointOf(StageProgress p) {
        return checkpointFile(p.mode(), p.completedEpochs() - 1);
    }

    private String relative(Path file) {
        return dir.relativize(file).toString();
    }

    /**
     * A stage's progress as {@link #stageToJson} wrote it; the numbers that decide where training resumes must be
     * present and of their type, or the file was damaged or edited, and resuming from it would train the wrong epochs.
     */
    private StageProgress stageFromJson(String mode, JsonNode s) {
        JsonNode completed = s.path("completedEpochs");
        if (!completed.isIntegralNumber() || !completed.canConvertToInt() || completed.asInt() < 0) {
            throw damagedProgress(dir.resolve(RunFiles.PROGRESS_JSON), "stage " + mode
                    + "'s completedEpochs must be a whole number >= 0, got " + completed);
        }
        if (!s.path("finished").isBoolean()) {
            throw damagedProgress(dir.resolve(RunFiles.PROGRESS_JSON), "stage " + mode
                    + "'s finished must be true or false, got " + s.path("finished"));
        }
        return new StageProgress(mode, s.path("completedEpochs").asInt(), s.path("bestEpoch").asInt(-1),
                s.path("bestValue").asDouble(Double.NaN), s.path("bestTieValue").asDouble(Double.NaN),
                s.path("checkpoint").isNull() ? null : s.path("checkpoint").asText(null),
                s.path("finished").asBoolean());
    }

    private static IllegalStateException damagedProgress(Path file, String problem) {
        return new IllegalStateException(file + " is damaged: it " + problem + "; restore it, or delete it to train"
                + " the run again from its first epoch");
    }

    private static void stageToJson(StageProgress p, ObjectNode s) {
        s.put("completedEpochs", p.completedEpochs());
        s.put("bestEpoch", p.bestEpoch());
        s.put("bestValue", p.bestValue());
        if (!Double.isNaN(p.bestTieValue())) {
            s.put("bestTieValue", p.bestTieValue());
        }
        s.put("checkpoint", p.checkpoint());
        s.put("finished", p.finished());
    }

    public Path dir() {
        return dir;
    }

    /** The run id: the folder's name. */
    public String runId() {
        return dir.getFileName().toString();
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * Reads {@code run.json}.
     *
     * @throws IllegalArgumentException if it is not a JSON object
     */
    public ObjectNode readRecord() {
        Path file = dir.resolve(RunFiles.RUN_JSON);
        JsonNode record = readJson(file);
        if (!(record instanceof ObjectNode object)) {
            throw new IllegalArgumentException(file + " is not a run record (a JSON object): it holds "
                    + (record.isMissingNode() ? "nothing" : "a JSON " + record.getNodeType().name().toLowerCase(
                    java.util.Locale.ROOT)) + "; restore it from a copy, or start a new run");
        }
        return object;
    }

    /** Writes {@code run.json} atomically. */
    public void writeRecord(ObjectNode record) {
        writeJson(dir.resolve(RunFiles.RUN_JSON), record);
    }

    @Override
    public Path checkpointFile(String mode, int epoch) {
        return dir.resolve(RunFiles.CHECKPOINTS).resolve(mode + "-epoch-" + epoch + ".ckpt");
    }

    @Override
    public StageProgress progress(String mode) {
        return progress.getOrDefault(mode, StageProgress.notStarted(mode));
    }

    @Override
    public synchronized void commit(StageProgress stage) {
        StageProgress latest = progress.get(stage.mode());
        if (latest != null && latest.checkpoint() != null && !latest.checkpoint().equals(stage.checkpoint())) {
            previous.put(stage.mode(), latest);
        }
        progress.put(stage.mode(), stage);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode stages = root.putObject("stages");
        progress.forEach((mode, p) -> {
            ObjectNode s = stages.putObject(mode);
            stageToJson(p, s);
            StageProgress before = previous.get(mode);
            if (before != null) {
                stageToJson(before, s.putObject(PREVIOUS_KEY));
            }
        });
        writeJson(dir.resolve(RunFiles.PROGRESS_JSON), root);
        deleteStaleCheckpoints(stage.mode());
    }

    /** Deletes the checkpoints of {@code mode} (and their checksums) but the latest committed and the one before. */
    private void deleteStaleCheckpoints(String mode) {
        Path folder = dir.resolve(RunFiles.CHECKPOINTS);
        if (!Files.isDirectory(folder)) {
            return;
        }
        Set<String> keep = new HashSet<>();
        for (StageProgress p : new StageProgress[] {progress.get(mode), previous.get(mode)}) {
            if (p != null && p.checkpoint() != null) {
                keep.add(p.checkpoint());
                keep.add(AtomicFiles.checksumFile(folder.resolve(p.checkpoint())).getFileName().toString());
            }
        }
        String prefix = mode + "-epoch-";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix) && !keep.contains(name)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Releases the folder's lock; the folder stays as it is. */
    @Override
    public void close() {
        lock.close();
    }

    /** Reads a JSON file, with a one-line error naming it when it is unreadable. */
    public static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(file + " is not valid JSON (" + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + ", line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + "): it was damaged or cut short; restore it from a copy, or start a new run", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Writes a JSON value atomically. */
    public static void writeJson(Path file, Object value) {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), value));
    }
}
