package dev.constrained4j.data.images;

import dev.constrained4j.data.EpochOrder;
import java.util.Arrays;

/**
 * A seeded train/validation/test split (70/15/15 with seed 42, as the paper: docs/experiments.md,
 * "The HiDDeN experiment") with optional limits per split. The examples, in a fixed order (sorted file names or CSV
 * order), are permuted by a Fisher-Yates shuffle seeded from {@code seed} ({@link EpochOrder}); the first
 * {@code floor(n·trainFraction)} go to train, the next {@code floor(n·validationFraction)} to validation, the rest to
 * test. A limit keeps the first examples of that split in permuted order (a random subset), so a limited split is a
 * subset of the unlimited one.
 *
 * @param seed               seed of the permutation
 * @param trainFraction      fraction of examples for training, in (0, 1)
 * @param validationFraction fraction for validation, in [0, 1), with {@code trainFraction + validationFraction <= 1}
 * @param trainLimit         at most this many training examples, or 0 for all
 * @param validationLimit    at most this many validation examples, or 0 for all
 * @param testLimit          at most this many test examples, or 0 for all
 */
public record SplitConfig(long seed, double trainFraction, double validationFraction,
                          int trainLimit, int validationLimit, int testLimit) {

    public static final long DEFAULT_SEED = 42;
    /** Stream id for {@link EpochOrder#permutation}, so the split never shares a sequence with batch orders. */
    private static final long SPLIT_STREAM = 0x5311L;

    public SplitConfig {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
        }
        if (!(validationFraction >= 0 && validationFraction < 1) || trainFraction + validationFraction > 1 + 1e-9) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1) with trainFraction + validationFraction"
                    + " <= 1, got " + validationFraction + " (trainFraction " + trainFraction + ")");
        }
        if (trainLimit < 0 || validationLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = all), got trainLimit " + trainLimit
                    + ", validationLimit " + validationLimit + ", testLimit " + testLimit);
        }
    }

    /** 70/15/15 with seed 42, no limits. */
    public static SplitConfig defaults() {
        return new SplitConfig(DEFAULT_SEED, 0.70, 0.15, 0, 0, 0);
    }

    /** This split with the given limits per split (0 = all). */
    public SplitConfig withLimits(int train, int validation, int test) {
        return new SplitConfig(seed, trainFraction, validationFraction, train, validation, test);
    }

    /**
     * The indices (into {@code 0..n-1}) of the train, validation and test examples, each in permuted order and
     * cut to its limit.
     */
    public int[][] assign(int n) {
        int[] order = EpochOrder.permutation(n, seed, SPLIT_STREAM, 0);
        int nTrain = (int) Math.floor(n * trainFraction);
        int nVal = Math.min(n - nTrain, (int) Math.floor(n * validationFraction));
        int[] train = Arrays.copyOfRange(order, 0, nTrain);
        int[] val = Arrays.copyOfRange(order, nTrain, nTrain + nVal);
        int[] test = Arrays.copyOfRange(order, nTrain + nVal, n);
        return new int[][]{limit(train, trainLimit), limit(val, validationLimit), limit(test, testLimit)};
    }

    private static int[] limit(int[] indices, int limit) {
        return limit == 0 || limit >= indices.length ? indices : Arrays.copyOf(indices, limit);
    }
}
