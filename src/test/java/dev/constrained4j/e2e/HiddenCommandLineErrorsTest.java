package dev.constrained4j.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to {@code hidden} stops the program with a non-zero status and a first line that names the problem,
 * before any training, and leaves no run folder behind.
 */
class HiddenCommandLineErrorsTest {

    @TempDir
    static Path tmp;

    /** One bad invocation and what its first line of standard error must say. */
    record BadInput(String name, List<String> args, int exitCode, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadInput> badInputs() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String out = tmp.resolve("runs").toString();
        return Stream.of(
                new BadInput("no subcommand", List.of("hidden"), 2, "hidden needs a subcommand"),
                new BadInput("unknown option", List.of("hidden", "new", "--no-such-option"), 2, "Unknown option"),
                new BadInput("bound not a number", List.of("hidden", "new", "--PSNR", "high", "-o", out), 2, "--PSNR"),
                new BadInput("penalty without bound", List.of("hidden", "new", "--penalty", "0.1", "1.1", "10", "-o", out),
                        1, "--penalty needs --PSNR"),
                new BadInput("penalty with two values", List.of("hidden", "new", "--PSNR", "30", "--penalty", "0.1", "1.1"),
                        2, "--penalty"),
                new BadInput("shrinking penalty", List.of("hidden", "new", "--PSNR", "30", "--penalty", "0.1", "0.5", "10",
                        "-o", out), 1, "penalty growth factor must be a finite number >= 1, got 0.5"),
                new BadInput("penalty period not whole", List.of("hidden", "new", "--PSNR", "30", "--penalty", "0.1", "1.1",
                        "ten", "-o", out), 1, "--penalty EVERY_N must be a whole number of epochs, got 'ten'"),
                new BadInput("repeated bound", List.of("hidden", "new", "--PSNR", "30,40", "--PSNR", "30", "-o", out), 1,
                        "PSNR bounds must be distinct"),
                new BadInput("batch of one", List.of("hidden", "new", "-b", "1", "-o", out), 1, "batchSize must be >= 2, got 1"),
                new BadInput("negative epochs", List.of("hidden", "new", "-e", "-1", "-o", out), 1, "epochs must be >= 0, got -1"),
                new BadInput("bad noise", List.of("hidden", "new", "--noise", "blur(3)", "-o", out), 1, "blur"),
                new BadInput("bad preset", List.of("hidden", "new", "--preset", "huge", "-o", out), 1, "--preset must be"),
                new BadInput("bad engine", List.of("hidden", "new", "--engine", "turbo", "-o", out), 1,
                        "engine must be fused or samediff, got 'turbo'"),
                new BadInput("baseline alone", List.of("hidden", "new", "--baseline", "-o", out), 1,
                        "--baseline adds the baseline to a run with --PSNR"),
                new BadInput("missing data", List.of("hidden", "new", "-d", tmp.resolve("nowhere").toString(), "-o", out),
                        1, "data folder not found"),
                new BadInput("no images", List.of("hidden", "new", "-d", empty.toString(), "-o", out), 1, "no image in"),
                new BadInput("continue a non-run", List.of("hidden", "continue", empty.toString()), 1, "not a run folder"),
                new BadInput("continue without a folder", List.of("hidden", "continue"), 2, "RUN_DIR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputStopsWithOneLine(BadInput bad) throws Exception {
        OneLineErrors.assertStopsWithOneLine(bad.args().toArray(String[]::new), bad.exitCode(), bad.message(), tmp.resolve("runs"), "hidden");
    }
}
