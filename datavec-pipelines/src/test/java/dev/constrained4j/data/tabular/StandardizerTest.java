package dev.constrained4j.data.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Standardisation fitted on training rows: mean 0 and sd 1 there, constant columns finite everywhere. */
class StandardizerTest {

    static final List<String> NAMES = List.of("x", "constant");
    static final List<String> GROUPS = List.of("g");

    static TabularData table(double... rowMajor) {
        int rows = rowMajor.length / 2;
        return new TabularData(rowMajor, NAMES, new int[rows], new int[rows], GROUPS, "none");
    }

    @Test
    void trainingColumnsGetMeanZeroAndSdOne() {
        // x = 1, 2, 3, 4: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
        TabularData train = table(1, 7, 2, 7, 3, 7, 4, 7);
        Standardizer standardizer = Standardizer.fit(train);
        assertArrayEquals(new double[]{2.5, 7}, standardizer.means(), 1e-12);
        assertArrayEquals(new double[]{Math.sqrt(1.25), 1}, standardizer.sds(), 1e-12);
        TabularData z = standardizer.apply(train);
        double mean = 0;
        double squares = 0;
        for (int r = 0; r < z.rows(); r++) {
            mean += z.feature(r, 0) / z.rows();
            squares += z.feature(r, 0) * z.feature(r, 0) / z.rows();
            assertEquals(0, z.feature(r, 1), "a constant column becomes 0 on the training rows");
        }
        assertEquals(0, mean, 1e-12);
        assertEquals(1, squares - mean * mean, 1e-12);
        assertArrayEquals(train.labels(), z.labels());
        assertEquals(NAMES, z.featureNames());
    }

    @Test
    void otherDataUsesTheTrainingStatisticsAndStaysFinite() {
        Standardizer standardizer = Standardizer.fit(table(1, 7, 2, 7, 3, 7, 4, 7));
        TabularData z = standardizer.apply(table(2.5, 9));
        assertEquals(0, z.feature(0, 0));
        assertEquals(2, z.feature(0, 1), "constant 7 in training, 9 here: (9 - 7) / 1");
        assertTrue(Double.isFinite(z.feature(0, 1)));
    }

    @Test
    void rejectsEmptyTrainingDataAndOtherColumns() {
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(table()));
        Standardizer standardizer = Standardizer.fit(table(1, 7, 2, 7));
        TabularData other = new TabularData(new double[]{1, 2}, List.of("y", "constant"), new int[1], new int[1],
                GROUPS, "none");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> standardizer.apply(other));
        assertTrue(e.getMessage().contains("[y, constant]"), e.getMessage());
    }
}
