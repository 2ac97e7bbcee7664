package dev.constrained4j.runners.spark;

import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The small seeded MNIST runs of the Spark tests, and what they compare. */
final class SparkRuns {

    /**
     * The bound of the tests' runs: after 1 + 3 epochs on 2,000 images the reconstruction MSE is near 0.05, so that a
     * bound there leaves a fraction satisfied well inside (0, 1) to compare (with the paper's 0.01 it is 0 everywhere).
     */
    static final double BOUND = 0.05;

    private SparkRuns() {
    }

    /** The shipped MNIST files (the tests run in the runners module). */
    static Path mnist() {
        Path fromModule = Path.of("..", "data", "mnist");
        return Files.isDirectory(fromModule) ? fromModule : Path.of("data", "mnist");
    }

    /** 1 warm-up + 3 epochs of the modes on the first 2,000 training and 500 test images (the README's command). */
    static MnistConfig config(List<MnistMode> modes, Path out, Path warm) {
        return config(modes, out, warm, 2000, 500, 3);
    }

    /** 1 warm-up + {@code epochs} epochs of the modes on the first training and test images. */
    static MnistConfig config(List<MnistMode> modes, Path out, Path warm, int train, int test, int epochs) {
        return new MnistConfig(modes, mnist(), out, warm, 1, epochs, 128, 500, 7L, train, test, 1e-3, 1e-3, BOUND,
                100.0, 100.0, 1.01, 1e4, PenaltyFunction.HINGE, 1, "test");
    }

    /** The only run folder under {@code out}. */
    static Path onlyRun(Path out) throws Exception {
        try (var runs = Files.list(out)) {
            List<Path> dirs = runs.filter(p -> p.getFileName().toString().endsWith("-mnist")).toList();
            if (dirs.size() != 1) {
                throw new AssertionError("expected one run in " + out + ", got " + dirs);
            }
            return dirs.get(0);
        }
    }

    /** The rows of metrics.csv without the wall-clock seconds column. */
    static List<String> rows(Path run) throws Exception {
        return rows(run, "");
    }

    /** The rows of one mode ({@code ""}: all, with the header) of metrics.csv without the seconds column. */
    static List<String> rows(Path run, String mode) throws Exception {
        return Files.readAllLines(run.resolve("metrics.csv")).stream().filter(l -> l.startsWith(mode)).map(l -> {
            List<String> cells = new ArrayList<>(Arrays.asList(l.split(",", -1)));
            cells.remove(3);
            return String.join(",", cells);
        }).toList();
    }

    /** The metrics of one mode's last epoch, by column. */
    static Map<String, Double> last(Path run, String mode) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        String[] header = lines.get(0).split(",", -1);
        String[] row = null;
        for (String l : lines) {
            if (l.startsWith(mode + ",")) {
                row = l.split(",", -1);
            }
        }
        Map<String, Double> out = new HashMap<>();
        for (int i = 3; i < header.length; i++) {
            out.put(header[i], row[i].isEmpty() ? Double.NaN : Double.parseDouble(row[i]));
        }
        return out;
    }
}
