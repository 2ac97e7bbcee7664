package dev.constrained4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Seeded epoch permutations: valid, reproducible, and different across epochs, streams and seeds. */
class EpochOrderTest {

    static final int N = 1000;

    @Test
    void isAPermutation() {
        for (int epoch = 0; epoch < 20; epoch++) {
            int[] order = EpochOrder.permutation(N, 123, 0, epoch);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(IntStream.range(0, N).toArray(), sorted, "epoch " + epoch);
        }
    }

    @Test
    void isDeterministicForSeedStreamAndEpoch() {
        assertArrayEquals(EpochOrder.permutation(N, 123, 2, 7), EpochOrder.permutation(N, 123, 2, 7));
        assertEquals(EpochOrder.mix(1, 2, 3), EpochOrder.mix(1, 2, 3));
    }

    @Test
    void differsAcrossEpochsStreamsAndSeeds() {
        int[] base = EpochOrder.permutation(N, 123, 0, 0);
        assertFalse(Arrays.equals(base, EpochOrder.permutation(N, 123, 0, 1)), "epoch");
        assertFalse(Arrays.equals(base, EpochOrder.permutation(N, 123, 1, 0)), "stream");
        assertFalse(Arrays.equals(base, EpochOrder.permutation(N, 124, 0, 0)), "seed");
        // swapping the roles of stream and epoch gives another order too
        assertFalse(Arrays.equals(EpochOrder.permutation(N, 123, 1, 2), EpochOrder.permutation(N, 123, 2, 1)));
        assertFalse(Arrays.equals(base, IntStream.range(0, N).toArray()), "shuffled at all");
    }

    @Test
    void everyPositionIsEquallyLikely() {
        // element 0's position over 10,000 epochs of a 5-permutation: each position 2,000 times, standard
        // deviation √(10000·0.2·0.8) = 40; 5 standard deviations (±200) makes a false failure negligible
        int n = 5;
        int epochs = 10_000;
        int[] counts = new int[n];
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = EpochOrder.permutation(n, 42, 0, epoch);
            for (int position = 0; position < n; position++) {
                if (order[position] == 0) {
                    counts[position]++;
                }
            }
        }
        for (int position = 0; position < n; position++) {
            assertEquals(2000, counts[position], 200, "position " + position + ": " + Arrays.toString(counts));
        }
    }

    @Test
    void edgeCases() {
        assertArrayEquals(new int[0], EpochOrder.permutation(0, 1, 0, 0));
        assertArrayEquals(new int[]{0}, EpochOrder.permutation(1, 1, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpochOrder.permutation(-1, 1, 0, 0));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
