package dev.constrained4j.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input stops the program with a non-zero status and a first line that names the problem, before any
 * training, and leaves no half-written run.
 */
class CommandLineErrorsTest {

    @TempDir
    static Path tmp;

    /** One bad invocation and what its first line of standard error must say. */
    record BadInput(String name, String[] args, int exitCode, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadInput> badInputs() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        for (String name : new String[]{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.copy(RepoPaths.mnist().resolve(name + ".gz"), corrupt.resolve(name + ".gz"));
        }
        byte[] truncated = Files.readAllBytes(corrupt.resolve("t10k-images-idx3-ubyte.gz"));
        Files.write(corrupt.resolve("t10k-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(truncated, truncated.length / 2));
        String out = tmp.resolve("runs").toString();
        return Stream.of(
                new BadInput("unknown option", new String[]{"mnist", "--no-such-option"}, 2, "Unknown option"),
                new BadInput("bad mode", new String[]{"mnist", "-e", "fancy", "-o", out}, 1, "-e/--experiment must be"),
                new BadInput("negative epochs", new String[]{"mnist", "--epochs", "-1", "-o", out}, 1,
                        "epochs must be >= 0, got -1"),
                new BadInput("bad preset", new String[]{"mnist", "--preset", "huge", "-o", out}, 1, "--preset must be"),
                new BadInput("missing data", new String[]{"mnist", "-d", empty.toString(), "-o", out}, 1,
                        "MNIST file not found: " + empty),
                new BadInput("truncated data", new String[]{"mnist", "-d", corrupt.toString(), "-o", out}, 1,
                        "t10k-images-idx3-ubyte.gz"),
                new BadInput("resume of a non-run", new String[]{"mnist", "--resume", empty.toString()}, 1,
                        "not a run folder"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputStopsWithOneLine(BadInput bad) throws Exception {
        OneLineErrors.assertStopsWithOneLine(bad.args(), bad.exitCode(), bad.message(), tmp.resolve("runs"), "mnist");
    }
}
