package dev.constrained4j.runners.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.MultiplierStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The statistics of multipliers spread over partitions equal the single-machine {@link MultiplierStatistics} of
 * the same values: the percentiles exactly, at any number of partitions; the mean exactly for one partition.
 */
class MultiplierSummaryTest {

    @Test
    void keysOrderFloatsAsArraysSortDoes() {
        float[] values = {-3f, -0f, 0f, Float.MIN_VALUE, 1e-30f, 0.5f, 1f, 500f, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        Integer[] byKey = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            byKey[i] = i;
        }
        Arrays.sort(byKey, (a, b) -> Integer.compareUnsigned(MultiplierSummary.key(values[a]),
                MultiplierSummary.key(values[b])));
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(sorted[i]), Float.floatToRawIntBits(values[byKey[i]]));
            assertEquals(Float.floatToRawIntBits(values[i]),
                    Float.floatToRawIntBits(MultiplierSummary.value(MultiplierSummary.key(values[i]))));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1000", "2, 1000", "3, 1001", "7, 20000", "1, 1", "2, 3"})
    void partitionedStatisticsEqualTheSingleMachines(int partitions, int n) {
        SplittableRandom random = new SplittableRandom(n * 31L + partitions);
        float[] all = new float[n];
        for (int i = 0; i < n; i++) {
            // as the alm mode's: a third of them 0, the others in (0, 500], many repeated
            all[i] = random.nextInt(3) == 0 ? 0f : (float) Math.min(500, Math.floor(random.nextDouble(0, 600) * 8) / 8);
        }
        HeapMultipliers store = new HeapMultipliers(n);
        for (int i = 0; i < n; i++) {
            store.set(i, all[i]);
        }
        Map<String, Double> expected = MultiplierStatistics.of(store);

        List<float[]> parts = new ArrayList<>();
        List<MultiplierSummary.First> firsts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            float[] part = Arrays.copyOfRange(all, MnistShard.first(p, partitions, n), MnistShard.first(p + 1, partitions, n));
            parts.add(part);
            firsts.add(MultiplierSummary.First.of(part));
        }
        Map<String, Double> actual = MultiplierSummary.of(firsts, high -> {
            MultiplierSummary.Second total = null;
            for (float[] part : parts) {
                MultiplierSummary.Second s = MultiplierSummary.Second.of(part, high);
                total = total == null ? s : total.plus(s);
            }
            return total;
        });
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : List.of("dual_max", "dual_p50", "dual_p90", "dual_p99", "dual_positive")) {
            assertEquals(expected.get(k), actual.get(k), k);
        }
        if (partitions == 1) {
            assertEquals(expected.get("dual_mean"), actual.get("dual_mean"));
        } else {
            assertEquals(expected.get("dual_mean"), actual.get("dual_mean"), 1e-12 * expected.get("dual_max"));
        }
        assertTrue(n < 10 || actual.get("dual_p50") > 0, "not vacuous: the median is a positive multiplier");
    }
}
