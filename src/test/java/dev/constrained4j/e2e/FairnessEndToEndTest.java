package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.losses.optim.SslAlmConfig;
import dev.constrained4j.losses.optim.SwitchingSubgradientConfig;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.EpochRecord;
import dev.constrained4j.runners.fairness.FairnessConfig;
import dev.constrained4j.runners.fairness.FairnessExperiment;
import dev.constrained4j.runners.run.RecordJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fairness runner from the command line on the shipped CPSSW8 data (every method, one seed, two epochs), its
 * configuration record, and resume: a run stopped in the middle of a method gives exactly the metrics of an
 * uninterrupted one (all columns but the timings), optimiser state (multipliers, slacks, proximal centres, Adam's
 * moments, SSw's tolerance) included.
 */
class FairnessEndToEndTest {

    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyMethodTrainsAndTheReportIsWritten() throws Exception {
        Path out = tmp.resolve("runs");
        CliRun run = CliRun.of("fairness", "-d", RepoPaths.cpssw8().toString(), "--seeds", "1", "--epochs", "2",
                "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path dir = MnistEndToEndTest.onlyRun(out, "fairness");
        JsonNode record = JSON.readTree(dir.resolve("run.json").toFile());
        assertEquals("completed", record.path("status").asText());
        assertEquals("fairness", record.path("report").path("kind").asText());
        assertEquals(List.of("Northeast", "Midwest", "South", "West"),
                JSON.convertValue(record.path("report").path("groups"), List.class));
        assertEquals(61_395, record.path("data").path("rows").asInt());
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        assertTrue(header.containsAll(List.of("test_gap_northeast", "train_gap_west", "test_max_violation", "elapsed")),
                lines.get(0));
        assertEquals(1 + 5 * 2, lines.size());
        for (String method : FairnessConfig.METHODS) {
            assertTrue(Files.isRegularFile(dir.resolve(method + "-s0-last.bin")), method);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(method + "-s0," + method + ",1,")), method);
        }
        // every group's gap is a real number and the violation is max_g |gap_g| − c
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            double worst = Double.NEGATIVE_INFINITY;
            for (String g : List.of("northeast", "midwest", "south", "west")) {
                worst = Math.max(worst, Math.abs(Double.parseDouble(cells[header.indexOf("test_gap_" + g)])));
            }
            assertEquals(worst - 0.05, Double.parseDouble(cells[header.indexOf("test_max_violation")]), 1e-12);
        }
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("SSL-ALM") && html.contains("within bound") || html.contains("exceeds by"), "report");
    }

    @Test
    void configurationRoundTripsThroughJson() {
        FairnessConfig config = smallConfig(tmp.resolve("x"), List.of("sslalm", "ssw"));
        assertEquals(config, RecordJson.fromJson(RecordJson.toJson(config), FairnessConfig.class));
        FairnessConfig nan = FairnessConfig.defaults();
        assertTrue(Double.isNaN(RecordJson.fromJson(RecordJson.toJson(nan), FairnessConfig.class).almDualLearningRate()));
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) RecordJson.toJson(config);
        node.put("epochs", "ten");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordJson.fromJson(node, FairnessConfig.class));
        assertTrue(e.getMessage().startsWith("run.json config field 'epochs' must be an integer, got \"ten\""), e.getMessage());
    }

    /** Thrown by the test's listener to stop a run the way a crash would: after an epoch, before its commit. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped by the test");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sslalm", "ssw", "alm", "penalty"})
    void resumedRunMatchesUninterruptedRun(String stopIn) throws Exception {
        FairnessConfig config = smallConfig(tmp.resolve("a"), List.of("adam", "sslalm", "ssw", "penalty", "alm"));
        Path uninterrupted = new FairnessExperiment(List.of()).run(config).runDir();
        FairnessConfig second = smallConfig(tmp.resolve("b"), config.methods());
        EpochListener crash = new EpochListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                if (record.mode().equals(stopIn + "-s0") && record.epoch() == 1) {
                    throw new Stop();
                }
            }
        };
        assertThrows(Stop.class, () -> new FairnessExperiment(List.of(crash)).run(second));
        Path stopped = MnistEndToEndTest.onlyRun(tmp.resolve("b"), "fairness");
        new FairnessExperiment(List.of()).resume(stopped);
        List<String> expected = MetricsRows.withoutTimings(uninterrupted);
        assertEquals(5 * 3, expected.size());
        assertEquals(expected, MetricsRows.withoutTimings(stopped));
        // the multipliers of SSL-ALM and alm moved; Adam has none
        assertTrue(expected.stream().filter(l -> l.startsWith("sslalm-s0")).noneMatch(l -> l.contains(",,,,,,")));
        assertFalse(expected.stream().filter(l -> l.startsWith("adam-s0")).noneMatch(l -> l.contains(",,,,,,")));
    }

    private static FairnessConfig smallConfig(Path out, List<String> methods) {
        return new FairnessConfig("cpssw8", RepoPaths.cpssw8(), "region", true, 0.05, methods, 1, 3, 64, 0.2, 4,
                List.of(16, 8), 1e-3, SslAlmConfig.seed(), SwitchingSubgradientConfig.seed(), 0.1, 1.1, 100, 1.0,
                Double.NaN, out, 1);
    }
}
