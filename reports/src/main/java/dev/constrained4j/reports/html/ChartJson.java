package dev.constrained4j.reports.html;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.reports.chart.BoxChart;
import dev.constrained4j.reports.chart.BoxStats;
import dev.constrained4j.reports.chart.Chart;
import dev.constrained4j.reports.chart.Histogram;
import dev.constrained4j.reports.chart.HistogramChart;
import dev.constrained4j.reports.chart.LineChart;
import dev.constrained4j.reports.chart.Numbers;
import dev.constrained4j.reports.chart.RefLine;
import dev.constrained4j.reports.chart.ScatterChart;
import dev.constrained4j.reports.chart.Series;

import java.util.List;

/**
 * The JSON that the page's script turns into Chart.js charts: {@code {"charts": [...]}}, one
 * object per chart with {@code id}, {@code type} ({@code line}, {@code scatter}, {@code histogram}, {@code box}),
 * labels, series (a line series may carry per-point tooltip {@code notes}) and reference lines.
 * Empty values are {@code null}, never 0 or NaN.
 */
final class ChartJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChartJson() {
    }

    /**
     * @param charts the charts
     * @return their JSON, safe to embed in a {@code <script type="application/json">} element
     */
    static String of(List<Chart> charts) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("charts");
        for (Chart chart : charts) {
            ObjectNode node = array.addObject();
            node.put("id", chart.id());
            node.put("title", chart.title());
            node.put("seriesCount", chart.seriesCount());
            if (chart instanceof LineChart line) {
                line(node, line);
            } else if (chart instanceof ScatterChart scatter) {
                scatter(node, scatter);
            } else if (chart instanceof HistogramChart histogram) {
                histogram(node, histogram);
            } else {
                box(node, (BoxChart) chart);
            }
        }
        return root.toString().replace("</", "<\\/").replace("<!--", "<\\!--");
    }

    private static void number(ArrayNode array, Double v, boolean log) {
        if (v == null || !Double.isFinite(v) || (log && v <= 0)) {
            array.addNull();
        } else {
            array.add(v);
        }
    }

    private static void line(ObjectNode node, LineChart chart) {
        node.put("type", "line");
        node.put("xLabel", chart.xLabel());
        node.put("yLabel", chart.yLabel());
        node.put("logY", chart.logY());
        ArrayNode series = node.putArray("series");
        for (Series s : chart.series()) {
            ObjectNode o = series.addObject();
            o.put("label", s.label());
            o.put("color", s.color());
            ArrayNode dash = o.putArray("dash");
            s.dash().pattern().forEach(dash::add);
            ArrayNode x = o.putArray("x");
            s.x().forEach(v -> number(x, v, false));
            ArrayNode y = o.putArray("y");
            s.y().forEach(v -> number(y, v, chart.logY()));
            if (!s.notes().isEmpty()) {
                ArrayNode notes = o.putArray("notes");
                s.notes().forEach(notes::add);
            }
        }
        lines(node, chart.lines());
    }

    private static void lines(ObjectNode node, List<RefLine> refLines) {
        ArrayNode lines = node.putArray("lines");
        for (RefLine r : refLines) {
            lines.addObject().put("axis", r.vertical() ? "x" : "y").put("value", r.value()).put("label", r.label());
        }
    }

    private static void scatter(ObjectNode node, ScatterChart chart) {
        node.put("type", "scatter");
        node.put("xLabel", chart.xLabel());
        node.put("yLabel", chart.yLabel());
        ArrayNode series = node.putArray("series");
        for (ScatterChart.Points s : chart.series()) {
            ObjectNode o = series.addObject();
            o.put("label", s.label());
            o.put("color", s.color());
            ArrayNode x = o.putArray("x");
            s.x().forEach(x::add);
            ArrayNode y = o.putArray("y");
            s.y().forEach(y::add);
            ArrayNode notes = o.putArray("notes");
            s.notes().forEach(notes::add);
            o.put("selected", s.selected());
        }
        lines(node, chart.lines());
    }

    private static void histogram(ObjectNode node, HistogramChart chart) {
        Histogram h = chart.histogram();
        node.put("type", "histogram");
        node.put("xLabel", chart.xLabel());
        node.put("yLabel", "count");
        ArrayNode labels = node.putArray("labels");
        ArrayNode ranges = node.putArray("ranges");
        ArrayNode counts = node.putArray("counts");
        for (int i = 0; i < h.bins(); i++) {
            labels.add(Numbers.format(h.leftEdge(i)));
            String close = i == h.bins() - 1 ? "]" : ")";
            ranges.add("[" + Numbers.format(h.leftEdge(i)) + ", " + Numbers.format(h.rightEdge(i)) + close
                    + (i == h.bins() - 1 && h.beyondMax() > 0 ? " + " + h.beyondMax() + " beyond" : ""));
            counts.add(h.counts()[i]);
        }
        ObjectNode s = node.putObject("series");
        s.put("label", chart.label());
        s.put("color", chart.color());
        ArrayNode lines = node.putArray("lines");
        if (chart.bound() != null) {
            // The category axis puts bin i's centre at i, so its left edge is at i - 0.5.
            double position = (chart.bound() - h.min()) / h.binWidth() - 0.5;
            lines.addObject().put("axis", "x").put("value", position).put("label", "B = " + Numbers.format(chart.bound()));
        }
    }

    private static void box(ObjectNode node, BoxChart chart) {
        node.put("type", "box");
        node.put("yLabel", chart.yLabel());
        ArrayNode boxes = node.putArray("boxes");
        for (BoxChart.Box b : chart.boxes()) {
            BoxStats s = b.stats();
            boxes.addObject().put("label", b.label()).put("color", b.color()).put("n", s.n())
                    .put("whiskerLow", s.whiskerLow()).put("q1", s.q1()).put("median", s.median())
                    .put("q3", s.q3()).put("whiskerHigh", s.whiskerHigh()).put("mean", s.mean())
                    .put("outliers", s.outliers());
        }
    }
}
