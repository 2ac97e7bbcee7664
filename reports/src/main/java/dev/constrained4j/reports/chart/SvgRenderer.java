package dev.constrained4j.reports.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Chart} as a self-contained inline SVG (axes, ticks, grid, curves or bars, reference
 * lines and a legend). The page shows it when printing and when JavaScript is off; the interactive
 * Chart.js version is drawn from the same model.
 */
public final class SvgRenderer {

    private static final int WIDTH = 640;
    private static final int LEFT = 66;
    private static final int RIGHT = 14;
    private static final int TOP = 12;
    private static final int PLOT_HEIGHT = 250;
    private static final int BOTTOM = TOP + PLOT_HEIGHT;
    private static final double CHAR_WIDTH = 6.2;

    private SvgRenderer() {
    }

    /**
     * @param chart a chart
     * @return an {@code <svg>} element with a {@code viewBox}, no external references
     */
    public static String render(Chart chart) {
        if (chart instanceof LineChart line) {
            return line(line);
        } else if (chart instanceof ScatterChart scatter) {
            return scatter(scatter);
        } else if (chart instanceof HistogramChart histogram) {
            return histogram(histogram);
        } else {
            return box((BoxChart) chart);
        }
    }

    /** An axis: data range, ticks, and the mapping to pixels. */
    private record Axis(double lo, double hi, boolean log, List<Double> ticks, double step) {

        static Axis linear(double lo, double hi) {
            if (!(hi > lo)) {
                double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                lo -= pad;
                hi += pad;
            }
            double step = nice((hi - lo) / 5);
            double start = Math.floor(lo / step + 1e-9) * step;
            double end = Math.ceil(hi / step - 1e-9) * step;
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; start + i * step <= end + step * 1e-9; i++) {
                ticks.add(start + i * step);
            }
            return new Axis(start, end, false, ticks, step);
        }

        static Axis logarithmic(double lo, double hi) {
            int a = (int) Math.floor(Math.log10(lo));
            int b = (int) Math.ceil(Math.log10(hi));
            if (b == a) {
                b = a + 1;
            }
            int every = Math.max(1, (b - a + 5) / 6);
            List<Double> ticks = new ArrayList<>();
            for (int k = a; k <= b; k += every) {
                ticks.add(Math.pow(10, k));
            }
            return new Axis(Math.pow(10, a), Math.pow(10, b), true, ticks, 0);
        }

        static double nice(double raw) {
            double exp = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / exp;
            double n = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
            return n * exp;
        }

        double fraction(double v) {
            return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        }

