package dev.constrained4j.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to {@code weights} stops with a non-zero status and a first line that names the problem, before any
 * training, and leaves no run folder.
 */
class WeightsCommandLineErrorsTest {

    @TempDir
    static Path tmp;

    record BadInput(String name, String[] args, int exitCode, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadInput> badInputs() throws Exception {
        String out = tmp.resolve("runs").toString();
        String mnist = RepoPaths.mnist().toString();
        String none = tmp.resolve("no-fashion").toString();
        return Stream.of(
                bad("unknown option", 2, "Unknown option", "--no-such-option"),
                bad("bad preset", 1, "--preset must be default or paper", "--preset", "huge", "-o", out),
                bad("unknown data set", 1, "--datasets must be distinct names among mnist, fashion-mnist",
                        "--datasets", "cifar10", "-o", out),
                bad("unknown constraint set", 1, "--constraints must be distinct names among", "-c", "l3-orth",
                        "-o", out),
                bad("unknown method", 1, "--methods must be distinct names among fp, sal, sadmm", "-m", "adam",
                        "-o", out),
                bad("more settings than penalties", 1, "--settings must be in [1, 2]", "--penalties", "1e-3,1e-2",
                        "--settings", "3", "-o", out),
                bad("NaN penalty", 1, "--penalties must be one or more finite numbers > 0", "--penalties", "NaN",
                        "--settings", "1", "-o", out),
                bad("SAL without whole shuffles", 1, "must be a multiple of --sal-iterations", "--epochs", "3",
                        "--sal-iterations", "2", "-o", out),
                bad("zero epochs", 1, "--epochs must be >= 1, got 0", "--epochs", "0", "-o", out),
                bad("negative train limit", 1, "--train-limit must be >= 0", "--train-limit", "-5", "-o", out),
                bad("zero batch size", 1, "--batch-size must be >= 1", "--batch-size", "0", "-o", out),
                bad("negative learning rate", 1, "--lr must be a finite number > 0", "--lr", "-1e-3", "-o", out),
                bad("unknown engine", 1, "--engine must be fused or graph", "--engine", "gpu", "-o", out),
                bad("epochs not a number", 2, "Invalid value", "--epochs", "ten", "-o", out),
                bad("no Fashion-MNIST", 1, "scripts/make-fashion-mnist-data.sh", "--datasets", "fashion-mnist",
                        "--fashion-dir", none, "--mnist-dir", mnist, "-o", out),
                bad("empty MNIST folder", 1, "MNIST file not found", "--datasets", "mnist", "--mnist-dir",
                        tmp.toString(), "-o", out),
                bad("threads 0", 1, "--threads must be >= 1", "--threads", "0", "-o", out),
                bad("resume of a non-run", 1, "not a run folder", "--resume", tmp.toString()));
    }

    private static BadInput bad(String name, int exit, String message, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "weights";
        System.arraycopy(args, 0, all, 1, args.length);
        return new BadInput(name, all, exit, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputStopsWithOneLine(BadInput bad) throws Exception {
        OneLineErrors.assertStopsWithOneLine(bad.args(), bad.exitCode(), bad.message(), tmp.resolve("runs"), "weights");
    }
}
