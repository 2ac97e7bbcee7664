package dev.constrained4j.reports.fairness;

import dev.constrained4j.reports.chart.Numbers;
import dev.constrained4j.reports.summary.ModeStats;

import java.util.List;

/**
 * Whether a method kept every group within the bound on the test split, at its seeds' last epochs.
 *
 * @param seeds      the seeds with a test max violation
 * @param exceeding  how many of them exceed the bound (max violation &gt; 0, or not a number)
 * @param meanExcess the mean test max violation of the seeds that exceed; NaN when none does
 */
public record Verdict(int seeds, int exceeding, double meanExcess) {

    /**
     * @param testMaxViolations the test max violation of each seed
     * @return the verdict
     */
    public static Verdict of(List<Double> testMaxViolations) {
        List<Double> excess = testMaxViolations.stream().filter(v -> !(v <= 0)).toList();
        double mean = excess.isEmpty() ? Double.NaN : ModeStats.of(excess).mean();
        return new Verdict(testMaxViolations.size(), excess.size(), mean);
    }

    /** @return whether there is a seed and none exceeds the bound */
    public boolean withinBound() {
        return seeds > 0 && exceeding == 0;
    }

    /** @return {@code "within bound"}, {@code "exceeds by 0.012 (2 of 3 seeds)"}, or {@code "n/a"} without seeds */
    public String text() {
        if (seeds == 0) {
            return "n/a";
        }
        if (exceeding == 0) {
            return "within bound";
        }
        return "exceeds by " + Numbers.format(meanExcess) + " (" + exceeding + " of " + seeds
                + (seeds == 1 ? " seed)" : " seeds)");
    }
}
