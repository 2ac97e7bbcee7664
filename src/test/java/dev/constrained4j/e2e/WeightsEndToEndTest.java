package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.EpochRecord;
import dev.constrained4j.runners.run.RecordJson;
import dev.constrained4j.runners.weights.WeightsConfig;
import dev.constrained4j.runners.weights.WeightsExperiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weight-constraint runner on a few real MNIST images: FP, SAL and S-ADMM on the CNN under L2 and
 * orthogonality constraints, the record the report's table is built from, and a run killed inside SAL's second
 * shuffle and resumed giving exactly the metrics of an uninterrupted run (all but the timings).
 */
class WeightsEndToEndTest {

    @TempDir
    Path tmp;

    private static WeightsConfig tiny(Path out) {
        return new WeightsConfig(List.of("mnist"), RepoPaths.mnist(), RepoPaths.mnist().resolveSibling("fashion-mnist"),
                List.of("l2-orth"), WeightsConfig.METHODS, 1, 1, 4, 256, 200, 64, 3, 1e-3, List.of(1e-2), 2,
                WeightsConfig.defaults().engine(), out, 1, "test");
    }

    /** Thrown by the test's listener to stop a run the way a crash would: after an epoch, before its commit. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped by the test");
        }
    }

    @Test
    void killedInsideSalAndResumedGivesTheUninterruptedMetrics() throws Exception {
        WeightsConfig config = tiny(tmp.resolve("a"));
        assertEquals(config, RecordJson.fromJson(RecordJson.toJson(config), WeightsConfig.class));
        Path uninterrupted = new WeightsExperiment(List.of()).run(config).runDir();

        EpochListener crash = new EpochListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                if (record.mode().equals("mnist-l2-orth-sal-h0-s0") && record.epoch() == 2) {
                    throw new Stop();
                }
            }
        };
        assertThrows(Stop.class, () -> new WeightsExperiment(List.of(crash)).run(tiny(tmp.resolve("b"))));
        Path stopped = MnistEndToEndTest.onlyRun(tmp.resolve("b"), "weights");
        new WeightsExperiment(List.of()).resume(stopped);

        List<String> expected = MetricsRows.withoutTimings(uninterrupted);
        assertEquals(3 * 4, expected.size());
        assertEquals(expected, MetricsRows.withoutTimings(stopped));

        JsonNode record = new ObjectMapper().readTree(uninterrupted.resolve("run.json").toFile());
        assertEquals("completed", record.path("status").asText());
        assertEquals("weights", record.path("report").path("kind").asText());
        assertEquals("sal", record.path("report").path("modes").path("mnist-l2-orth-sal-h0-s0").path("method").asText());
        // every method lowered the violation from its initial value (CV(−1) < 1) and learned something
        List<String> lines = Files.readAllLines(uninterrupted.resolve("metrics.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells[2].equals("3")) {
                assertTrue(Double.parseDouble(cells[header.indexOf("cv_rel")]) < 1, line);
                assertTrue(Double.parseDouble(cells[header.indexOf("test_acc")]) > 0.2, line);
            }
        }
        assertTrue(Files.isRegularFile(uninterrupted.resolve("mnist-l2-orth-sadmm-h0-s0-last.bin")));
    }

    @Test
    void missingFashionMnistNamesTheScript() {
        WeightsConfig config = new WeightsConfig(List.of("fashion-mnist"), RepoPaths.mnist(), tmp.resolve("none"),
                List.of("l2-orth"), List.of("fp"), 1, 1, 1, 64, 64, 64, 0, 1e-3, List.of(1e-2), 1,
                WeightsConfig.defaults().engine(), tmp.resolve("out"), 1, "test");
        Exception e = assertThrows(dev.constrained4j.data.DataException.class,
                () -> new WeightsExperiment(List.of()).run(config));
        assertTrue(e.getMessage().contains("scripts/make-fashion-mnist-data.sh"), e.getMessage());
    }
}
