package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.EpochRecord;
import dev.constrained4j.runners.hidden.HiddenExperiment;
import dev.constrained4j.runners.hidden.HiddenRunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hidden new} stopped after epoch 1 of a constrained model, then {@code hidden continue}: every remaining
 * epoch has exactly the metrics of an uninterrupted run (all columns but the wall-clock seconds), and the test-split
 * results of the last and best-feasible weights are the same. The run recomputes its batch-norm statistics before every
 * evaluation, trains with a 1 dB margin and drops the learning rates after 2 epochs, in the resumed part: all three
 * are resumed too.
 */
class HiddenResumeTest {

    @TempDir
    Path tmp;

    /** Thrown by the test's listener to stop a run the way a crash would: after an epoch, before its commit. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped by the test");
        }
    }

    private HiddenRunConfig config(Path out) {
        return new HiddenRunConfig(List.of(30.0), true, RepoPaths.mriSlices(), out, "", 16, 8, 4, 3, 4, 1e-3, 7L, "",
                8, 4, 4, 0.1, 1.5, 1, 500, 1, 1, "test",
                dev.constrained4j.models.hidden.HiddenSystem.Engine.FUSED, List.of("penalty"),
                HiddenRunConfig.DEFAULT_ALM, true, 1.0, 2, null);
    }

    @Test
    void continuedRunMatchesUninterruptedRun() throws Exception {
        Path uninterrupted = new HiddenExperiment(List.of(), null).run(config(tmp.resolve("a"))).runDir();

        EpochListener crash = new EpochListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                if (record.mode().equals("psnr30") && record.epoch() == 1) {
                    throw new Stop();
                }
            }
        };
        assertThrows(Stop.class, () -> new HiddenExperiment(List.of(crash), null).run(config(tmp.resolve("b"))));
        Path stopped = HiddenEndToEndTest.onlyRun(tmp.resolve("b"));
        assertEquals("failed", new ObjectMapper().readTree(stopped.resolve("run.json").toFile()).path("status").asText());

        CliRun resumed = CliRun.of("hidden", "continue", stopped.toString(), "--no-report");
        assertEquals(0, resumed.exitCode(), resumed.err());

        List<String> expected = rowsWithoutSeconds(uninterrupted);
        assertEquals(1 + 2 * 3, expected.size());
        assertEquals(expected, rowsWithoutSeconds(stopped));
        for (String file : List.of(HiddenExperiment.TEST_TABLE, HiddenExperiment.DOWNSTREAM_TABLE,
                "samples/psnr30-test.csv", "samples/psnr30-test-best.csv")) {
            assertEquals(Files.readAllLines(uninterrupted.resolve(file)), Files.readAllLines(stopped.resolve(file)), file);
        }
        assertEquals("completed", new ObjectMapper().readTree(stopped.resolve("run.json").toFile()).path("status").asText());
    }

    /** The lines of metrics.csv without the seconds column. */
    private static List<String> rowsWithoutSeconds(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.csv")).stream()
                .map(l -> {
                    List<String> cells = new ArrayList<>(Arrays.asList(l.split(",", -1)));
                    cells.remove(3);
                    return String.join(",", cells);
                })
                .toList();
    }
}
