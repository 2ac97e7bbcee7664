package dev.constrained4j.reports.chart;

import java.util.List;

/**
 * Points of one metric against another, in series with one point highlighted or none: e.g. the trade-off
 * between the fraction of training samples that satisfy the constraint and the test accuracy (one series
 * per run and mode, one point per epoch, the selected epoch highlighted), or one point per model of a
 * table (the bit error rate against the PSNR of each HiDDeN model, one series per method). Horizontal
 * reference lines stand for what has no x value (a mode without a constraint).
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
     * @param notes    what each point is, for its tooltip ({@code epoch 3}), same length as {@code x}
     * @param selected the index of the highlighted point, or -1 for none
     */
    public record Points(String label, String color, List<Double> x, List<Double> y, List<String> notes,
                         int selected) {

        /** Checks the lengths and the selected index, and copies. */
        public Points {
            if (x.size() != y.size() || x.size() != notes.size()) {
                throw new IllegalArgumentException("points '" + label + "': " + x.size() + " x, " + y.size()
                        + " y values and " + notes.size() + " notes");
            }
            if (selected < -1 || selected >= x.size()) {
                throw new IllegalArgumentException("points '" + label + "': selected index " + selected
                        + " outside 0.." + (x.size() - 1));
            }
            x = List.copyOf(x);
            y = List.copyOf(y);
            notes = List.copyOf(notes);
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
