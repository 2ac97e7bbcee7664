package dev.constrained4j.data.tabular;

import dev.constrained4j.data.EpochOrder;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A train/test split stratified by protected group: within each group a seeded shuffle sends the first
 * {@code round(testFraction · n_g)} rows to the test side, so every group keeps its share on both sides (to
 * within half a row). The split is a pure function of the data's groups, the fraction and the seed.
 */
public final class StratifiedSplit {

    /** Separates the split's random streams from other uses of the same seed. */
    private static final long STREAM = 0x5EED_5B11_7L;

    private StratifiedSplit() {
    }

    /**
     * The two sides of a split; each side's rows are in increasing original order.
     *
     * @param train     the training rows
     * @param test      the test rows
     * @param trainRows the original indices of {@code train}'s rows (copied)
     * @param testRows  the original indices of {@code test}'s rows (copied)
     */
    public record Split(TabularData train, TabularData test, int[] trainRows, int[] testRows) {

        public Split {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(test, "test");
            trainRows = trainRows.clone();
            testRows = testRows.clone();
            if (trainRows.length != train.rows() || testRows.length != test.rows()) {
                throw new IllegalArgumentException("trainRows/testRows have " + trainRows.length + "/"
                        + testRows.length + " entries but train/test have " + train.rows() + "/" + test.rows()
                        + " rows");
            }
        }

        /** A copy of the original indices of the training rows. */
        @Override
        public int[] trainRows() {
            return trainRows.clone();
        }

        /** A copy of the original indices of the test rows. */
        @Override
        public int[] testRows() {
            return testRows.clone();
        }
    }

    /**
     * Splits {@code data}; group {@code g}'s shuffle is seeded from {@code (seed, g)}.
     *
     * @throws IllegalArgumentException if {@code testFraction} is not strictly between 0 and 1, or a group would
     *                                  have no row on one side (naming the group, its size and the fraction)
     */
    public static Split split(TabularData data, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        boolean[] toTest = new boolean[data.rows()];
        int testCount = 0;
        for (int g = 0; g < data.groupCount(); g++) {
            int[] rows = data.rowsOfGroup(g);
            int n = rows.length;
            long nTest = Math.round(testFraction * n);
            if (nTest < 1 || nTest > n - 1) {
                throw new IllegalArgumentException("group " + data.groupNames().get(g) + " of "
                        + data.protectedAttribute() + " has " + n + " rows, so testFraction " + testFraction
                        + " puts " + nTest + " in test and " + (n - nTest) + " in train; each side needs at least 1:"
                        + " use a file with more rows of that group, or another test fraction");
            }
            int[] order = EpochOrder.shuffle(n, new SplittableRandom(EpochOrder.mix(seed, STREAM, g)));
            for (int k = 0; k < nTest; k++) {
                toTest[rows[order[k]]] = true;
            }
            testCount += (int) nTest;
        }
        int[] testRows = new int[testCount];
        int[] trainRows = new int[data.rows() - testCount];
        int t = 0;
        int r = 0;
        for (int row = 0; row < data.rows(); row++) {
            if (toTest[row]) {
                testRows[t++] = row;
            } else {
                trainRows[r++] = row;
            }
        }
        return new Split(data.subset(trainRows), data.subset(testRows), trainRows, testRows);
    }
}
