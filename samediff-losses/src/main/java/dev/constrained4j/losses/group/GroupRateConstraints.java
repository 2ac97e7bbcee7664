package dev.constrained4j.losses.group;

/**
 * Demographic-parity constraints on the positive rate ({@code docs/fairness.md}, "Constraints"): for each group
 * {@code g} of a protected attribute, {@code |PR_g − PR| ≤ c}, where {@code PR_g} is the mean predicted positive
 * probability {@code p_i = σ(z_i)} over the batch's rows of group {@code g} (the differentiable positive rate of
 * fairret, which the seed paper uses) and {@code PR = Σ_g π_g PR_g} the overall rate, with {@code π} either the
 * batch's own composition {@code π_g = n_g/n} (then {@code PR} is the mean over all rows of the batch) or given
 * population shares: a batch that holds the same number of rows of every group then still estimates the
 * population's {@code PR} without bias. Each absolute value is written as two inequalities, so a problem with
 * {@code G} groups has {@link #count()} {@code = 2G} constraint functions, satisfied when {@code ≤ 0}:
 *
 * <pre>  C_{2g} = PR_g − PR − c,    C_{2g+1} = PR − PR_g − c.</pre>
 *
 * Derivatives: with {@code u_g = v_{2g} − v_{2g+1}} for weights {@code v} on the constraints,
 * {@code ∂/∂p_i Σ_j v_j C_j = (u_{g(i)} − π_{g(i)} Σ_h u_h) / n_{g(i)}}. Immutable.
 */
public final class GroupRateConstraints {

    private final int groups;
    private final double bound;
    private final double[] shares;

    /**
     * Constraints whose overall rate is the mean over the batch's rows.
     *
     * @param groups the number of groups {@code G} (≥ 2)
     * @param bound  the tolerance {@code c} (≥ 0)
     */
    public GroupRateConstraints(int groups, double bound) {
        this(groups, bound, null);
    }

    /**
     * @param shares the population shares {@code π_g} of the groups (positive, summing to 1), or null for the
     *               batch's own composition
     */
    public GroupRateConstraints(int groups, double bound, double[] shares) {
        if (groups < 2) {
            throw new IllegalArgumentException("group constraints need at least 2 groups, got " + groups);
        }
        if (!(bound >= 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("the bound c must be a finite number >= 0, got " + bound);
        }
        if (shares != null) {
            if (shares.length != groups) {
                throw new IllegalArgumentException(shares.length + " group shares for " + groups + " groups");
            }
            double sum = 0;
            for (double share : shares) {
                if (!(share > 0) || share > 1) {
                    throw new IllegalArgumentException("group shares must be in (0, 1], got "
                            + java.util.Arrays.toString(shares));
                }
                sum += share;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("group shares must sum to 1, got " + sum);
            }
        }
        this.groups = groups;
        this.bound = bound;
        this.shares = shares == null ? null : shares.clone();
    }

    /** The population shares of the groups, or null when the overall rate is the batch mean. */
    public double[] shares() {
        return shares == null ? null : shares.clone();
    }

    /** The group shares of the given group ids (for {@link #GroupRateConstraints(int, double, double[])}). */
    public static double[] sharesOf(int[] groupOf, int groups) {
        double[] out = new double[groups];
        for (int g : groupOf) {
            out[g]++;
        }
        for (int g = 0; g < groups; g++) {
            out[g] /= groupOf.length;
        }
        return out;
    }

    /** The number of groups {@code G}. */
    public int groups() {
        return groups;
    }

    /** The tolerance {@code c}. */
    public double bound() {
        return bound;
    }

    /** The number of constraint functions, {@code 2G}. */
    public int count() {
        return 2 * groups;
    }

    /**
     * The signed gaps {@code PR_g − PR} of the first {@code n} rows into {@code gaps} (length ≥ G); returns
     * {@code PR}.
     *
     * @throws IllegalArgumentException if a group has no row among them
     */
    public double gaps(double[] probabilities, int[] groupOf, int n, double[] gaps) {
        double[] sums = new double[groups];
        int[] counts = new int[groups];
        for (int i = 0; i < n; i++) {
            int g = groupOf[i];
            sums[g] += probabilities[i];
            counts[g]++;
        }
        double overall = 0;
        for (int g = 0; g < groups; g++) {
            if (counts[g] == 0) {
                throw new IllegalArgumentException("group " + g + " has no row in a batch of " + n
                        + " (use a group-balanced sampler)");
            }
            gaps[g] = sums[g] / counts[g];
            overall += (shares == null ? (double) counts[g] / n : shares[g]) * gaps[g];
        }
        for (int g = 0; g < groups; g++) {
            gaps[g] -= overall;
        }
        return overall;
    }

    /** The constraint values {@code C_j} of the first {@code n} rows into {@code out} (length ≥ 2G). */
    public void values(double[] probabilities, int[] groupOf, int n, double[] out) {
        double[] gaps = new double[groups];
        gaps(probabilities, groupOf, n, gaps);
        for (int g = 0; g < groups; g++) {
            out[2 * g] = gaps[g] - bound;
            out[2 * g + 1] = -gaps[g] - bound;
        }
    }

    /** The largest violation {@code max_g |PR_g − PR| − c} of signed gaps (≤ 0: every constraint holds). */
    public double maxViolation(double[] gaps) {
        double worst = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < groups; g++) {
            worst = Math.max(worst, Math.abs(gaps[g]) - bound);
        }
        return worst;
    }

    /**
     * The derivative of {@code Σ_j weights_j C_j} with respect to each of the first {@code n} probabilities, into
     * {@code out}.
     */
    public void backward(int[] groupOf, int n, double[] weights, double[] out) {
        int[] counts = new int[groups];
        for (int i = 0; i < n; i++) {
            counts[groupOf[i]]++;
        }
        double sum = 0;
        for (int g = 0; g < groups; g++) {
            sum += weights[2 * g] - weights[2 * g + 1];
        }
        double[] perRow = new double[groups];
        for (int g = 0; g < groups; g++) {
            double share = shares == null ? (double) counts[g] / n : shares[g];
            perRow[g] = counts[g] == 0 ? 0 : (weights[2 * g] - weights[2 * g + 1] - share * sum) / counts[g];
        }
        for (int i = 0; i < n; i++) {
            out[i] = perRow[groupOf[i]];
        }
    }
}
