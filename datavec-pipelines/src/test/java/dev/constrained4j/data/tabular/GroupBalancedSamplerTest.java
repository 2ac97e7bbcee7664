package dev.constrained4j.data.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Group-balanced batches: perGroup rows of each group, a pure function of (seed, epoch, step, stream), uniform. */
class GroupBalancedSamplerTest {

    static final int PER_GROUP = 8;

    /** 63 rows: group 0 has 3 (every 21st row), group 1 has 10 (1, 7, ..., 55), group 2 the other 50. */
    static int[] groups() {
        int[] groups = new int[63];
        for (int r = 0; r < groups.length; r++) {
            groups[r] = r % 21 == 0 ? 0 : (r % 6 == 1 && r < 60 ? 1 : 2);
        }
        assertEquals(3, Arrays.stream(groups).filter(g -> g == 0).count(), "the fixture's group 0");
        assertEquals(10, Arrays.stream(groups).filter(g -> g == 1).count(), "the fixture's group 1");
        return groups;
    }

    @Test
    void everyGroupGivesPerGroupOfItsOwnRowsInGroupOrder() {
        int[] groups = groups();
        GroupBalancedSampler sampler = new GroupBalancedSampler(groups, 3, PER_GROUP, 5);
        assertEquals(3 * PER_GROUP, sampler.batchSize());
        for (int step = 0; step < 50; step++) {
            int[] batch = sampler.batch(0, step, 0);
            assertEquals(3 * PER_GROUP, batch.length);
            for (int i = 0; i < batch.length; i++) {
                assertEquals(i / PER_GROUP, groups[batch[i]], "position " + i + " of " + Arrays.toString(batch));
            }
        }
    }

    @Test
    void aBatchIsAPureFunctionOfItsCoordinates() {
        GroupBalancedSampler sampler = new GroupBalancedSampler(groups(), 3, PER_GROUP, 5);
        // a fresh sampler, as after a resume, repeats any batch without replaying the ones before it
        GroupBalancedSampler resumed = new GroupBalancedSampler(groups(), 3, PER_GROUP, 5);
        int[] batch = sampler.batch(3, 17, 0);
        assertArrayEquals(batch, resumed.batch(3, 17, 0));
        assertArrayEquals(batch, sampler.batch(3, 17, 0));
        assertFalse(Arrays.equals(batch, sampler.batch(3, 17, 1)), "constraint stream");
        assertFalse(Arrays.equals(batch, sampler.batch(3, 18, 0)), "next step");
        assertFalse(Arrays.equals(batch, sampler.batch(4, 17, 0)), "next epoch");
        assertFalse(Arrays.equals(batch, new GroupBalancedSampler(groups(), 3, PER_GROUP, 6).batch(3, 17, 0)),
                "another seed");
        assertFalse(Arrays.equals(sampler.batch(3, 17, 1), sampler.batch(3, 18, 0)),
                "stream 1 is not stream 0 shifted by a step");
    }

    @Test
    void drawsAreUniformWithinAGroup() {
        // group 1's 10 rows, 10 draws a step for 2,000 steps: each row 2,000 times, standard deviation
        // √(20000 · 0.1 · 0.9) ≈ 42; 5 standard deviations (±212) makes a false failure negligible
        int[] groups = groups();
        GroupBalancedSampler sampler = new GroupBalancedSampler(groups, 3, 10, 99);
        int[] counts = new int[groups.length];
        for (int step = 0; step < 2000; step++) {
            int[] batch = sampler.batch(1, step, 0);
            for (int i = 10; i < 20; i++) {
                counts[batch[i]]++;
            }
        }
        for (int r = 0; r < groups.length; r++) {
            if (groups[r] == 1) {
                assertEquals(2000, counts[r], 212, "row " + r + ": " + Arrays.toString(counts));
            }
        }
    }

    @Test
    void stepsPerEpochCoversTheRows() {
        GroupBalancedSampler sampler = new GroupBalancedSampler(groups(), 3, PER_GROUP, 5);
        assertEquals(0, sampler.stepsPerEpoch(0));
        assertEquals(1, sampler.stepsPerEpoch(1));
        assertEquals(4, sampler.stepsPerEpoch(96));
        assertEquals(5, sampler.stepsPerEpoch(97));
        assertEquals(3, sampler.stepsPerEpoch(63));
    }

    @Test
    void rejectsBadArguments() {
        int[] groups = groups();
        assertMessage(() -> new GroupBalancedSampler(groups, 3, 0, 1), "perGroup must be >= 1, got 0");
        assertMessage(() -> new GroupBalancedSampler(groups, 4, 1, 1), "group 3 has no row");
        assertMessage(() -> new GroupBalancedSampler(groups, 2, 1, 1), "groups[2] = 2");
        assertMessage(() -> new GroupBalancedSampler(groups, 3, 1, 1).batch(0, -1, 0), "-1");
        assertMessage(() -> new GroupBalancedSampler(groups, 3, 1, 1).stepsPerEpoch(-5), "-5");
    }

    private static void assertMessage(Runnable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
