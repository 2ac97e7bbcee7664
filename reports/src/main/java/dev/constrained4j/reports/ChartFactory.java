package dev.constrained4j.reports;

import dev.constrained4j.reports.chart.BoxChart;
import dev.constrained4j.reports.chart.BoxStats;
import dev.constrained4j.reports.chart.Chart;
import dev.constrained4j.reports.chart.Histogram;
import dev.constrained4j.reports.chart.HistogramChart;
import dev.constrained4j.reports.chart.LineChart;
import dev.constrained4j.reports.chart.Numbers;
import dev.constrained4j.reports.chart.Palette;
import dev.constrained4j.reports.chart.RefLine;
import dev.constrained4j.reports.chart.ScatterChart;
import dev.constrained4j.reports.chart.Series;
import dev.constrained4j.reports.record.CsvTable;
import dev.constrained4j.reports.record.MetricsTable;
import dev.constrained4j.reports.record.ModeResult;
import dev.constrained4j.reports.record.ReportHints;
import dev.constrained4j.reports.record.RunFolder;

import dev.constrained4j.reports.run.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns run folders into chart models: the trade-off between the fraction satisfied and accuracy
 * (one point per epoch), one line chart per metric base name (one curve per run, mode and split;
 * train solid, other splits dashed) or per group of statistics of one quantity ({@code dual_mean},
 * {@code dual_p90}, {@code dual_max}), and the scatter charts of table columns, histograms and box plots
 * the runs' report hints ask for. Missing sample files become warnings, not failures; modes without values draw no curve.
 */
final class ChartFactory {

    /** The training split, whose fraction satisfied is the trade-off chart's x. */
    static final String TRAIN_SPLIT = "train";
    /** The metric base name of the trade-off chart's y, on the evaluation split. */
    static final String ACCURACY = "acc";

    /**
     * One statistic of a quantity recorded per epoch as a {@code <group>_<name>} column, and how its
     * curves are stroked; all modes' curves of one statistic share the stroke, the colour tells the mode.
     *
     * @param name the column suffix ({@code mean})
     * @param dash the stroke
     */
    record GroupStatistic(String name, Series.Dash dash) {
    }

    /**
     * The statistics drawn together in one chart, in this order, when a run records a group of them
     * (e.g. {@code dual_mean}, {@code dual_p90}, {@code dual_max} of the multipliers λ_i).
     */
    static final List<GroupStatistic> GROUP_STATISTICS = List.of(new GroupStatistic("mean", Series.Dash.SOLID),
            new GroupStatistic("p90", Series.Dash.DASHED), new GroupStatistic("max", Series.Dash.DOTTED));

    /** Statistics of a group that only the summary table shows, so that its chart stays readable. */
    static final List<String> TABLE_ONLY_STATISTICS = List.of("p50", "p99");

    private final List<RunFolder> runs;
    private final List<String> warnings;
    private final Map<String, String> colors = new LinkedHashMap<>();

    ChartFactory(List<RunFolder> runs, List<String> warnings) {
        this.runs = runs;
        this.warnings = warnings;
        // Colours follow run and mode order, whichever chart first shows a mode.
        for (int i = 0; i < runs.size(); i++) {
            for (String mode : runs.get(i).plottedModes()) {
                color(i, mode);
            }
        }
    }

    private String color(int run, String mode) {
        return colors.computeIfAbsent(run + "\u0000" + mode, k -> Palette.color(colors.size()));
    }

    private String seriesLabel(int run, String mode, String split) {
        String label = mode + (split.isEmpty() ? "" : " · " + split);
        return runs.size() > 1 ? runs.get(run).record().title() + " · " + label : label;
    }

    private String metricTitle(String metric) {
        for (RunFolder run : runs) {
            String title = run.record().hints().metricTitles().get(metric);
            if (title != null && !title.isBlank()) {
                return title;
            }
        }
        return metric;
    }

