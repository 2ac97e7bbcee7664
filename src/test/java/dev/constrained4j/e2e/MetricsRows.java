package dev.constrained4j.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The rows of a run's metrics.csv for comparisons of two runs. */
final class MetricsRows {

    private MetricsRows() {
    }

    /** Every row of {@code metrics.csv} without the columns that hold wall-clock times (seconds, elapsed). */
    static List<String> withoutTimings(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        List<Integer> timings = new ArrayList<>();
        for (String column : List.of("seconds", "elapsed")) {
            if (header.contains(column)) {
                timings.add(header.indexOf(column));
            }
        }
        timings.sort(java.util.Comparator.reverseOrder());
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            for (int column : timings) {
                cells.remove(column);
            }
            rows.add(String.join(",", cells));
        }
        return rows;
    }
}
