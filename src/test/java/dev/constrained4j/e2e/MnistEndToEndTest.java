package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.runners.mnist.MnistConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny run of the MNIST issue: {@code --train-limit 2000 --test-limit 500}, one warm-up and two refinement
 * epochs of all four modes, on the real shipped MNIST; then what a user reads: the run folder's files.
 */
class MnistEndToEndTest {

    @TempDir
    Path out;

    @Test
    void tinyRunWritesRecordMetricsWeightsAndReport() throws Exception {
        CliRun run = CliRun.of("mnist", "--train-limit", "2000", "--test-limit", "500", "--warmup-epochs", "1",
                "--epochs", "2", "-o", out.toString(), "-d", RepoPaths.mnist().toString());
        assertEquals(0, run.exitCode(), run.err());
        Path dir = onlyRun(out);

        JsonNode record = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals("completed", record.path("status").asText());
        assertEquals("mnist", record.path("experiment").asText());
        assertTrue(record.path("dataIsOriginalMnist").asBoolean(), "shipped data must be the original MNIST");
        assertEquals(4, record.path("dataSha256").size());
        for (String key : List.of("gitCommit", "backend", "threads", "startTime", "endTime", "seeds", "versions", "config")) {
            assertTrue(record.hasNonNull(key), "run.json lacks " + key);
        }
        assertEquals(2000, record.path("config").path("trainLimit").asInt());
        assertEquals(1, record.path("results").path("plain").path("bestEpoch").asInt(), "plain keeps its last epoch");

        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("mode,phase,epoch,seconds,penalty_weight,train_loss,train_acc,train_recon_mse,train_violation,"
                + "train_satisfied,test_loss,test_acc,test_recon_mse,test_violation,test_satisfied,"
                + "dual_mean,dual_max,dual_p50,dual_p90,dual_p99,dual_positive", lines.get(0));
        assertEquals(1 + 1 + 4 * 2, lines.size(), "one warm-up row and two rows per mode");
        String[] plain = lines.stream().filter(l -> l.startsWith("plain,")).findFirst().orElseThrow().split(",", -1);
        assertEquals("", plain[4], "plain has no penalty coefficient");
        assertEquals("", plain[9], "plain's satisfied fraction is not applicable");
        String[] penalty1 = lines.stream().filter(l -> l.startsWith("penalty,refine,1,")).findFirst().orElseThrow()
                .split(",", -1);
        assertEquals(101.0, Double.parseDouble(penalty1[4]), 1e-9, "τ in epoch 1 = 100 · 1.01");
        double accuracy = Double.parseDouble(penalty1[6]);
        assertTrue(accuracy > 0.5 && accuracy <= 1, "accuracy after training: " + accuracy);
        List<String> header = List.of(lines.get(0).split(","));
        String[] fixed0 = lines.stream().filter(l -> l.startsWith("fixed,refine,0,")).findFirst().orElseThrow()
                .split(",", -1);
        assertEquals(100.0, Double.parseDouble(fixed0[4]), 0.0, "fixed uses the paper's λ = 100");
        String[] alm1 = lines.stream().filter(l -> l.startsWith("alm,refine,1,")).findFirst().orElseThrow()
                .split(",", -1);
        assertEquals(MnistConfig.DEFAULT_ALM.rho(), Double.parseDouble(alm1[4]), 0.0, "alm records ρ");
        assertTrue(Double.parseDouble(alm1[header.indexOf("dual_max")]) > 0, "violated images have multipliers");
        assertEquals("", penalty1[header.indexOf("dual_mean")], "the penalty has no multipliers");

        for (String file : List.of("warm-model.zip", "plain-best.zip", "plain-last.zip", "fixed-best.zip",
                "penalty-best.zip", "penalty-last.zip", "samples/penalty-train.csv", "samples/fixed-test.csv",
                "images/penalty-reconstructions.png", "alm-best.zip", "samples/alm-train.csv",
                "images/alm-largest-multipliers.png", "report.html", "progress.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), "missing " + file);
        }
        assertEquals(2001, Files.readAllLines(dir.resolve("samples/penalty-train.csv")).size());
        assertEquals("index,recon_mse,multiplier", Files.readAllLines(dir.resolve("samples/alm-train.csv")).get(0));
        ComputationGraph best = ModelSerializer.restoreComputationGraph(dir.resolve("penalty-best.zip").toFile(), false);
        assertEquals(2, best.getNumOutputArrays(), "the saved model has both heads");

        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("data-chart=\"satisfied\""));
        assertTrue(html.contains("hist-penalty-train-recon_mse"));
        assertTrue(html.contains("hist-alm-train-multiplier"), "the multiplier histogram");
        assertFalse(html.contains("<script src="), "report must be self-contained");
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    static Path onlyRun(Path out) throws Exception {
        return onlyRun(out, "mnist");
    }

    /** The one run folder of {@code experiment} under {@code out}. */
    static Path onlyRun(Path out, String experiment) throws Exception {
        try (Stream<Path> dirs = Files.list(out)) {
            List<Path> runs = dirs.filter(d -> d.getFileName().toString().endsWith("-" + experiment)).toList();
            assertEquals(1, runs.size(), "one run folder in " + out + ": " + runs);
            return runs.get(0);
        }
    }
}
