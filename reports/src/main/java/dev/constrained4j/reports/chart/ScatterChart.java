package dev.constrained4j.reports.chart;

import java.util.List;

/**
 * Points of one metric against another, one series per (run, mode) with one point per epoch and one
 * point highlighted (the selected epoch), e.g. the trade-off between the fraction of training
 * samples that satisfy the constraint and the test accuracy. Horizontal reference lines stand for
 * modes that have no x value (no constraint).
 *
 * @param id      the container id ({@code tradeoff})
 * @param title   the title
 * @param caption the caption
 * @param xLabel  the x-axis title
 * @param yLabel  the y-axis title
 * @param series  the point series, none of them empty
 * @param lines   reference lines
 */
public record ScatterChart(String id, String title, String caption, String xLabel, String yLabel,
                           List<Points> series, List<RefLine> lines) implements Chart {

    /**
     * The points of one series.
     *
     * @param label    the legend label
     * @param color    a CSS colour
     * @param x        the x values, all finite
     * @param y        the y values, all finite, same length as {@code x}
     * @param epochs   the epoch of each point, same length as {@code x}
     * @param selected the index of the highlighted point, or -1 for none
     */
    public record Points(String label, String color, List<Double> x, List<Double> y, List<Integer> epochs,
                         int selected) {

        /** Checks the lengths and the selected index, and copies. */
        public Points {
            if (x.size() != y.size() || x.size() != epochs.size()) {
                throw new IllegalArgumentException("points '" + label + "': " + x.size() + " x, " + y.size()
                        + " y values and " + epochs.size() + " epochs");
            }
            if (selected < -1 || selected >= x.size()) {
                throw new IllegalArgumentException("points '" + label + "': selected index " + selected
                        + " outside 0.." + (x.size() - 1));
            }
            x = List.copyOf(x);
            y = List.copyOf(y);
            epochs = List.copyOf(epochs);
        }
    }

    /** Copies the lists. */
    public ScatterChart {
        series = List.copyOf(series);
        lines = List.copyOf(lines);
    }

    @Override
    public int seriesCount() {
        return series.size();
    }
}
