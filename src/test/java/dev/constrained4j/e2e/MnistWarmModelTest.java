package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.mnist.MnistExperiment;
import dev.constrained4j.runners.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared warm model after a kill (issue 13, "nothing lost"): a warm-model path in any state a killed or damaged
 * save leaves — a zip without its json (the runner once wrote the zip first), a zip cut short beside its json (or a
 * json that names another zip: a kill between the json and the zip) — is trained again and replaced with a one-line
 * warning, and the folder holds a pair that the next run loads; a complete warm model of other settings is still
 * refused with one line, and a json without a sha256 (written by the earlier runner) is still loaded. The data are
 * the first 300 + 100 shipped images, so each run takes about a second.
 */
class MnistWarmModelTest {

    @TempDir
    static Path tmp;

    /** Valid data: the first 300 training and 100 test images. */
    private static Path tiny;
    /** A warm-model path as a finished run leaves it: the original of every damaged one. */
    private static Path saved;

    @BeforeAll
    static void saveAWarmModel() throws Exception {
        tiny = HostileFiles.tinyMnist(tmp.resolve("tiny"), 300, 100);
        saved = tmp.resolve("saved");
        CliRun run = mnist(tmp.resolve("first"), saved);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("trained in this run, saved to " + saved.resolve(MnistExperiment.WARM_MODEL),
                warmModel(tmp.resolve("first")));
        assertConsistentPair(saved);
    }

    @Test
    void aZipWithoutItsJsonIsTrainedAgainAndReplaced() throws Exception {
        Path warm = HostileFiles.copyFolder(saved, tmp.resolve("no-json"));
        Files.delete(warm.resolve(MnistExperiment.WARM_MODEL_JSON));
        assertTrainedAgain(warm, "has no " + MnistExperiment.WARM_MODEL_JSON);
    }

    /** Stale, not refused: the json vouches for another zip, so nothing in the folder is a warm model to keep. */
    @Test
    void aTruncatedZipBesideItsJsonIsTrainedAgainAndReplaced() throws Exception {
        Path warm = HostileFiles.copyFolder(saved, tmp.resolve("truncated"));
        Path zip = warm.resolve(MnistExperiment.WARM_MODEL);
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, Arrays.copyOf(bytes, bytes.length / 2));
        assertTrainedAgain(warm, "does not match the sha256 in " + MnistExperiment.WARM_MODEL_JSON);
    }

    @Test
    void aCompleteWarmModelOfOtherSettingsIsStillRefused() throws Exception {
        Path warm = HostileFiles.copyFolder(saved, tmp.resolve("other-settings"));
        var before = HostileFiles.snapshot(warm);
        List<String> args = new ArrayList<>(args(tmp.resolve("other-settings-run"), warm));
        args.addAll(List.of("--seed", "99"));
        CliRun run = OneLineErrors.assertFirstLine(CliRun.of(args.toArray(String[]::new)), 1,
                "the warm model in " + warm + " was made with other settings");
        assertTrue(run.err().lines().findFirst().orElse("").endsWith("delete it or pass another --warm-model-path"),
                run.err());
        assertEquals(before, HostileFiles.snapshot(warm), "the refused warm model is left as it was");
    }

    @Test
    void aJsonWithoutASha256FromTheEarlierRunnerIsStillLoaded() throws Exception {
        Path warm = HostileFiles.copyFolder(saved, tmp.resolve("legacy"));
        Path json = warm.resolve(MnistExperiment.WARM_MODEL_JSON);
        ObjectNode settings = (ObjectNode) RunFolder.readJson(json);
        settings.remove(MnistExperiment.WARM_MODEL_SHA256);
        RunFolder.writeJson(json, settings);
        assertLoaded(warm);
    }

    /**
     * A run on {@code warm} succeeds, warns once in one line naming the zip and {@code problem}, trains its own warm
     * model and leaves a consistent pair, which the run after it loads without a warning.
     */
    private static void assertTrainedAgain(Path warm, String problem) throws Exception {
        Path out = tmp.resolve(warm.getFileName() + "-run");
        List<String> warnings = succeeds(out, warm);
        List<String> about = warnings.stream().filter(w -> w.contains(MnistExperiment.WARM_MODEL)).toList();
        assertEquals(1, about.size(), warnings.toString());
        assertTrue(about.get(0).contains(warm.resolve(MnistExperiment.WARM_MODEL).toString())
                && about.get(0).contains(problem) && about.get(0).contains("training a new one to replace it")
                && about.get(0).lines().count() == 1, about.get(0));
        assertEquals("trained in this run, saved to " + warm.resolve(MnistExperiment.WARM_MODEL), warmModel(out));
        assertConsistentPair(warm);
        assertEquals(settings(saved), settings(warm), "the settings of this run");
        assertLoaded(warm);
    }

    /** A run on {@code warm} loads its warm model, without a warning about it. */
    private static void assertLoaded(Path warm) throws Exception {
        Path out = tmp.resolve(warm.getFileName() + "-load");
        List<String> warnings = succeeds(out, warm);
        assertEquals("loaded from " + warm.resolve(MnistExperiment.WARM_MODEL), warmModel(out));
        assertTrue(warnings.stream().noneMatch(w -> w.contains(MnistExperiment.WARM_MODEL)), warnings.toString());
    }

    /** Runs {@code mnist} into {@code out} on the warm-model folder {@code warm}, which must succeed: its warnings. */
    private static List<String> succeeds(Path out, Path warm) throws Exception {
        List<String> warnings;
        CliRun run;
        try (LogCapture log = new LogCapture()) {
            run = mnist(out, warm);
            warnings = log.warnings();
        }
        assertEquals(0, run.exitCode(), run.err());
        return warnings;
    }

    /** The json beside the zip records the zip's sha256, and neither has a temporary left beside it. */
    private static void assertConsistentPair(Path warm) throws Exception {
        JsonNode json = RunFolder.readJson(warm.resolve(MnistExperiment.WARM_MODEL_JSON));
        assertEquals(AtomicFiles.sha256(warm.resolve(MnistExperiment.WARM_MODEL)),
                json.path(MnistExperiment.WARM_MODEL_SHA256).asText(), json.toString());
        assertTrue(json.has("seed") && json.has("trainData"), json.toString());
        HostileFiles.assertNoTemporaries(warm);
    }

    /** The settings in the json of {@code warm}, without the zip's sha256 (the zip holds modification times). */
    private static JsonNode settings(Path warm) {
        ObjectNode json = (ObjectNode) RunFolder.readJson(warm.resolve(MnistExperiment.WARM_MODEL_JSON));
        json.remove(MnistExperiment.WARM_MODEL_SHA256);
        return json;
    }

    private static List<String> args(Path out, Path warm) {
        return List.of("mnist", "-e", "plain", "--warmup-epochs", "1", "--epochs", "1", "-d", tiny.toString(),
                "-o", out.toString(), "-wmp", warm.toString(), "--no-report");
    }

    private static CliRun mnist(Path out, Path warm) {
        return CliRun.of(args(out, warm).toArray(String[]::new));
    }

    /** What the record of the one run under {@code out} says about its warm model. */
    private static String warmModel(Path out) throws Exception {
        return RunFolder.readJson(MnistEndToEndTest.onlyRun(out).resolve(RunFiles.RUN_JSON)).path("warmModel").asText();
    }
}
