package dev.constrained4j.reports.chart;

/**
 * A chart of the report, drawn twice from the same model: interactively in the browser (Chart.js,
 * from the chart's JSON) and as server-side SVG by {@link SvgRenderer} for print and no-JavaScript.
 */
public sealed interface Chart permits LineChart, ScatterChart, HistogramChart, BoxChart {

    /** @return the id written to the container's {@code data-chart} attribute */
    String id();

    /** @return the title shown above the chart */
    String title();

    /** @return a caption shown below the chart, possibly empty */
    String caption();

    /** @return how many series the browser must draw; the page checks it in {@code data-series-count} */
    int seriesCount();

    /**
     * @param name a name that goes into a chart id (a method, a dataset)
     * @return the name with every run of characters other than {@code A-Za-z0-9_.-} replaced by {@code -}
     */
    static String idPart(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]+", "-");
    }
}
