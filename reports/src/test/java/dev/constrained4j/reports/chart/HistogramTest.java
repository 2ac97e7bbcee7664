package dev.constrained4j.reports.chart;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Binning with values on bin edges, beyond max, below min and NaN; ranges taken from the data. */
class HistogramTest {

    @Test
    void edgesBelongToTheBinOnTheirRight() {
        Histogram h = Histogram.of(new double[] {0, 0.5, 1, 1.5, 2, 2.999, 3, 4}, 0, 4, 1);
        assertArrayEquals(new long[] {2, 2, 2, 2}, h.counts());
        assertEquals(0, h.beyondMax());
    }

    @Test
    void maxFallsInTheLastBinAndOverflowIsCountedThereToo() {
        Histogram h = Histogram.of(new double[] {0.04, 0.0399, 0.05, 7, Double.POSITIVE_INFINITY}, 0, 0.04, 2e-4);
        assertEquals(200, h.bins());
        assertEquals(5, h.counts()[199]);
        assertEquals(3, h.beyondMax());
        assertEquals(5, h.total());
    }

    @Test
    void floatingPointEdgesSnap() {
        // 0.0006 / 2e-4 = 2.9999999999999996 in double; 0.0006 is the left edge of bin 3
        double[] edges = {0.0002, 0.0004, 0.0006, 0.0008, 0.001, 0.01};
        Histogram h = Histogram.of(edges, 0, 0.04, 2e-4);
        assertEquals(1, h.counts()[1]);
        assertEquals(1, h.counts()[2]);
        assertEquals(1, h.counts()[3]);
        assertEquals(1, h.counts()[4]);
        assertEquals(1, h.counts()[5]);
        assertEquals(1, h.counts()[50]);
        assertEquals(0, h.counts()[0]);
    }

    @Test
    void belowMinAndNaN() {
        Histogram h = Histogram.of(new double[] {-1, 0.1, Double.NaN}, 0, 1, 0.5);
        assertArrayEquals(new long[] {2, 0}, h.counts());
        assertEquals(1, h.belowMin());
        assertEquals(1, h.nan());
    }

    @Test
    void partialLastBin() {
        Histogram h = Histogram.of(new double[] {0.95, 1.0}, 0, 1, 0.3);
        assertEquals(4, h.bins());
        assertEquals(1.0, h.rightEdge(3));
        assertEquals(2, h.counts()[3]);
    }

    @Test
    void dataRangeStartsAtZeroAndEndsAtTheLargestValue() {
        // range [0, 3] in 3 bins of width 1: 0 and 0.5 in bin 0, 1 in bin 1, 3 (the max) closes bin 2
        Histogram h = Histogram.ofData(new double[] {0, 0.5, 1, 3, Double.NaN}, 3);
        assertEquals(0, h.min());
        assertEquals(3, h.max());
        assertEquals(1, h.binWidth(), 1e-15);
        assertArrayEquals(new long[] {2, 1, 1}, h.counts());
        assertEquals(0, h.beyondMax());
        assertEquals(1, h.nan());
    }

    @Test
    void dataRangeStartsAtTheSmallestValueWhenItIsNegative() {
        Histogram h = Histogram.ofData(new double[] {-2, -1, 2}, 4);
        assertEquals(-2, h.min());
        assertEquals(2, h.max());
        assertArrayEquals(new long[] {1, 1, 0, 1}, h.counts());
    }

    @Test
    void degenerateColumnsStillHaveARange() {
        // every multiplier 0 (an alm run before any violation): [0, 1], all in the first bin
        Histogram zeros = Histogram.ofData(new double[] {0, 0, 0}, 60);
        assertEquals(0, zeros.min());
        assertEquals(1, zeros.max());
        assertEquals(60, zeros.bins());
        assertEquals(3, zeros.counts()[0]);
        assertEquals(3, zeros.total());
        // every value -4: [-4, 0]
        Histogram negative = Histogram.ofData(new double[] {-4, -4}, 2);
        assertEquals(-4, negative.min());
        assertEquals(0, negative.max());
        assertArrayEquals(new long[] {2, 0}, negative.counts());
        // no finite value: [0, 1], infinities in the outer bins
        Histogram infinite = Histogram.ofData(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, 2);
        assertArrayEquals(new long[] {1, 1}, infinite.counts());
        assertEquals(1, infinite.beyondMax());
        assertEquals(1, infinite.belowMin());
    }

    @Test
    void dataRangeOfAPositiveConstantStartsAtZero() {
        Histogram h = Histogram.ofData(new double[] {5, 5}, 5);
        assertEquals(0, h.min());
        assertEquals(5, h.max());
        assertEquals(2, h.counts()[4]);
    }

    @Test
    void rejectsBadBins() {
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[0], 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[0], 1, 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Histogram.ofData(new double[0], 0));
    }
}
