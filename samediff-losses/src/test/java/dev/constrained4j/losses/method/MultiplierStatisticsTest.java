package dev.constrained4j.losses.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The epoch record's summary of the multipliers: mean, maximum, nearest-rank percentiles, fraction positive. */
class MultiplierStatisticsTest {

    static final double TOLERANCE = 1e-12;

    static HeapMultipliers store(float... values) {
        HeapMultipliers store = new HeapMultipliers(values.length);
        for (int i = 0; i < values.length; i++) {
            store.set(i, values[i]);
        }
        return store;
    }

    @Test
    void tenMultipliersByHand() {
        // sorted: [0, 0, 0, 0, 0.25, 0.5, 1, 2, 3, 4]
        Map<String, Double> stats = MultiplierStatistics.of(store(2, 0, 0.5f, 4, 0, 0.25f, 0, 3, 1, 0));
        assertArrayEquals(MultiplierStatistics.KEYS, stats.keySet().toArray(String[]::new));
        // (0.25 + 0.5 + 1 + 2 + 3 + 4) / 10
        assertEquals(1.075, stats.get("dual_mean"), TOLERANCE);
        assertEquals(4.0, stats.get("dual_max"), 0.0);
        // nearest rank: the ⌈p·n⌉-th smallest, 1-based: p50 the 5th, p90 the 9th, p99 the 10th
        assertEquals(0.25, stats.get("dual_p50"), 0.0);
        assertEquals(3.0, stats.get("dual_p90"), 0.0);
        assertEquals(4.0, stats.get("dual_p99"), 0.0);
        // six of ten are > 0
        assertEquals(0.6, stats.get("dual_positive"), TOLERANCE);
    }

    @Test
    void percentilesAreNearestRanksNotInterpolated() {
        // λ = 1, 2, ..., 200 in reverse order: the ⌈p·200⌉-th smallest is ⌈p·200⌉ itself, where interpolation
        // would give 100.5, 180.1 and 198.01
        float[] values = new float[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = values.length - i;
        }
        Map<String, Double> stats = MultiplierStatistics.of(store(values));
        assertEquals(100.0, stats.get("dual_p50"), 0.0);
        assertEquals(180.0, stats.get("dual_p90"), 0.0);
        assertEquals(198.0, stats.get("dual_p99"), 0.0);
        // (1 + 200) / 2
        assertEquals(100.5, stats.get("dual_mean"), TOLERANCE);
        assertEquals(200.0, stats.get("dual_max"), 0.0);
        assertEquals(1.0, stats.get("dual_positive"), 0.0);
    }

    @Test
    void oneMultiplierIsEveryPercentile() {
        Map<String, Double> stats = MultiplierStatistics.of(store(-0.5f));
        for (String key : new String[]{"dual_mean", "dual_max", "dual_p50", "dual_p90", "dual_p99"}) {
            assertEquals(-0.5, stats.get(key), 0.0, key);
        }
        assertEquals(0.0, stats.get("dual_positive"), 0.0);
    }

    @Test
    void anEmptyStoreHasNoStatistics() {
        Map<String, Double> stats = MultiplierStatistics.of(new HeapMultipliers(0));
        assertArrayEquals(MultiplierStatistics.KEYS, stats.keySet().toArray(String[]::new));
        for (String key : MultiplierStatistics.KEYS) {
            assertTrue(Double.isNaN(stats.get(key)), key);
        }
    }
}
