package dev.constrained4j.reports.chart;

import java.util.List;

/**
 * One curve of a line chart. {@code y} may hold {@code null} where the value is not applicable;
 * the curve is broken there.
 *
 * @param label  the legend label
 * @param color  a CSS colour ({@code #1f77b4})
 * @param dashed whether to draw it dashed (test and validation splits)
 * @param x      the x values
 * @param y      the y values, same length as {@code x}
 */
public record Series(String label, String color, boolean dashed, List<Double> x, List<Double> y) {

    /** Checks the lengths and copies (allowing null y values). */
    public Series {
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("series '" + label + "': " + x.size() + " x values, " + y.size() + " y values");
        }
        x = List.copyOf(x);
        y = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(y));
    }
}
