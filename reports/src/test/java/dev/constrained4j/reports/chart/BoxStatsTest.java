package dev.constrained4j.reports.chart;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Quartiles and whiskers against values computed by hand (numpy.percentile, matplotlib whis=1.5). */
class BoxStatsTest {

    @Test
    void quartilesInterpolateAndWhiskersStopAtTheFence() {
        // sorted: 1..9 and 100; q1 = 3.25, median = 5.5, q3 = 7.75, IQR 4.5, fences -3.5 and 14.5
        BoxStats s = BoxStats.of(new double[] {100, 1, 2, 3, 4, 5, 6, 7, 8, 9, Double.NaN});
        assertEquals(10, s.n());
        assertEquals(3.25, s.q1(), 1e-12);
        assertEquals(5.5, s.median(), 1e-12);
        assertEquals(7.75, s.q3(), 1e-12);
        assertEquals(1, s.whiskerLow());
        assertEquals(9, s.whiskerHigh());
        assertEquals(1, s.outliers());
        assertEquals(100, s.max());
    }

    @Test
    void singleValue() {
        BoxStats s = BoxStats.of(new double[] {0.25});
        assertEquals(0.25, s.median());
        assertEquals(0.25, s.whiskerLow());
        assertEquals(0.25, s.whiskerHigh());
    }
}
