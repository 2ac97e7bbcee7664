package dev.constrained4j.reports.weights;

import dev.constrained4j.reports.record.ReportHints;
import dev.constrained4j.reports.summary.ModeStats;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One row of the weights table: a method's modes (seeds × settings) for one dataset and constraint
 * set, at their last epochs.
 *
 * @param method      the method ({@code sal})
 * @param label       its display name ({@code SAL})
 * @param modes       its modes with rows in {@code metrics.csv}
 * @param lastEpochs  the last epoch of each mode, same order
 * @param stats       every {@link WeightsMetric} over the modes that have a value for it
 * @param best        the metrics whose mean is the best of the row's group (shown in bold)
 * @param paper       the published row of the same dataset, constraint set and method, if any
 */
public record WeightsRow(String method, String label, List<String> modes, List<Integer> lastEpochs,
                         Map<WeightsMetric, ModeStats> stats, Set<WeightsMetric> best,
                         Optional<ReportHints.PaperRow> paper) {

    /** Copies; every metric must have statistics. */
    public WeightsRow {
        modes = List.copyOf(modes);
        lastEpochs = List.copyOf(lastEpochs);
        EnumMap<WeightsMetric, ModeStats> copy = new EnumMap<>(WeightsMetric.class);
        copy.putAll(stats);
        if (copy.size() != WeightsMetric.values().length) {
            throw new IllegalArgumentException(method + ": statistics of " + copy.keySet() + " only");
        }
        stats = Collections.unmodifiableMap(copy);
        best = best.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(best));
    }

    /**
     * @param metric a metric
     * @return its statistics over the modes
     */
    public ModeStats stat(WeightsMetric metric) {
        return stats.get(metric);
    }

    /**
     * @param best the metrics in which this row is the best of its group
     * @return this row with those
     */
    WeightsRow withBest(Set<WeightsMetric> best) {
        return new WeightsRow(method, label, modes, lastEpochs, stats, best, paper);
    }
}
