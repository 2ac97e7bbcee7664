package dev.constrained4j.reports.chart;

import java.util.List;

/**
 * A metric against epoch, one curve per (run, mode, split).
 *
 * @param id      the metric base name ({@code loss})
 * @param title   the title
 * @param caption the caption, possibly empty
 * @param xLabel  the x-axis title
 * @param yLabel  the y-axis title
 * @param logY    whether the y axis is logarithmic (non-positive values are then not drawn)
 * @param series  the curves, none of them all-empty
 * @param lines   reference lines
 */
public record LineChart(String id, String title, String caption, String xLabel, String yLabel, boolean logY,
                        List<Series> series, List<RefLine> lines) implements Chart {

    /** Copies the lists. */
    public LineChart {
        series = List.copyOf(series);
        lines = List.copyOf(lines);
    }

    @Override
    public int seriesCount() {
        return series.size();
    }
}
