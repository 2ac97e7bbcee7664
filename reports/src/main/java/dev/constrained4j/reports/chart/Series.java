package dev.constrained4j.reports.chart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One curve of a line chart. {@code y} may hold {@code null} where the value is not applicable;
 * the curve is broken there.
 *
 * @param label the legend label
 * @param color a CSS colour ({@code #1f77b4})
 * @param dash  how the curve is stroked (dashed for test and validation splits)
 * @param x     the x values
 * @param y     the y values, same length as {@code x}
 * @param notes per-point text the interactive chart adds to a point's tooltip (e.g. the elapsed
 *              training time at that epoch), same length as {@code x}; empty for none
 */
public record Series(String label, String color, Dash dash, List<Double> x, List<Double> y, List<String> notes) {

    /** How a curve is stroked; the same pattern is used by the SVG and by Chart.js. */
    public enum Dash {
        /** A solid line. */
        SOLID(),
        /** Dashes, e.g. for test and validation splits. */
        DASHED(6, 4),
        /** Dots, e.g. for a third statistic of one mode. */
        DOTTED(2, 3);

        private final List<Integer> pattern;

        Dash(int... pattern) {
            this.pattern = java.util.Arrays.stream(pattern).boxed().toList();
        }

        /** @return on and off lengths in pixels, empty for a solid line */
        public List<Integer> pattern() {
            return pattern;
        }
    }

    /** Checks the lengths and copies (allowing null y values). */
    public Series {
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("series '" + label + "': " + x.size() + " x values, " + y.size() + " y values");
        }
        if (!notes.isEmpty() && notes.size() != x.size()) {
            throw new IllegalArgumentException("series '" + label + "': " + x.size() + " x values, " + notes.size() + " notes");
        }
        x = List.copyOf(x);
        y = Collections.unmodifiableList(new ArrayList<>(y));
        notes = List.copyOf(notes);
    }

    /**
     * A curve without per-point notes.
     *
     * @param label the legend label
     * @param color a CSS colour
     * @param dash  the stroke
     * @param x     the x values
     * @param y     the y values, same length as {@code x}
     */
    public Series(String label, String color, Dash dash, List<Double> x, List<Double> y) {
        this(label, color, dash, x, y, List.of());
    }
}
