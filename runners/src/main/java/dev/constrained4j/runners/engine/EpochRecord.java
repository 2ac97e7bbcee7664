package dev.constrained4j.runners.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch of one stage produced: the coefficient used, the wall-clock time, the mean training objective
 * and the evaluation metrics ({@code <split>_<metric>}, NaN for "not applicable").
 */
public record EpochRecord(String mode, String phase, int epoch, double seconds, double coefficient,
                          double objective, Map<String, Double> metrics) {

    public EpochRecord {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A metric, or NaN when absent. */
    public double metric(String key) {
        return metrics.getOrDefault(key, Double.NaN);
    }
}
