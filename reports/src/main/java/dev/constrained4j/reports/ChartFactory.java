package dev.constrained4j.reports;

import dev.constrained4j.reports.chart.BoxChart;
import dev.constrained4j.reports.chart.BoxStats;
import dev.constrained4j.reports.chart.Chart;
import dev.constrained4j.reports.chart.Histogram;
import dev.constrained4j.reports.chart.HistogramChart;
import dev.constrained4j.reports.chart.LineChart;
import dev.constrained4j.reports.chart.Numbers;
import dev.constrained4j.reports.chart.RefLine;
import dev.constrained4j.reports.chart.Series;
import dev.constrained4j.reports.record.CsvTable;
import dev.constrained4j.reports.record.MetricsTable;
import dev.constrained4j.reports.record.ReportHints;
import dev.constrained4j.reports.record.RunFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns run folders into chart models: one line chart per metric base name (one curve per run,
 * mode and split; train solid, other splits dashed), the histograms and box plots the runs' report
 * hints ask for. Missing sample files become warnings, not failures.
 */
final class ChartFactory {

    /** Matplotlib's tab10 palette, the reference's colours. */
    static final List<String> PALETTE = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

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
        return colors.computeIfAbsent(run + "\u0000" + mode, k -> PALETTE.get(colors.size() % PALETTE.size()));
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

    /** @return one line chart per metric base name, in order of first appearance across runs, {@code seconds} last */
    List<LineChart> lineCharts() {
        Set<String> metrics = new LinkedHashSet<>();
        runs.forEach(r -> metrics.addAll(r.metrics().metrics()));
        // Wall-clock time per epoch is bookkeeping, not a result: its chart goes last.
        if (metrics.remove("seconds")) {
            metrics.add("seconds");
        }
        List<LineChart> charts = new ArrayList<>();
        for (String metric : metrics) {
            boolean log = runs.stream().anyMatch(r -> r.record().hints().logScale().contains(metric));
            List<Series> series = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                MetricsTable table = runs.get(i).metrics();
                for (String mode : runs.get(i).plottedModes()) {
                    for (MetricsTable.Column column : table.columnsOf(metric)) {
                        List<Double> xs = new ArrayList<>();
                        List<Double> ys = new ArrayList<>();
                        for (int row : table.rowsOf(mode)) {
                            xs.add((double) table.rows().get(row).epoch());
                            ys.add(table.value(row, column.name()));
                        }
                        if (ys.stream().allMatch(v -> v == null)) {
                            continue;
                        }
                        series.add(new Series(seriesLabel(i, mode, column.split()), color(i, mode),
                                !column.split().isEmpty() && !column.split().equals("train"), xs, ys));
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
            charts.add(new LineChart(metric, title, log ? caption + (caption.isEmpty() ? "" : " ") + "Log scale." : caption,
                    "epoch", title, log, series, lines));
        }
        return charts;
    }

    private String prefix(int run) {
        return runs.size() > 1 ? "run" + (run + 1) + "-" : "";
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
                Histogram h = Histogram.of(values, hint.min(), hint.max(), hint.binWidth());
                String what = seriesLabel(i, hint.mode(), hint.split());
                String title = hint.title().isBlank() ? metricTitle(hint.column()) + " per sample, " + what : hint.title();
                StringBuilder caption = new StringBuilder();
                caption.append(h.total()).append(" samples, bin width ").append(Numbers.format(hint.binWidth()))
                        .append(" over [").append(Numbers.format(hint.min())).append(", ")
                        .append(Numbers.format(hint.max())).append("]. ");
                caption.append(h.beyondMax()).append(h.beyondMax() == 1 ? " value" : " values")
                        .append(" beyond ").append(Numbers.format(hint.max())).append(" counted in the last bin.");
                if (h.belowMin() > 0) {
                    caption.append(' ').append(h.belowMin()).append(" below ").append(Numbers.format(hint.min()))
                            .append(" counted in the first bin.");
                }
                if (h.nan() > 0) {
                    caption.append(' ').append(h.nan()).append(" NaN values not counted.");
                }
                Double bound = hint.bound();
                if (bound == null && run.record().hints().constraint() != null
                        && hint.column().equals(run.record().hints().constraint().column())) {
                    bound = run.record().hints().constraint().bound();
                }
                if (bound != null) {
                    caption.append(" Dashed line: bound B = ").append(Numbers.format(bound)).append('.');
                }
                String id = "hist-" + prefix(i) + slug(hint.mode()) + "-" + slug(hint.split()) + "-" + slug(hint.column());
                charts.add(new HistogramChart(id, title, caption.toString(), hint.column(), what,
                        color(i, hint.mode()), h, bound));
            }
        }
        return charts;
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

    /** @return all charts: curves, histograms, box plots */
    List<Chart> all() {
        List<Chart> all = new ArrayList<>(lineCharts());
        all.addAll(histograms());
        all.addAll(boxCharts());
        return all;
    }

    static String slug(String s) {
        String slug = s.replaceAll("[^A-Za-z0-9_.-]+", "-");
        return slug.isEmpty() ? "x" : slug;
    }
}