        String label(double v) {
            return log ? Numbers.format(v) : Numbers.tick(v, step);
        }
    }

    private static double px(Axis x, double v) {
        return LEFT + x.fraction(v) * (WIDTH - LEFT - RIGHT);
    }

    private static double py(Axis y, double v) {
        return BOTTOM - y.fraction(v) * PLOT_HEIGHT;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void open(StringBuilder svg, String title, int height) {
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg-img\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
                .append(escape(title)).append("\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" fill=\"#fff\"/>");
    }

    private static void yAxis(StringBuilder svg, Axis y, String title) {
        for (double t : y.ticks()) {
            double p = py(y, t);
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(f(p)).append("\" y2=\"").append(f(p)).append("\" stroke=\"#e3e3e3\"/>");
            svg.append("<text x=\"").append(LEFT - 5).append("\" y=\"").append(f(p + 4))
                    .append("\" text-anchor=\"end\" fill=\"#333\">").append(escape(y.label(t))).append("</text>");
        }
        svg.append("<text transform=\"translate(13,").append(TOP + PLOT_HEIGHT / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">").append(escape(title)).append("</text>");
    }

    private static void xAxis(StringBuilder svg, Axis x, String title) {
        for (double t : x.ticks()) {
            double p = px(x, t);
            svg.append("<line x1=\"").append(f(p)).append("\" x2=\"").append(f(p)).append("\" y1=\"").append(BOTTOM)
                    .append("\" y2=\"").append(BOTTOM + 4).append("\" stroke=\"#333\"/>");
            svg.append("<text x=\"").append(f(p)).append("\" y=\"").append(BOTTOM + 16)
                    .append("\" text-anchor=\"middle\" fill=\"#333\">").append(escape(x.label(t))).append("</text>");
        }
        svg.append("<text x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"").append(BOTTOM + 32)
                .append("\" text-anchor=\"middle\" fill=\"#333\">").append(escape(title)).append("</text>");
    }

    private static void frame(StringBuilder svg) {
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(PLOT_HEIGHT)
                .append("\" fill=\"none\" stroke=\"#333\"/>");
    }

    private static void refLine(StringBuilder svg, double x1, double y1, double x2, double y2, String label) {
        svg.append("<line class=\"ref-line\" x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1))
                .append("\" x2=\"").append(f(x2)).append("\" y2=\"").append(f(y2))
                .append("\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>")
                .append(escape(label)).append("</title></line>");
        if (!label.isEmpty()) {
            svg.append("<text x=\"").append(f(Math.min(x1, x2) + 4)).append("\" y=\"").append(f(Math.min(y1, y2) + 12))
                    .append("\" fill=\"#d62728\">").append(escape(label)).append("</text>");
        }
    }

    /** What a legend entry shows before its label. */
    private enum Swatch { LINE, BOX, POINT }

    /** A legend entry: a stroked line, a filled box or a point, in a colour. */
    private record LegendItem(String label, String color, Swatch swatch, Series.Dash dash) {

        static LegendItem line(String label, String color, Series.Dash dash) {
            return new LegendItem(label, color, Swatch.LINE, dash);
        }

        static LegendItem box(String label, String color) {
            return new LegendItem(label, color, Swatch.BOX, Series.Dash.SOLID);
        }

        static LegendItem point(String label, String color) {
            return new LegendItem(label, color, Swatch.POINT, Series.Dash.SOLID);
        }
    }

    private static String dashAttribute(Series.Dash dash) {
        return dash.pattern().isEmpty() ? "" : " stroke-dasharray=\"" + dash.pattern().stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(" ")) + "\"";
    }

    /** Lays legend items out in rows under the x-axis title; returns the total SVG height. */
    private static int legend(StringBuilder svg, List<LegendItem> items) {
        int y = BOTTOM + 50;
        double x = LEFT;
        for (LegendItem item : items) {
            double w = 28 + item.label().length() * CHAR_WIDTH + 14;
            if (x + w > WIDTH - RIGHT && x > LEFT) {
                x = LEFT;
                y += 17;
            }
            switch (item.swatch()) {
                case BOX -> svg.append("<rect x=\"").append(f(x)).append("\" y=\"").append(y - 8)
                        .append("\" width=\"20\" height=\"10\" fill=\"").append(item.color())
                        .append("\" fill-opacity=\"0.6\" stroke=\"").append(item.color()).append("\"/>");
                case POINT -> svg.append("<circle cx=\"").append(f(x + 11)).append("\" cy=\"").append(y - 3)
                        .append("\" r=\"4\" fill=\"").append(item.color()).append("\" fill-opacity=\"0.7\" stroke=\"")
                        .append(item.color()).append("\"/>");
                case LINE -> svg.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x + 22)).append("\" y1=\"")
                        .append(y - 3).append("\" y2=\"").append(y - 3).append("\" stroke=\"").append(item.color())
                        .append("\" stroke-width=\"2\"").append(dashAttribute(item.dash())).append("/>");
            }
            svg.append("<text x=\"").append(f(x + 27)).append("\" y=\"").append(y).append("\" fill=\"#222\">")
                    .append(escape(item.label())).append("</text>");
            x += w;
        }
        return y + 10;
    }

    private static String line(LineChart chart) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : chart.series()) {
            for (int i = 0; i < s.x().size(); i++) {
                Double y = s.y().get(i);
                if (drawable(y, chart.logY())) {
                    xMin = Math.min(xMin, s.x().get(i));
                    xMax = Math.max(xMax, s.x().get(i));
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        for (RefLine r : chart.lines()) {
            if (!r.vertical() && drawable(r.value(), chart.logY())) {
                yMin = Math.min(yMin, r.value());
                yMax = Math.max(yMax, r.value());
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
            yMin = chart.logY() ? 1 : 0;
            yMax = chart.logY() ? 10 : 1;
        }
        Axis x = Axis.linear(xMin, xMax);
        Axis y = chart.logY() ? Axis.logarithmic(yMin, yMax) : Axis.linear(yMin, yMax);
        StringBuilder body = new StringBuilder();
        yAxis(body, y, chart.yLabel());
        xAxis(body, x, chart.xLabel());
        List<LegendItem> items = new ArrayList<>();
        for (Series s : chart.series()) {
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.x().size(); i++) {
                Double v = s.y().get(i);
                if (!drawable(v, chart.logY())) {
                    pen = false;
                    continue;
                }
                d.append(pen ? 'L' : 'M').append(f(px(x, s.x().get(i)))).append(',').append(f(py(y, v)));
                pen = true;
            }
            body.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(s.color())
                    .append("\" stroke-width=\"1.6\" stroke-linejoin=\"round\"")
                    .append(dashAttribute(s.dash())).append("><title>")
                    .append(escape(s.label())).append("</title></path>");
            items.add(LegendItem.line(s.label(), s.color(), s.dash()));
        }
        for (RefLine r : chart.lines()) {
            if (!r.vertical() && drawable(r.value(), chart.logY())) {
                double p = py(y, r.value());
                refLine(body, LEFT, p, WIDTH - RIGHT, p, r.label());
            }
        }
        frame(body);
        StringBuilder legend = new StringBuilder();
        int height = legend(legend, items);
        StringBuilder svg = new StringBuilder();
        open(svg, chart.title(), height);
        return svg.append(body).append(legend).append("</svg>").toString();
    }

    private static boolean drawable(Double v, boolean log) {
        return v != null && Double.isFinite(v) && (!log || v > 0);
    }

    private static String scatter(ScatterChart chart) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (ScatterChart.Points s : chart.series()) {
            for (int i = 0; i < s.x().size(); i++) {
                xMin = Math.min(xMin, s.x().get(i));
                xMax = Math.max(xMax, s.x().get(i));
                yMin = Math.min(yMin, s.y().get(i));
                yMax = Math.max(yMax, s.y().get(i));
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
        }
        for (RefLine r : chart.lines()) {
            if (!r.vertical() && Double.isFinite(r.value())) {
                yMin = Math.min(yMin, r.value());
                yMax = Math.max(yMax, r.value());
            }
        }
        if (yMin > yMax) {
            yMin = 0;
            yMax = 1;
        }
        Axis x = Axis.linear(xMin, xMax);
        Axis y = Axis.linear(yMin, yMax);
        StringBuilder body = new StringBuilder();
        yAxis(body, y, chart.yLabel());
        xAxis(body, x, chart.xLabel());
        List<LegendItem> items = new ArrayList<>();
        for (ScatterChart.Points s : chart.series()) {
            body.append("<g class=\"points\" fill=\"").append(s.color()).append("\" fill-opacity=\"0.55\"><title>")
                    .append(escape(s.label())).append("</title>");
            for (int i = 0; i < s.x().size(); i++) {
                if (i == s.selected()) {
                    continue;
                }
                body.append("<circle cx=\"").append(f(px(x, s.x().get(i)))).append("\" cy=\"")
                        .append(f(py(y, s.y().get(i)))).append("\" r=\"3\"><title>").append(escape(s.label()))
                        .append(", ").append(escape(s.notes().get(i))).append(": ").append(Numbers.format(s.x().get(i)))
                        .append(", ").append(Numbers.format(s.y().get(i))).append("</title></circle>");
            }
            body.append("</g>");
            items.add(LegendItem.point(s.label(), s.color()));
        }
        // The selected points go last so that no other point covers them.
        for (ScatterChart.Points s : chart.series()) {
            int i = s.selected();
            if (i < 0) {
                continue;
            }
            double cx = px(x, s.x().get(i));
            double cy = py(y, s.y().get(i));
            body.append("<path class=\"selected\" d=\"M").append(f(cx)).append(',').append(f(cy - 7)).append('L')
                    .append(f(cx + 7)).append(',').append(f(cy)).append('L').append(f(cx)).append(',').append(f(cy + 7))
                    .append('L').append(f(cx - 7)).append(',').append(f(cy)).append("Z\" fill=\"").append(s.color())
                    .append("\" stroke=\"#111\" stroke-width=\"1.5\"><title>").append(escape(s.label()))
                    .append(", ").append(escape(s.notes().get(i))).append(" (selected): ").append(Numbers.format(s.x().get(i)))
                    .append(", ").append(Numbers.format(s.y().get(i))).append("</title></path>");
        }
        for (RefLine r : chart.lines()) {
            if (!r.vertical() && Double.isFinite(r.value())) {
                double p = py(y, r.value());
                refLine(body, LEFT, p, WIDTH - RIGHT, p, r.label());
            }
        }
        frame(body);
        StringBuilder legend = new StringBuilder();
        int height = legend(legend, items);
        StringBuilder svg = new StringBuilder();
        open(svg, chart.title(), height);
        return svg.append(body).append(legend).append("</svg>").toString();
    }

    private static String histogram(HistogramChart chart) {
        Histogram h = chart.histogram();
        Axis x = Axis.linear(h.min(), h.max());
        Axis y = Axis.linear(0, Math.max(1, h.maxCount()));
        StringBuilder body = new StringBuilder();
        yAxis(body, y, "count");
        xAxis(body, x, chart.xLabel());
        for (int i = 0; i < h.bins(); i++) {
            if (h.counts()[i] == 0) {
                continue;
            }
            double x0 = px(x, h.leftEdge(i));
            double x1 = px(x, h.rightEdge(i));
            double top = py(y, h.counts()[i]);
            body.append("<rect x=\"").append(f(x0)).append("\" y=\"").append(f(top)).append("\" width=\"")
                    .append(f(Math.max(0.5, x1 - x0))).append("\" height=\"").append(f(BOTTOM - top))
                    .append("\" fill=\"").append(chart.color()).append("\" fill-opacity=\"0.75\"><title>[")
                    .append(Numbers.format(h.leftEdge(i))).append(", ").append(Numbers.format(h.rightEdge(i)))
                    .append("): ").append(h.counts()[i]).append("</title></rect>");
        }
        List<LegendItem> items = new ArrayList<>();
        items.add(LegendItem.box(chart.label(), chart.color()));
        if (chart.bound() != null && chart.bound() >= x.lo() && chart.bound() <= x.hi()) {
            double p = px(x, chart.bound());
            refLine(body, p, TOP, p, BOTTOM, "B = " + Numbers.format(chart.bound()));
            items.add(LegendItem.line("bound", "#d62728", Series.Dash.DASHED));
        }
        frame(body);
        StringBuilder legend = new StringBuilder();
        int height = legend(legend, items);
        StringBuilder svg = new StringBuilder();
        open(svg, chart.title(), height);
        return svg.append(body).append(legend).append("</svg>").toString();
    }

    private static String box(BoxChart chart) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (BoxChart.Box b : chart.boxes()) {
            lo = Math.min(lo, b.stats().whiskerLow());
            hi = Math.max(hi, b.stats().whiskerHigh());
        }
        if (chart.boxes().isEmpty()) {
            lo = 0;
            hi = 1;
        }
        Axis y = Axis.linear(lo, hi);
        StringBuilder body = new StringBuilder();
        yAxis(body, y, chart.yLabel());
        int n = Math.max(1, chart.boxes().size());
        double slot = (WIDTH - LEFT - RIGHT) / (double) n;
        int maxChars = (int) (slot / CHAR_WIDTH) - 1;
        for (int i = 0; i < chart.boxes().size(); i++) {
            BoxChart.Box b = chart.boxes().get(i);
            BoxStats s = b.stats();
            double c = LEFT + slot * (i + 0.5);
            double half = Math.min(40, slot * 0.3);
            body.append("<g><title>").append(escape(b.label())).append(": median ").append(Numbers.format(s.median()))
                    .append(", Q1 ").append(Numbers.format(s.q1())).append(", Q3 ").append(Numbers.format(s.q3()))
                    .append(", whiskers ").append(Numbers.format(s.whiskerLow())).append("–")
                    .append(Numbers.format(s.whiskerHigh())).append(", n = ").append(s.n()).append("</title>");
            body.append("<line x1=\"").append(f(c)).append("\" x2=\"").append(f(c)).append("\" y1=\"")
                    .append(f(py(y, s.whiskerLow()))).append("\" y2=\"").append(f(py(y, s.whiskerHigh())))
                    .append("\" stroke=\"#444\"/>");
            for (double w : new double[] {s.whiskerLow(), s.whiskerHigh()}) {
                body.append("<line x1=\"").append(f(c - half / 2)).append("\" x2=\"").append(f(c + half / 2))
                        .append("\" y1=\"").append(f(py(y, w))).append("\" y2=\"").append(f(py(y, w)))
                        .append("\" stroke=\"#444\"/>");
            }
            body.append("<rect x=\"").append(f(c - half)).append("\" y=\"").append(f(py(y, s.q3())))
                    .append("\" width=\"").append(f(2 * half)).append("\" height=\"")
                    .append(f(Math.max(0.5, py(y, s.q1()) - py(y, s.q3())))).append("\" fill=\"").append(b.color())
                    .append("\" fill-opacity=\"0.5\" stroke=\"").append(b.color()).append("\"/>");
            body.append("<line class=\"median\" x1=\"").append(f(c - half)).append("\" x2=\"").append(f(c + half))
                    .append("\" y1=\"").append(f(py(y, s.median()))).append("\" y2=\"").append(f(py(y, s.median())))
                    .append("\" stroke=\"#222\" stroke-width=\"2\"/></g>");
            String label = b.label().length() > maxChars && maxChars > 3
                    ? b.label().substring(0, maxChars - 1) + "…" : b.label();
            body.append("<text x=\"").append(f(c)).append("\" y=\"").append(BOTTOM + 16)
                    .append("\" text-anchor=\"middle\" fill=\"#333\">").append(escape(label)).append("</text>");
        }
        frame(body);
        StringBuilder svg = new StringBuilder();
        open(svg, chart.title(), BOTTOM + 30);
        return svg.append(body).append("</svg>").toString();
    }
}
