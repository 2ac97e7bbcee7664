package dev.constrained4j.runners.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.runners.engine.ProgressStore;
import dev.constrained4j.runners.engine.StageProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run's folder {@code OUT/<run-id>/}: {@code run.json} (the run record), {@code progress.json} (what is
 * committed and resumable), {@code metrics.csv}, {@code checkpoints/}, weights, {@code samples/},
 * {@code images/} and {@code report.html}. Every file is written atomically.
 */
public final class RunFolder implements ProgressStore {

    public static final String RUN_JSON = "run.json";
    public static final String PROGRESS_JSON = "progress.json";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String REPORT_HTML = "report.html";
    public static final String CHECKPOINTS = "checkpoints";

    /** The JSON mapper used for every run record (indented, stable field order). */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .findAndRegisterModules();

    private final Path dir;
    private final Map<String, StageProgress> progress = new LinkedHashMap<>();

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /** Creates a new, empty run folder {@code outDir/<yyyyMMdd-HHmmss>-<experiment>[-n]}. */
    public static RunFolder create(Path outDir, String experiment) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Files.createDirectories(outDir);
            for (int n = 0; ; n++) {
                Path candidate = outDir.resolve(stamp + "-" + experiment + (n == 0 ? "" : "-" + n));
                try {
                    Files.createDirectory(candidate);
                    return new RunFolder(candidate);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another run started in the same second: try the next suffix
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder under " + outDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing run folder to resume it.
     *
     * @throws IllegalArgumentException if it has no {@code run.json}
     */
    public static RunFolder open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RUN_JSON))) {
            throw new IllegalArgumentException("not a run folder: " + dir + " has no " + RUN_JSON
                    + " (pass the folder OUT/<run-id> that a run created)");
        }
        RunFolder folder = new RunFolder(dir);
        Path file = dir.resolve(PROGRESS_JSON);
        if (Files.isRegularFile(file)) {
            JsonNode stages = readJson(file).path("stages");
            stages.fields().forEachRemaining(e -> {
                JsonNode s = e.getValue();
                folder.progress.put(e.getKey(), new StageProgress(e.getKey(), s.path("completedEpochs").asInt(),
                        s.path("bestEpoch").asInt(-1), s.path("bestValue").asDouble(Double.NaN),
                        s.path("bestTieValue").asDouble(Double.NaN),
                        s.path("checkpoint").isNull() ? null : s.path("checkpoint").asText(null),
                        s.path("finished").asBoolean()));
            });
        }
        return folder;
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

    /** Reads {@code run.json}. */
    public ObjectNode readRecord() {
        return (ObjectNode) readJson(dir.resolve(RUN_JSON));
    }

    /** Writes {@code run.json} atomically. */
    public void writeRecord(ObjectNode record) {
        writeJson(dir.resolve(RUN_JSON), record);
    }

    @Override
    public Path checkpointFile(String mode, int epoch) {
        return dir.resolve(CHECKPOINTS).resolve(mode + "-epoch-" + epoch + ".ckpt");
    }

    @Override
    public StageProgress progress(String mode) {
        return progress.getOrDefault(mode, StageProgress.notStarted(mode));
    }

    @Override
    public synchronized void commit(StageProgress stage) {
        progress.put(stage.mode(), stage);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode stages = root.putObject("stages");
        progress.forEach((mode, p) -> {
            ObjectNode s = stages.putObject(mode);
            s.put("completedEpochs", p.completedEpochs());
            s.put("bestEpoch", p.bestEpoch());
            s.put("bestValue", p.bestValue());
            if (!Double.isNaN(p.bestTieValue())) {
                s.put("bestTieValue", p.bestTieValue());
            }
            s.put("checkpoint", p.checkpoint());
            s.put("finished", p.finished());
        });
        writeJson(dir.resolve(PROGRESS_JSON), root);
        deleteStaleCheckpoints(stage);
    }

    private void deleteStaleCheckpoints(StageProgress stage) {
        Path folder = dir.resolve(CHECKPOINTS);
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, stage.mode() + "-epoch-*")) {
            for (Path f : files) {
                if (!f.getFileName().toString().equals(stage.checkpoint())) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Reads a JSON file, with a one-line error naming it when it is unreadable. */
    public static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Writes a JSON value atomically. */
    public static void writeJson(Path file, Object value) {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), value));
    }
}
