package dev.constrained4j.reports.record;

import dev.constrained4j.reports.run.RunFiles;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A run folder read from disk: its {@code run.json} and its {@code metrics.csv}; the other files
 * (samples, images, tables) are opened on demand through {@link #file(String)}.
 *
 * @param record  the run record
 * @param metrics the per-epoch metrics
 */
public record RunFolder(RunRecord record, MetricsTable metrics) {

    /**
     * Reads {@code run.json} and {@code metrics.csv} of a run folder.
     *
     * @param dir the run folder
     * @return the run
     * @throws dev.constrained4j.reports.ReportException if either file is missing or malformed
     */
    public static RunFolder read(Path dir) {
        RunRecord record = RunRecord.read(dir);
        MetricsTable metrics = MetricsTable.read(dir.resolve(RunFiles.METRICS_CSV), record.hints().splits());
        return new RunFolder(record, metrics);
    }

    /**
     * @return the modes whose curves and summaries are shown: those of run.json in run order, then
     *         any other mode of metrics.csv; the warm-up is left out
     */
    public List<String> plottedModes() {
        Set<String> modes = new LinkedHashSet<>(record.modes());
        modes.addAll(metrics.modes());
        modes.remove(MetricsTable.WARM);
        return List.copyOf(modes);
    }

    /**
     * Resolves a file named by a report hint.
     *
     * @param relative a path relative to the run folder
     * @return the file, or empty if the path leaves the run folder
     */
    public Optional<Path> file(String relative) {
        Path base = record.dir().toAbsolutePath().normalize();
        Path resolved = base.resolve(relative).normalize();
        return resolved.startsWith(base) ? Optional.of(resolved) : Optional.empty();
    }
}
