package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run stopped in the middle of a stage and resumed gives, for every remaining epoch, exactly the metrics of an
 * uninterrupted run (all columns but the wall-clock seconds): the penalty's τ, and the augmented Lagrangian's
 * per-image multipliers (on the heap, or memory-mapped in the run folder) come back from the checkpoint.
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

    @ParameterizedTest
    @CsvSource({"penalty, false", "alm, false", "alm, true"})
    void resumedRunMatchesUninterruptedRun(String stopIn, boolean mapped) throws Exception {
        Path warm = tmp.resolve("warm");
        MnistConfig config = new MnistConfig(List.of(MnistMode.FIXED, MnistMode.ALM, MnistMode.PENALTY),
                RepoPaths.mnist(), tmp.resolve("a"), warm, 1, 3, 128, 500, 7L, 1000, 200, 1e-3, 1e-3, 1e-2, 1.0,
                100.0, 1.01, 1e4, PenaltyFunction.HINGE, 1, "test")
                .withAlm(new AugmentedLagrangianConfig(1e3, 1.5, 1, 1e4, Double.NaN, mapped));
        Path uninterrupted = new MnistExperiment(List.of()).run(config).runDir();

        MnistConfig second = config.withOutDir(tmp.resolve("b"), warm);
        EpochListener crash = new EpochListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                if (record.mode().equals(stopIn) && record.epoch() == 1) {
                    throw new Stop();
                }
            }
        };
        assertThrows(Stop.class, () -> new MnistExperiment(List.of(crash)).run(second));
        Path stopped = MnistEndToEndTest.onlyRun(tmp.resolve("b"));
        assertEquals("failed", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(stopped.resolve("run.json").toFile()).path("status").asText());
        assertEquals(mapped, Files.isRegularFile(stopped.resolve(MnistExperiment.MAPPED_MULTIPLIERS)));

        new MnistExperiment(List.of()).resume(stopped);

        List<String> expected = refinementRows(uninterrupted);
        List<String> actual = refinementRows(stopped);
        assertEquals(3 * 3, expected.size());
        assertEquals(expected, actual);
        // the multipliers moved: the alm rows have statistics, the others none
        assertTrue(expected.stream().filter(l -> l.startsWith("alm,")).allMatch(l -> !l.endsWith(",,,,,,")));
        assertTrue(expected.stream().filter(l -> l.startsWith("fixed,")).allMatch(l -> l.endsWith(",,,,,,")));
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
