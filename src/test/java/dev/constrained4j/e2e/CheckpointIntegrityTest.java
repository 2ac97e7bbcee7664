package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.losses.optim.SslAlmConfig;
import dev.constrained4j.losses.optim.SwitchingSubgradientConfig;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.EpochRecord;
import dev.constrained4j.runners.fairness.FairnessConfig;
import dev.constrained4j.runners.fairness.FairnessExperiment;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.runners.run.RunLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checkpoints you can trust, on the fastest experiment (fairness: SSL-ALM then the augmented Lagrangian, three
 * epochs each): a run stopped in the third epoch of the second method, whose latest checkpoint is then damaged,
 * resumes from the previous one with a one-line warning naming both, trains the lost epoch again and finishes with
 * exactly the metrics of an uninterrupted run (every column but the timings); with both checkpoints damaged it stops
 * with a one-line error naming both and the fix.
 */
class CheckpointIntegrityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("sslalm", "alm");
    private static final String STOPPED_MODE = "alm-s0";
    private static final int EPOCHS = 3;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static Path uninterrupted;

    /** How the latest checkpoint is damaged. */
    enum Damage {
        TRUNCATE, FLIP_A_BYTE, DELETE_THE_CHECKSUM, DELETE_THE_FILE;

        void apply(Path checkpoint) throws IOException {
            switch (this) {
                case TRUNCATE -> {
                    try (FileChannel c = FileChannel.open(checkpoint, StandardOpenOption.WRITE)) {
                        c.truncate(c.size() / 2);
                    }
                }
                case FLIP_A_BYTE -> {
                    byte[] bytes = Files.readAllBytes(checkpoint);
                    bytes[bytes.length / 2] ^= 0x01;
                    Files.write(checkpoint, bytes);
                }
                case DELETE_THE_CHECKSUM -> Files.delete(AtomicFiles.checksumFile(checkpoint));
                case DELETE_THE_FILE -> Files.delete(checkpoint);
            }
        }
    }

    /** Thrown by the test's listener to stop a run the way a crash would: after an epoch, before its commit. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped by the test");
        }
    }

    @BeforeAll
    static void runUninterrupted() {
        uninterrupted = new FairnessExperiment(List.of()).run(config(shared.resolve("uninterrupted"))).runDir();
    }

    @Test
    void theLastTwoCheckpointsOfEveryStageAreKeptWithTheirChecksums() throws Exception {
        for (String method : METHODS) {
            String mode = method + "-s0";
            Set<String> expected = Set.of(ckpt(mode, 1), ckpt(mode, 1) + ".sha256", ckpt(mode, 2), ckpt(mode, 2) + ".sha256");
            try (Stream<Path> files = Files.list(uninterrupted.resolve("checkpoints"))) {
                assertEquals(expected, files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(mode + "-"))
                        .collect(Collectors.toSet()));
            }
            for (int epoch : new int[] {1, 2}) {
                Path checkpoint = uninterrupted.resolve("checkpoints").resolve(ckpt(mode, epoch));
                // the format of sha256sum, so that `sha256sum -c` checks it by hand
                assertEquals(AtomicFiles.sha256(checkpoint) + "  " + checkpoint.getFileName() + "\n",
                        Files.readString(AtomicFiles.checksumFile(checkpoint)));
            }
            JsonNode stage = JSON.readTree(uninterrupted.resolve("progress.json").toFile()).path("stages").path(mode);
            assertEquals(ckpt(mode, 2), stage.path("checkpoint").asText());
            assertEquals(ckpt(mode, 1), stage.path("previous").path("checkpoint").asText());
        }
        assertFalse(Files.exists(uninterrupted.resolve(RunFiles.LOCK)), "the lock is released at the end of a run");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedLatestCheckpointFallsBackToThePreviousOne(Damage damage) throws Exception {
        Path stopped = stoppedRun();
        Path latest = stopped.resolve("checkpoints").resolve(ckpt(STOPPED_MODE, 1));
        damage.apply(latest);

        List<String> warnings;
        try (LogCapture log = new LogCapture()) {
            new FairnessExperiment(List.of()).resume(stopped);
            warnings = log.warnings();
        }

        List<String> fallBacks = warnings.stream().filter(w -> w.contains(ckpt(STOPPED_MODE, 1))).toList();
        assertEquals(1, fallBacks.size(), warnings.toString());
        String warning = fallBacks.get(0);
        assertTrue(warning.contains(ckpt(STOPPED_MODE, 0)) && warning.contains("after epoch 0")
                && warning.lines().count() == 1, warning);
        List<String> expected = MetricsRows.withoutTimings(uninterrupted);
        assertEquals(METHODS.size() * EPOCHS, expected.size());
        assertEquals(expected, MetricsRows.withoutTimings(stopped));
        // the epoch trained again has an intact checkpoint again
        assertEquals(java.util.Optional.empty(), AtomicFiles.checksumProblem(latest));
        assertFalse(Files.exists(stopped.resolve(RunFiles.LOCK)));
    }

    @Test
    void bothCheckpointsDamagedIsAOneLineErrorNamingThemAndTheFix() throws Exception {
        Path stopped = stoppedRun();
        Path checkpoints = stopped.resolve("checkpoints");
        Damage.FLIP_A_BYTE.apply(checkpoints.resolve(ckpt(STOPPED_MODE, 1)));
        Damage.TRUNCATE.apply(checkpoints.resolve(ckpt(STOPPED_MODE, 0)));
        List<String> before = MetricsRows.withoutTimings(stopped);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new FairnessExperiment(List.of()).resume(stopped));

        String message = e.getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains(ckpt(STOPPED_MODE, 1)) && message.contains(ckpt(STOPPED_MODE, 0))
                && message.contains("start a new run"), message);
        assertEquals(before, MetricsRows.withoutTimings(stopped), "nothing was written");
        assertFalse(Files.exists(stopped.resolve(RunFiles.LOCK)), "a refused resume releases the lock");

        CliRun cli = CliRun.of("fairness", "--resume", stopped.toString());
        assertEquals(1, cli.exitCode());
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().startsWith("error: stage " + STOPPED_MODE), cli.err());
    }

    @Test
    void theStaleLockOfAKilledRunIsTakenOver() throws Exception {
        Path stopped = stoppedRun();
        Process gone = new ProcessBuilder("sh", "-c", "exit 0").start();
        gone.waitFor();
        Files.writeString(stopped.resolve(RunFiles.LOCK), "{\"pid\": " + gone.pid() + "}\n");

        List<String> warnings;
        try (LogCapture log = new LogCapture()) {
            new FairnessExperiment(List.of()).resume(stopped);
            warnings = log.warnings();
        }

        assertTrue(warnings.stream().anyMatch(w -> w.contains("stale lock") && w.contains(" " + gone.pid() + " ")),
                warnings.toString());
        assertEquals(MetricsRows.withoutTimings(uninterrupted), MetricsRows.withoutTimings(stopped));
        assertFalse(Files.exists(stopped.resolve(RunFiles.LOCK)));
    }

    /** A run stopped after two committed epochs of {@link #STOPPED_MODE} (its checkpoints of epochs 0 and 1). */
    private Path stoppedRun() throws Exception {
        EpochListener crash = new EpochListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                if (record.mode().equals(STOPPED_MODE) && record.epoch() == 2) {
                    throw new Stop();
                }
            }
        };
        assertThrows(Stop.class, () -> new FairnessExperiment(List.of(crash)).run(config(tmp.resolve("runs"))));
        Path stopped = MnistEndToEndTest.onlyRun(tmp.resolve("runs"), "fairness");
        assertFalse(Files.exists(stopped.resolve(RunFiles.LOCK)), "a failed run releases the lock");
        for (int epoch : new int[] {0, 1}) {
            assertEquals(java.util.Optional.empty(),
                    AtomicFiles.checksumProblem(stopped.resolve("checkpoints").resolve(ckpt(STOPPED_MODE, epoch))));
        }
        return stopped;
    }

    private static String ckpt(String mode, int epoch) {
        return mode + "-epoch-" + epoch + ".ckpt";
    }

    /** {@code FairnessEndToEndTest}'s small configuration with this test's methods. */
    private static FairnessConfig config(Path out) {
        return new FairnessConfig("cpssw8", RepoPaths.cpssw8(), "region", true, 0.05, METHODS, 1, EPOCHS, 64, 0.2, 4,
                List.of(16, 8), 1e-3, SslAlmConfig.seed(), SwitchingSubgradientConfig.seed(), 0.1, 1.1, 100, 1.0,
                Double.NaN, out, 1);
    }
}
