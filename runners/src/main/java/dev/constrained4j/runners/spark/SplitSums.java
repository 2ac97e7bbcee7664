package dev.constrained4j.runners.spark;

import java.io.Serializable;

/**
 * Counts and sums of one evaluation over some samples of a split, so that the metrics of the whole split are exact
 * (sums of per-sample terms divided by the number of samples, never means of means). Each partition adds its samples
 * in index order; the driver adds the partitions in partition order, so one partition gives the single-machine sums
 * bit for bit.
 *
 * @param lossSum      Σ ℓ_i (cross-entropy)
 * @param correct      images classified correctly
 * @param reconSum     Σ c_i (reconstruction MSE); 0 without a decoder
 * @param violationSum Σ max(0, c_i − B)
 * @param satisfied    #{i : c_i ≤ B}
 * @param objectiveSum Σ (ℓ_i + Ψ_i(c_i)) with the method's state after the epoch (training split only)
 */
record SplitSums(long count, double lossSum, long correct, double reconSum, double violationSum, long satisfied,
                 double objectiveSum) implements Serializable {

    static final SplitSums EMPTY = new SplitSums(0, 0, 0, 0, 0, 0, 0);

    /** These sums followed by {@code other}'s. */
    SplitSums plus(SplitSums other) {
        return new SplitSums(count + other.count, lossSum + other.lossSum, correct + other.correct,
                reconSum + other.reconSum, violationSum + other.violationSum, satisfied + other.satisfied,
                objectiveSum + other.objectiveSum);
    }
}
