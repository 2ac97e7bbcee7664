package dev.constrained4j.reports.chart;

/**
 * A histogram of per-sample values with an optional bound drawn as a dashed vertical line.
 *
 * @param id        the container id ({@code hist-penalty-train-recon_mse})
 * @param title     the title
 * @param caption   the caption (states values beyond the range)
 * @param xLabel    the x-axis title
 * @param label     the legend label of the bars
 * @param color     the bar colour
 * @param histogram the counts
 * @param bound     the bound to draw, or {@code null}
 */
public record HistogramChart(String id, String title, String caption, String xLabel, String label, String color,
                             Histogram histogram, Double bound) implements Chart {

    @Override
    public int seriesCount() {
        return 1;
    }
}
