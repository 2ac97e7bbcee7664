package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.EpochRecord;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistExperiment;
import dev.constrained4j.runners.mnist.MnistMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped in the middle of its penalty stage and resumed gives, for every remaining epoch, exactly the
 * metrics of an uninterrupted run (all columns but the wall-clock seconds).
 */
class MnistResumeTest {

    @TempDir
    Path tmp;

    /** Thrown by the test's listener to stop a run the way a crash would: after an epoch, before its commit. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped by the test");
        }
    }

    @Test
    void resumedRunMatchesUninterruptedRun() throws Exception {
        Path warm = tmp.resolve("warm");
        MnistConfig config = new MnistConfig(List.of(MnistMode.FIXED, MnistMode.PENALTY), RepoPaths.mnist(),
                tmp.resolve("a"), warm, 1, 3, 128, 500, 7L, 1000, 200, 1e-3, 1e-3, 1e-2, 1.0, 100.0, 1.01, 1e4,
                PenaltyFunction.HINGE, 1, "test");
        Path uninterrupted = new MnistExperiment(List.of()).run(config).runDir();

        MnistConfig second = new MnistConfig(config.modes(), config.dataDir(), tmp.resolve("b"), warm,
                config.warmupEpochs(), config.epochs(), config.batchSize(), config.evalBatchSize(), config.seed(),
                config.trainLimit(), config.testLimit(), config.learningRate(), config.weightDecay(), config.bound(),
                config.penaltyFixed(), config.penaltyBase(), config.penaltyGrow(), config.penaltyCap(),
                config.penaltyFunction(), config.threads(), config.preset());
        EpochListener crash = new EpochListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                if (record.mode().equals("penalty") && record.epoch() == 1) {
                    throw new Stop();
                }
            }
        };
        assertThrows(Stop.class, () -> new MnistExperiment(List.of(crash)).run(second));
        Path stopped = MnistEndToEndTest.onlyRun(tmp.resolve("b"));
        assertEquals("failed", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(stopped.resolve("run.json").toFile()).path("status").asText());

        new MnistExperiment(List.of()).resume(stopped);

        List<String> expected = refinementRows(uninterrupted);
        List<String> actual = refinementRows(stopped);
        assertEquals(2 * 3, expected.size());
        assertEquals(expected, actual);
    }

    /** The refinement rows of metrics.csv without the seconds column. */
    private static List<String> refinementRows(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.csv")).stream()
                .filter(l -> l.contains(",refine,"))
                .map(l -> {
                    List<String> cells = new java.util.ArrayList<>(Arrays.asList(l.split(",", -1)));
                    cells.remove(3);
                    return String.join(",", cells);
                })
                .toList();
    }
}
