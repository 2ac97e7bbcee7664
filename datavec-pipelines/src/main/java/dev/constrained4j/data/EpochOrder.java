package dev.constrained4j.data;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the training examples: a permutation that is a pure function of the
 * data-order seed and the epoch, so a resumed run visits the examples exactly as an uninterrupted one.
 */
public final class EpochOrder {

    private EpochOrder() {
    }

    /** A seeded Fisher-Yates permutation of {@code 0..n-1} for the given epoch (and stream, e.g. a mode). */
    public static int[] permutation(int n, long seed, long stream, int epoch) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        return shuffle(n, new SplittableRandom(mix(seed, stream, epoch)));
    }

    /** A Fisher-Yates permutation of {@code 0..n-1} drawn from {@code random}. */
    public static int[] shuffle(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Derives an independent seed for one component from a master seed (SplitMix64 finaliser). */
    public static long mix(long seed, long stream, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
