package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.run.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Run folders damaged or edited by hand before they are resumed ({@code --resume}, {@code hidden continue}): the
 * cases every experiment shares, and the check that a refused resume changes nothing in the folder.
 */
final class BrokenRuns {

    private BrokenRuns() {
    }

    /** A change to a copy of a good run folder. */
    @FunctionalInterface
    interface Edit {
        void apply(Path runDir) throws IOException;
    }

    /** One damaged run folder and what the first line of standard error must say when it is resumed. */
    record BrokenRun(String name, Edit edit, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static BrokenRun broken(String name, String message, Edit edit) {
        return new BrokenRun(name, edit, message);
    }

    /** Rewrites the text of {@code run.json}. */
    static Edit runJson(UnaryOperator<String> change) {
        return dir -> {
            Path file = dir.resolve(RunFiles.RUN_JSON);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Files.writeString(file, change.apply(text), StandardCharsets.UTF_8);
        };
    }

    /** Changes the parsed {@code run.json} and writes it back. */
    static Edit record(Consumer<ObjectNode> change) {
        return dir -> {
            Path file = dir.resolve(RunFiles.RUN_JSON);
            ObjectNode record = (ObjectNode) RunFolder.JSON.readTree(file.toFile());
            change.accept(record);
            RunFolder.JSON.writeValue(file.toFile(), record);
        };
    }

    /** Changes the {@code config} object of {@code run.json}. */
    static Edit config(Consumer<ObjectNode> change) {
        return record(r -> change.accept((ObjectNode) r.get(RunFiles.Key.CONFIG)));
    }

    /** Replaces (or creates) a file of the run folder. */
    static Edit write(String name, String content) {
        return dir -> Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /**
     * The damaged records every experiment's resume must refuse with one line: {@code run.json} that is not JSON, cut
     * short, empty or not an object; an integer field ({@code epochs}) and a number field ({@code learningRate}) of the
     * wrong type, missing, null or out of range; an unknown field; no configuration; another experiment's record;
     * a damaged {@code progress.json}; data whose checksum is not the recorded one.
     *
     * @param experiment      the experiment whose command resumes the copies
     * @param epochsTooFew    the first line for {@code "epochs": -3}, which the configuration refuses
     */
    static List<BrokenRun> common(String experiment, String epochsTooFew) {
        String other = experiment.equals("fairness") ? "weights" : "fairness";
        List<BrokenRun> cases = new ArrayList<>(List.of(
                broken("run.json cut inside an object", "is not valid JSON",
                        runJson(t -> "{\"runId\": \"x\", \"config\": {")),
                broken("run.json truncated to half", "is not valid JSON", runJson(t -> t.substring(0, t.length() / 2))),
                broken("run.json of NUL bytes", "is not valid JSON", runJson(t -> "\0\0\0\0")),
                broken("run.json empty", "is not a run record", runJson(t -> "")),
                broken("run.json a JSON array", "is not a run record", runJson(t -> "[1, 2]")),
                broken("epochs as text", "'epochs' must be an integer", config(c -> c.put("epochs", "ten"))),
                broken("epochs a fraction", "'epochs' must be an integer", config(c -> c.put("epochs", 1.5))),
                broken("epochs negative", epochsTooFew, config(c -> c.put("epochs", -3))),
                broken("learning rate NaN", "got NaN", config(c -> c.put("learningRate", "NaN"))),
                broken("learning rate as a word", "'learningRate' must be a number",
                        config(c -> c.put("learningRate", "fast"))),
                broken("learning rate null", "'learningRate'", config(c -> c.putNull("learningRate"))),
                broken("learning rate missing", "'learningRate' is missing", config(c -> c.remove("learningRate"))),
                broken("unknown config field", "unknown field 'learningRates'", config(c -> c.put("learningRates", 1))),
                broken("no config", "run.json has no config object", record(r -> r.remove(RunFiles.Key.CONFIG))),
                broken("config an array", "run.json has no config object",
                        record(r -> r.putArray(RunFiles.Key.CONFIG).add(1))),
                broken("a run of another experiment", "is a run of experiment '" + other + "', not " + experiment,
                        record(r -> r.put(RunFiles.Key.EXPERIMENT, other))),
                broken("no experiment", "names no experiment", record(r -> r.remove(RunFiles.Key.EXPERIMENT))),
                broken("progress.json not JSON", "progress.json is not valid JSON",
                        write(RunFiles.PROGRESS_JSON, "{\"stages\": ")),
                broken("progress.json an array", "progress.json is damaged", write(RunFiles.PROGRESS_JSON, "[]")),
                broken("progress.json epochs as text", "completedEpochs must be a whole number",
                        write(RunFiles.PROGRESS_JSON, "{\"stages\": {\"x\": {\"completedEpochs\": \"one\","
                                + " \"finished\": false}}}")),
                broken("run.json a folder", "not a run folder", dir -> {
                    Files.delete(dir.resolve(RunFiles.RUN_JSON));
                    Files.createDirectory(dir.resolve(RunFiles.RUN_JSON));
                }),
                broken("data changed since the run started", "differ", record(r -> zeroChecksums(
                        r.get(RunFiles.Key.DATA_SHA256))))));
        return cases;
    }

    /** Replaces every checksum under {@code node} with zeros. */
    private static void zeroChecksums(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (o.get(name).isTextual()) {
                    o.put(name, "0".repeat(64));
                } else {
                    zeroChecksums(o.get(name));
                }
            }
        }
    }

    /**
     * Copies the records of the good, finished run folder {@code good} ({@code run.json}, {@code progress.json},
     * {@code metrics.csv}: what a resume reads before it trains; the weights and checkpoints are not needed to refuse)
     * to {@code work/<name>}, damages the copy, resumes it with {@code resume} and asserts exit status 1, the first
     * line, and that nothing in the folder changed (no file added, removed or rewritten; no temporary file, no lock
     * left).
     */
    static void assertRefused(BrokenRun broken, Path good, Path work, Function<Path, String[]> resume)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve(broken.name().replaceAll("[^A-Za-z0-9]+", "-")));
        for (String name : List.of(RunFiles.RUN_JSON, RunFiles.PROGRESS_JSON, RunFiles.METRICS_CSV)) {
            Files.copy(good.resolve(name), dir.resolve(name));
        }
        broken.edit().apply(dir);
        Map<String, String> before = HostileFiles.snapshot(dir);
        OneLineErrors.assertFirstLine(CliRun.of(resume.apply(dir)), 1, broken.message());
        assertEquals(before, HostileFiles.snapshot(dir), "a refused resume leaves the run folder as it was");
        assertFalse(Files.exists(dir.resolve(RunFiles.LOCK)), "the lock is released");
    }
}
