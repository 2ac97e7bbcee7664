package dev.constrained4j.reports.fairness;

import dev.constrained4j.reports.summary.ModeStats;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the final table: a method's seeds at their last epochs.
 *
 * @param method     the method ({@code sslalm})
 * @param label      its display name ({@code SSL-ALM})
 * @param modes      its modes with rows in {@code metrics.csv} ({@code sslalm-s0, sslalm-s1})
 * @param lastEpochs the last epoch of each mode, same order
 * @param stats      every {@link FinalMetric} over the seeds that have a value for it
 * @param verdict    whether the test constraints hold
 */
public record MethodSummary(String method, String label, List<String> modes, List<Integer> lastEpochs,
                            Map<FinalMetric, ModeStats> stats, Verdict verdict) {

    /** Copies; every metric must have statistics. */
    public MethodSummary {
        modes = List.copyOf(modes);
        lastEpochs = List.copyOf(lastEpochs);
        EnumMap<FinalMetric, ModeStats> copy = new EnumMap<>(FinalMetric.class);
        copy.putAll(stats);
        if (copy.size() != FinalMetric.values().length) {
            throw new IllegalArgumentException(method + ": statistics of " + copy.keySet() + " only");
        }
        stats = Collections.unmodifiableMap(copy);
    }

    /**
     * @param metric a metric
     * @return its statistics over the seeds
     */
    public ModeStats stat(FinalMetric metric) {
        return stats.get(metric);
    }

    /** @return {@code "9"} when every seed ended at epoch 9, {@code "7–9"} otherwise, {@code "–"} without seeds */
    public String epochs() {
        if (lastEpochs.isEmpty()) {
            return "–";
        }
        int lo = Collections.min(lastEpochs);
        int hi = Collections.max(lastEpochs);
        return lo == hi ? Integer.toString(hi) : lo + "–" + hi;
    }
}
