package dev.constrained4j.runners.run;

import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.EpochRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * {@code metrics.csv}: one row per mode and epoch with the columns {@code mode,phase,epoch,seconds,penalty_weight}
 * followed by the experiment's metric columns ({@code <split>_<metric>}). A NaN metric ("not applicable") is an
 * empty cell. Rows are grouped by mode, in the order the modes first ran, and by epoch within a mode. The whole file
 * is rewritten atomically at every epoch (it has at most a few thousand rows).
 */
public final class MetricsCsv implements EpochListener {

    private final Path file;
    private final List<String> metricColumns;
    private final List<String> rows = new ArrayList<>();

    /**
     * Opens the metrics file of a run. Rows already there are kept when {@code keep} says so for their mode
     * and epoch (on resume: only committed epochs), and dropped otherwise.
     *
     * @param completedEpochs for each mode, how many epochs are committed (rows at or beyond are dropped)
     */
    public MetricsCsv(Path file, List<String> metricColumns, ToIntFunction<String> completedEpochs) {
        this.file = file;
        this.metricColumns = List.copyOf(metricColumns);
        if (Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && !lines.get(0).equals(header())) {
                    throw new IllegalStateException(file + " has other columns than this run writes: " + lines.get(0));
                }
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] cells = line.split(",", -1);
                    if (cells.length >= 3 && Integer.parseInt(cells[2]) < completedEpochs.applyAsInt(cells[0])) {
                        rows.add(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        write();
    }

    /** The header line. */
    public String header() {
        List<String> all = new ArrayList<>(RunFiles.METRICS_LEADING);
        all.addAll(metricColumns);
        return String.join(",", all);
    }

    @Override
    public void onEpochEnd(EpochRecord record) {
        StringBuilder row = new StringBuilder()
                .append(record.mode()).append(',')
                .append(record.phase()).append(',')
                .append(record.epoch()).append(',')
                .append(String.format(Locale.ROOT, "%.3f", record.seconds())).append(',')
                .append(format(record.coefficient()));
        Map<String, Double> metrics = record.metrics();
        for (String column : metricColumns) {
            row.append(',').append(format(metrics.getOrDefault(column, Double.NaN)));
        }
        rows.add(afterLastRowOf(record.mode()), row.toString());
        write();
    }

    /**
     * Where a new row of {@code mode} goes: after the mode's last row, so that the rows stay grouped by stage in the
     * order the stages first ran even when a finished run is continued to more epochs.
     */
    private int afterLastRowOf(String mode) {
        String prefix = mode + ",";
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (rows.get(i).startsWith(prefix)) {
                return i + 1;
            }
        }
        return rows.size();
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private void write() {
        StringBuilder text = new StringBuilder(header()).append('\n');
        for (String row : rows) {
            text.append(row).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }
}