    /**
     * @return one line chart per metric base name, in order of first appearance across runs,
     *         {@code seconds} last; a statistics group ({@link #GROUP_STATISTICS}) is one chart at
     *         the place of its first column; a metric with no value in any mode has no chart
     */
    List<LineChart> lineCharts() {
        Set<String> metrics = new LinkedHashSet<>();
        runs.forEach(r -> metrics.addAll(r.metrics().metrics()));
        // Wall-clock time per epoch is bookkeeping, not a result: its chart goes last.
        if (metrics.remove(RunFiles.SECONDS)) {
            metrics.add(RunFiles.SECONDS);
        }
        Map<String, String> groupOf = statisticGroups(metrics);
        Set<String> drawnGroups = new LinkedHashSet<>();
        List<LineChart> charts = new ArrayList<>();
        for (String metric : metrics) {
            String group = groupOf.get(metric);
            LineChart chart;
            if (group == null) {
                chart = metricChart(metric);
            } else if (drawnGroups.add(group)) {
                chart = groupChart(group, metrics);
            } else {
                continue;
            }
            if (!chart.series().isEmpty()) {
                charts.add(chart);
            }
        }
        return charts;
    }

    /** @return metric → its group, for every group that has both a {@code _mean} and a {@code _max} metric */
    private static Map<String, String> statisticGroups(Set<String> metrics) {
        Map<String, String> groupOf = new LinkedHashMap<>();
        for (String metric : metrics) {
            int underscore = metric.lastIndexOf('_');
            if (underscore <= 0) {
                continue;
            }
            String group = metric.substring(0, underscore);
            String statistic = metric.substring(underscore + 1);
            boolean known = TABLE_ONLY_STATISTICS.contains(statistic)
                    || GROUP_STATISTICS.stream().anyMatch(g -> g.name().equals(statistic));
            if (known && metrics.contains(group + "_mean") && metrics.contains(group + "_max")) {
                groupOf.put(metric, group);
            }
        }
        return groupOf;
    }

    private boolean logScale(String metric) {
        return runs.stream().anyMatch(r -> r.record().hints().logScale().contains(metric));
    }

