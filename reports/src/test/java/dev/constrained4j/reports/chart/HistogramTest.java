package dev.constrained4j.reports.chart;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Binning with values on bin edges, beyond max, below min and NaN. */
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
    void rejectsBadBins() {
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[0], 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[0], 1, 1, 0.1));
    }
}
