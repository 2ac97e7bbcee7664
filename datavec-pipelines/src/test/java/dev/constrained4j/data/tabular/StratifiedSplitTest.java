package dev.constrained4j.data.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Stratified splits: every group's share on both sides, disjoint and complete, increasing, seeded. */
class StratifiedSplitTest {

    /** 60 rows in groups of 7, 13 and 40, interleaved; the feature of a row is its index. */
    static TabularData data() {
        int n = 60;
        int[] groups = new int[n];
        int[] labels = new int[n];
        double[] x = new double[n];
        for (int r = 0; r < n; r++) {
            groups[r] = r < 21 ? r % 3 : (r < 33 ? 1 + r % 2 : 2);
            labels[r] = r % 2;
            x[r] = r;
        }
        TabularData data = new TabularData(x, List.of("index"), labels, groups, List.of("a", "b", "c"), "letter");
        assertArrayEquals(new int[]{7, 13, 40}, data.groupSizes(), "the fixture's group sizes");
        return data;
    }

    @Test
    void everyGroupKeepsItsShareOnBothSides() {
        TabularData data = data();
        for (double fraction : new double[]{0.1, 0.3, 0.5, 0.8}) {
            StratifiedSplit.Split split = StratifiedSplit.split(data, fraction, 42);
            int[] test = split.test().groupSizes();
            int[] train = split.train().groupSizes();
            for (int g = 0; g < 3; g++) {
                int n = data.groupSizes()[g];
                assertEquals(Math.round(fraction * n), test[g], "group " + g + " at " + fraction);
                assertEquals(fraction * n, test[g], 0.5, "group " + g + " at " + fraction);
                assertEquals(n, test[g] + train[g]);
            }
        }
    }

    @Test
    void sidesAreDisjointCompleteIncreasingAndMatchTheirRows() {
        TabularData data = data();
        StratifiedSplit.Split split = StratifiedSplit.split(data, 0.25, 7);
        int[] all = IntStream.concat(Arrays.stream(split.trainRows()), Arrays.stream(split.testRows()))
                .sorted().toArray();
        assertArrayEquals(IntStream.range(0, data.rows()).toArray(), all, "disjoint, and together every row");
        for (int[] rows : List.of(split.trainRows(), split.testRows())) {
            for (int i = 1; i < rows.length; i++) {
                assertTrue(rows[i - 1] < rows[i], "increasing: " + Arrays.toString(rows));
            }
        }
        for (int i = 0; i < split.testRows().length; i++) {
            int row = split.testRows()[i];
            assertEquals(row, split.test().feature(i, 0));
            assertEquals(data.group(row), split.test().group(i));
            assertEquals(data.label(row), split.test().label(i));
        }
        assertEquals(data.groupNames(), split.train().groupNames());
    }

    @Test
    void isAPureFunctionOfTheSeed() {
        TabularData data = data();
        int[] a = StratifiedSplit.split(data, 0.3, 11).testRows();
        assertArrayEquals(a, StratifiedSplit.split(data, 0.3, 11).testRows());
        assertFalse(Arrays.equals(a, StratifiedSplit.split(data, 0.3, 12).testRows()), "another seed");
    }

    @Test
    void rejectsBadFractionsAndGroupsTooSmallToSplit() {
        TabularData data = data();
        for (double bad : new double[]{0, 1, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StratifiedSplit.split(data, bad, 1));
            assertTrue(e.getMessage().contains("testFraction"), e.getMessage());
        }
        // group a has 7 rows: 0.05 · 7 rounds to 0 test rows, 0.95 · 7 to 7
        for (double fraction : new double[]{0.05, 0.95}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StratifiedSplit.split(data, fraction, 1));
            assertTrue(e.getMessage().contains("group a of letter has 7 rows"), e.getMessage());
        }
    }
}