    /** @return a curve of one column of one mode against epoch, or {@code null} if it has no finite value */
    private Series curve(int run, String mode, MetricsTable.Column column, String label, Series.Dash dash) {
        MetricsTable table = runs.get(run).metrics();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int row : table.rowsOf(mode)) {
            xs.add((double) table.rows().get(row).epoch());
            ys.add(table.value(row, column.name()));
        }
        if (ys.stream().noneMatch(v -> v != null && Double.isFinite(v))) {
            return null;
        }
        return new Series(label, color(run, mode), dash, xs, ys);
    }

    private LineChart metricChart(String metric) {
        boolean log = logScale(metric);
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (String mode : runs.get(i).plottedModes()) {
                for (MetricsTable.Column column : runs.get(i).metrics().columnsOf(metric)) {
                    boolean evaluation = !column.split().isEmpty() && !column.split().equals("train");
                    Series s = curve(i, mode, column, seriesLabel(i, mode, column.split()),
                            evaluation ? Series.Dash.DASHED : Series.Dash.SOLID);
                    if (s != null) {
                        series.add(s);
                    }
                }
            }
        }
        List<RefLine> lines = new ArrayList<>();
        String caption = "";
        for (RunFolder run : runs) {
            ReportHints.Constraint c = run.record().hints().constraint();
            if (c != null && c.column().equals(metric) && c.bound() != null
                    && lines.stream().noneMatch(l -> l.value() == c.bound())) {
                lines.add(new RefLine(false, c.bound(), "B = " + Numbers.format(c.bound())));
                caption = "Dashed red line: the per-sample bound B = " + Numbers.format(c.bound())
                        + " (the curves are means over samples).";
            }
        }
        String title = metricTitle(metric);
        return new LineChart(metric, title, log ? caption + (caption.isEmpty() ? "" : " ") + "Log scale." : caption,
                "epoch", title, log, series, lines);
    }

    private LineChart groupChart(String group, Set<String> metrics) {
        List<GroupStatistic> drawn = GROUP_STATISTICS.stream().filter(st -> metrics.contains(group + "_" + st.name()))
                .toList();
        boolean log = logScale(group) || drawn.stream().anyMatch(st -> logScale(group + "_" + st.name()));
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (String mode : runs.get(i).plottedModes()) {
                for (GroupStatistic statistic : drawn) {
                    for (MetricsTable.Column column : runs.get(i).metrics().columnsOf(group + "_" + statistic.name())) {
                        Series s = curve(i, mode, column, seriesLabel(i, mode, column.split()) + " · " + statistic.name(),
                                statistic.dash());
                        if (s != null) {
                            series.add(s);
                        }
                    }
                }
            }
        }
        StringBuilder caption = new StringBuilder();
        for (GroupStatistic statistic : drawn) {
            String metric = group + "_" + statistic.name();
            String title = metricTitle(metric);
            String stroke = statistic.dash().name().toLowerCase(java.util.Locale.ROOT);
            caption.append(caption.length() == 0 ? Character.toUpperCase(stroke.charAt(0)) + stroke.substring(1) : "; " + stroke)
                    .append(": ").append(metric).append(title.equals(metric) ? "" : " (" + title + ")");
        }
        caption.append(". Only modes that record them have curves.");
        List<String> tableOnly = TABLE_ONLY_STATISTICS.stream().map(st -> group + "_" + st).filter(metrics::contains).toList();
        if (!tableOnly.isEmpty()) {
            caption.append(' ').append(String.join(" and ", tableOnly)).append(" are in the summary table.");
        }
        if (log) {
            caption.append(" Log scale.");
        }
        String title = metricTitle(group);
        if (title.equals(group)) {
            title = group + ": " + String.join(", ", drawn.stream().map(GroupStatistic::name).toList()) + " per epoch";
        }
        return new LineChart("stats-" + group, title, caption.toString(), "epoch", group, log, series, List.of());
    }

    private String prefix(int run) {
        return runs.size() > 1 ? "run" + (run + 1) + "-" : "";
    }

    /**
     * The trade-off between satisfying the constraint and accuracy: x is the training split's
     * fraction satisfied ({@code train_<satisfiedColumn>}), y the accuracy on the evaluation split
     * ({@code test_acc}; {@code <split>_acc} of the last non-training split when there is no test
     * split), one point per epoch, one series per run and mode, the selected epoch highlighted. A
     * mode without a fraction satisfied (no constraint, e.g. plain) is a dashed horizontal line at
     * the accuracy of its selected epoch, so the constrained modes are read against it.
     *
     * @return the chart, or empty when no run has a constraint with a fraction satisfied and an accuracy
     */
    Optional<ScatterChart> tradeoff() {
        List<ScatterChart.Points> series = new ArrayList<>();
        List<RefLine> lines = new ArrayList<>();
        String xColumn = null;
        String yColumn = null;
        for (int i = 0; i < runs.size(); i++) {
            RunFolder run = runs.get(i);
            ReportHints.Constraint constraint = run.record().hints().constraint();
            Optional<String> split = evaluationSplit(run.metrics());
            if (constraint == null || constraint.satisfiedColumn().isBlank() || split.isEmpty()) {
                continue;
            }
            String x = TRAIN_SPLIT + "_" + constraint.satisfiedColumn();
            String y = split.get() + "_" + ACCURACY;
            if (!hasColumn(run.metrics(), x) || !hasColumn(run.metrics(), y)) {
                continue;
            }
            xColumn = xColumn == null ? x : xColumn;
            yColumn = yColumn == null ? y : yColumn;
            for (String mode : run.plottedModes()) {
                tradeoff(i, mode, x, y, series, lines);
            }
        }
        if (series.isEmpty()) {
            return Optional.empty();
        }
        String caption = "One point per epoch; the large diamond is each mode's selected epoch (as in the summary)."
                + (lines.isEmpty() ? "" : " Dashed lines: modes without a constraint, at the "
                + yColumn + " of their selected epoch.") + " Up and to the right is better.";
        return Optional.of(new ScatterChart("tradeoff", "Constraint satisfied versus accuracy, per epoch", caption,
                xColumn + " (" + metricTitle(xColumn.substring(TRAIN_SPLIT.length() + 1)) + ")",
                yColumn + " (" + metricTitle(ACCURACY) + ")", series, lines));
    }

    /** Adds the points of one mode, or its reference line when it has accuracies but no fraction satisfied. */
    private void tradeoff(int run, String mode, String x, String y, List<ScatterChart.Points> series,
                          List<RefLine> lines) {
        MetricsTable table = runs.get(run).metrics();
        List<Integer> rows = table.rowsOf(mode);
        if (rows.isEmpty()) {
            return;
        }
        ModeResult result = runs.get(run).record().results().get(mode);
        int selectedEpoch = result != null ? result.bestEpoch() : table.rows().get(rows.get(rows.size() - 1)).epoch();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<String> epochs = new ArrayList<>();
        int selected = -1;
        for (int row : rows) {
            Double xv = table.value(row, x);
            Double yv = table.value(row, y);
            if (xv == null || yv == null || !Double.isFinite(xv) || !Double.isFinite(yv)) {
                continue;
            }
            int epoch = table.rows().get(row).epoch();
            if (epoch == selectedEpoch) {
                selected = xs.size();
            }
            xs.add(xv);
            ys.add(yv);
            epochs.add("epoch " + epoch);
        }
        if (!xs.isEmpty()) {
            series.add(new ScatterChart.Points(seriesLabel(run, mode, ""), color(run, mode), xs, ys, epochs, selected));
            return;
        }
        Optional<Double> reference = table.find(mode, selectedEpoch).map(row -> table.value(row, y))
                .filter(v -> v != null && Double.isFinite(v));
        reference.ifPresent(v -> lines.add(new RefLine(false, v, seriesLabel(run, mode, "") + ", epoch "
                + selectedEpoch + ": " + Numbers.format(v))));
    }

    /** @return {@code test} if the table has it, else its last split other than the training split */
    private static Optional<String> evaluationSplit(MetricsTable table) {
        List<String> splits = table.splits().stream().filter(s -> !s.equals(TRAIN_SPLIT)).toList();
        if (splits.contains("test")) {
            return Optional.of("test");
        }
        return splits.isEmpty() ? Optional.empty() : Optional.of(splits.get(splits.size() - 1));
    }

    private static boolean hasColumn(MetricsTable table, String name) {
        return table.columns().stream().anyMatch(c -> c.name().equals(name));
    }

    /** @return the histograms the runs' hints ask for, in hint order; missing files become warnings */
    List<HistogramChart> histograms() {
        List<HistogramChart> charts = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunFolder run = runs.get(i);
            for (ReportHints.HistogramHint hint : run.record().hints().histograms()) {
                double[] values = samples(run, hint.file(), hint.column());
                if (values == null) {
                    continue;
                }
                Histogram h;
                StringBuilder caption = new StringBuilder();
                if (hint.binning() instanceof ReportHints.FixedRange range) {
                    h = Histogram.of(values, range.min(), range.max(), range.binWidth());
                    fixedRangeCaption(caption, h);
                } else {
                    h = Histogram.ofData(values, ((ReportHints.DataRange) hint.binning()).bins());
                    dataRangeCaption(caption, values, h);
                }
                String what = seriesLabel(i, hint.mode(), hint.split());
                String title = hint.title().isBlank() ? metricTitle(hint.column()) + " per sample, " + what : hint.title();
                if (h.nan() > 0) {
                    caption.append(' ').append(h.nan()).append(" NaN values not counted.");
                }
                Double bound = hint.bound();
                if (bound == null && run.record().hints().constraint() != null
                        && hint.column().equals(run.record().hints().constraint().column())) {
                    bound = run.record().hints().constraint().bound();
                }
                if (bound != null) {
                    caption.append(" Dashed line: ").append(hint.atLeast() ? "floor T = " : "bound B = ")
                            .append(Numbers.format(bound)).append('.');
                    violations(caption, values, bound, hint.atLeast());
                }
                String id = "hist-" + prefix(i) + slug(hint.mode()) + "-" + slug(hint.split()) + "-" + slug(hint.column());
                charts.add(new HistogramChart(id, title, caption.toString(), hint.column(), what,
                        color(i, hint.mode()), h, bound));
            }
        }
        return charts;
    }

    /**
     * States how many samples are on the wrong side of the bound and by how much: below a floor
     * ({@code atLeast}) or above an upper bound. NaN values count as neither.
     */
    static void violations(StringBuilder caption, double[] values, double bound, boolean atLeast) {
        long counted = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).count();
        double[] shortfall = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v))
                .map(v -> atLeast ? bound - v : v - bound).filter(d -> d > 0).toArray();
        String side = atLeast ? "below the floor" : "above the bound";
        if (shortfall.length == 0) {
            caption.append(" Every one of the ").append(counted).append(" samples is ")
                    .append(atLeast ? "at or above the floor." : "at or below the bound.");
            return;
        }
        caption.append(' ').append(shortfall.length).append(" of ").append(counted).append(" samples (")
                .append(Numbers.format(100.0 * shortfall.length / counted, 3)).append("%) ").append(side)
                .append(", by ").append(Numbers.format(java.util.Arrays.stream(shortfall).average().orElse(0), 3))
                .append(" on average and at most ")
                .append(Numbers.format(java.util.Arrays.stream(shortfall).max().orElse(0), 3)).append('.');
    }

    /** States the bins of a histogram over a fixed range and how many values fell outside it. */
    private static void fixedRangeCaption(StringBuilder caption, Histogram h) {
        caption.append(h.total()).append(" samples, bin width ").append(Numbers.format(h.binWidth()))
                .append(" over [").append(Numbers.format(h.min())).append(", ").append(Numbers.format(h.max()))
                .append("]. ").append(h.beyondMax()).append(h.beyondMax() == 1 ? " value" : " values")
                .append(" beyond ").append(Numbers.format(h.max())).append(" counted in the last bin.");
        if (h.belowMin() > 0) {
            caption.append(' ').append(h.belowMin()).append(" below ").append(Numbers.format(h.min()))
                    .append(" counted in the first bin.");
        }
    }

    /** States the range a histogram took from its data, a column of one value, and how many values are 0. */
    private static void dataRangeCaption(StringBuilder caption, double[] values, Histogram h) {
        java.util.DoubleSummaryStatistics finite = java.util.Arrays.stream(values).filter(Double::isFinite)
                .summaryStatistics();
        caption.append(h.total()).append(" samples in ").append(h.bins()).append(" bins of width ")
                .append(Numbers.format(h.binWidth())).append(" over [").append(Numbers.format(h.min())).append(", ")
                .append(Numbers.format(h.max())).append("], the range of the data.");
        if (finite.getCount() > 0 && finite.getMin() == finite.getMax()) {
            caption.append(" Every value is ").append(Numbers.format(finite.getMin())).append('.');
        } else if (h.min() == 0) {
            long zeros = java.util.Arrays.stream(values).filter(v -> v == 0).count();
            caption.append(' ').append(zeros).append(zeros == 1 ? " value is" : " values are").append(" exactly 0.");
        }
        if (h.beyondMax() + h.belowMin() > 0) {
            caption.append(' ').append(h.beyondMax() + h.belowMin()).append(" infinite values counted in the outer bins.");
        }
    }

    /** @return one box chart per (column, split) across all runs' box-plot hints */
    List<BoxChart> boxCharts() {
        Map<String, List<BoxChart.Box>> groups = new LinkedHashMap<>();
        Map<String, String[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            RunFolder run = runs.get(i);
            for (ReportHints.BoxplotHint hint : run.record().hints().boxplots()) {
                double[] values = samples(run, hint.file(), hint.column());
                if (values == null) {
                    continue;
                }
                if (java.util.Arrays.stream(values).noneMatch(Double::isFinite)) {
                    warnings.add(run.record().runId() + ": " + hint.file() + " has no finite '" + hint.column() + "' value");
                    continue;
                }
                String key = "box-" + slug(hint.column()) + "-" + slug(hint.split());
                keys.putIfAbsent(key, new String[] {hint.column(), hint.split()});
                String label = runs.size() > 1 ? run.record().title() + (hint.mode().isEmpty() ? "" : " · " + hint.mode())
                        : hint.mode();
                groups.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new BoxChart.Box(label, color(i, hint.mode()), BoxStats.of(values)));
            }
        }
        List<BoxChart> charts = new ArrayList<>();
        groups.forEach((id, boxes) -> {
            String[] k = keys.get(id);
            String title = metricTitle(k[0]) + " per sample" + (k[1].isEmpty() ? "" : ", " + k[1]);
            charts.add(new BoxChart(id, title, "Boxes: quartiles and median; whiskers: furthest samples within 1.5 IQR.",
                    k[0], boxes));
        });
        return charts;
    }

    /**
     * @return one scatter chart per scatter hint of every run: one point per table row with finite x and y,
     *         one series per value of the hint's series column; a missing table becomes a warning
     */
    List<ScatterChart> tableScatters() {
        List<ScatterChart> charts = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunFolder run = runs.get(i);
            for (int h = 0; h < run.record().hints().scatters().size(); h++) {
                ReportHints.ScatterHint hint = run.record().hints().scatters().get(h);
                Path path = run.file(hint.file()).orElse(null);
                if (path == null || !Files.isRegularFile(path)) {
                    warnings.add(run.record().runId() + ": " + hint.file() + (path == null
                            ? " is outside the run folder, skipped" : " not found, its chart is left out"));
                    continue;
                }
                CsvTable table = CsvTable.read(path);
                int xc = table.requireColumn(hint.x());
                int yc = table.requireColumn(hint.y());
                int sc = table.requireColumn(hint.series());
                int nc = table.requireColumn(hint.note());
                Map<String, List<Integer>> rowsOf = new LinkedHashMap<>();
                for (int r = 0; r < table.rows().size(); r++) {
                    Double x = table.parseNumber(r, xc);
                    Double y = table.parseNumber(r, yc);
                    if (x != null && y != null && Double.isFinite(x) && Double.isFinite(y)) {
                        rowsOf.computeIfAbsent(table.rows().get(r).get(sc), k -> new ArrayList<>()).add(r);
                    }
                }
                List<ScatterChart.Points> series = new ArrayList<>();
                int runIndex = i;
                rowsOf.forEach((name, rows) -> series.add(new ScatterChart.Points(
                        runs.size() > 1 ? run.record().title() + " · " + name : name, color(runIndex, "\u0001" + name),
                        rows.stream().map(r -> table.parseNumber(r, xc)).toList(),
                        rows.stream().map(r -> table.parseNumber(r, yc)).toList(),
                        rows.stream().map(r -> table.rows().get(r).get(nc)).toList(), -1)));
                if (series.isEmpty()) {
                    warnings.add(run.record().runId() + ": " + hint.file() + " has no row with finite '" + hint.x()
                            + "' and '" + hint.y() + "', its chart is left out");
                    continue;
                }
                charts.add(new ScatterChart("scatter-" + prefix(i) + h, hint.title(), hint.caption(),
                        hint.xLabel().isBlank() ? hint.x() : hint.xLabel(),
                        hint.yLabel().isBlank() ? hint.y() : hint.yLabel(), series, List.of()));
            }
        }
        return charts;
    }

    private double[] samples(RunFolder run, String file, String column) {
        Path path = run.file(file).orElse(null);
        if (path == null) {
            warnings.add(run.record().runId() + ": '" + file + "' is outside the run folder, skipped");
            return null;
        }
        if (!Files.isRegularFile(path)) {
            warnings.add(run.record().runId() + ": " + file + " not found, its chart is left out");
            return null;
        }
        return CsvTable.read(path).numbers(column);
    }

    /** @return all charts: the trade-off, the table scatters, curves, histograms, box plots */
    List<Chart> all() {
        List<Chart> all = new ArrayList<>();
        tradeoff().ifPresent(all::add);
        all.addAll(tableScatters());
        all.addAll(lineCharts());
        all.addAll(histograms());
        all.addAll(boxCharts());
        return all;
    }

    static String slug(String s) {
        String slug = s.replaceAll("[^A-Za-z0-9_.-]+", "-");
        return slug.isEmpty() ? "x" : slug;
    }
}
