package dev.constrained4j.reports.html;

import dev.constrained4j.reports.ReportException;
import dev.constrained4j.reports.chart.BoxChart;
import dev.constrained4j.reports.chart.Chart;
import dev.constrained4j.reports.chart.HistogramChart;
import dev.constrained4j.reports.chart.LineChart;
import dev.constrained4j.reports.chart.Numbers;
import dev.constrained4j.reports.chart.ScatterChart;
import dev.constrained4j.reports.chart.SvgRenderer;
import dev.constrained4j.reports.fairness.FairnessReport;
import dev.constrained4j.reports.fairness.FinalMetric;
import dev.constrained4j.reports.fairness.MethodSummary;
import dev.constrained4j.reports.record.CsvTable;
import dev.constrained4j.reports.record.MetricsTable;
import dev.constrained4j.reports.record.ModeResult;
import dev.constrained4j.reports.record.ReportHints;
import dev.constrained4j.reports.record.RunFolder;
import dev.constrained4j.reports.record.RunRecord;
import dev.constrained4j.reports.summary.ModeStats;
import dev.constrained4j.reports.weights.WeightsGroup;
import dev.constrained4j.reports.weights.WeightsMetric;
import dev.constrained4j.reports.weights.WeightsReport;
import dev.constrained4j.reports.weights.WeightsRow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the report page: one self-contained HTML document with inlined CSS, Chart.js, the chart
 * data as JSON, a static SVG for every chart, and images as data URIs. Results first: under the
 * title and status line, the summary at the selected epochs, the trade-off between the fraction
 * satisfied and accuracy, curves, histograms, box plots, images and tables; then what the results
 * came from: configuration (runs side by side), deviations from the reference, provenance. A fairness
 * run ({@link FairnessReport}) has, in place of the per-mode summary and curves, a final table per
 * method over its seeds (also as CSV, inlined as a download link and a {@code <pre>}) and curves per method.
 *
 * <p>For tests and automation the page exposes: {@code data-chart} on every chart container,
 * {@code data-series-count} set by the script once a chart is drawn, {@code <pre id="report-errors">}
 * collecting script errors, and {@code body[data-rendered=true]} once every chart is drawn.
 * Summary cells carry {@code data-run}, {@code data-mode}, {@code data-epoch} ({@code best} or
 * {@code last}), {@code data-column} and {@code data-value} (the cell exactly as in metrics.csv).
 * Cells of the fairness table carry {@code data-run}, {@code data-method}, {@code data-column} (a
 * {@link FinalMetric#column()}, {@code seeds} or {@code verdict}), and {@code data-n},
 * {@code data-mean}, {@code data-sd} in full precision (empty where there is no value), or
 * {@code data-within} ({@code true}/{@code false}) for the verdict. A weights run ({@link WeightsReport})
 * has seed 002's Table 1 (also as CSV) and curves per dataset and constraint set; its cells carry
 * {@code data-run}, {@code data-dataset}, {@code data-constraint-set}, {@code data-method},
 * {@code data-column} (a {@link WeightsMetric#column()} or {@code n}), {@code data-n}, {@code data-mean},
 * {@code data-sd} and {@code data-best} ({@code true} where the mean is shown in bold), and the published
 * figure, where there is one, in a {@code <span class="paper" data-paper="…">}.
 */
public final class ReportPage {

    /** Rows of an extra table beyond which the table is cut (and the cut is stated). */
    static final int MAX_TABLE_ROWS = 500;

    private final List<RunFolder> runs;
    private final List<Chart> charts;
    private final List<FairnessReport> fairness;
    private final List<WeightsReport> weights;
    private final List<String> warnings;
    private final ChartLibrary library;
    private final StringBuilder out = new StringBuilder(1 << 20);
    private final StringBuilder body = new StringBuilder(1 << 16);

    private ReportPage(List<RunFolder> runs, List<Chart> charts, List<FairnessReport> fairness,
                       List<WeightsReport> weights, List<String> warnings, ChartLibrary library) {
        this.runs = runs;
        this.charts = charts;
        this.fairness = fairness;
        this.weights = weights;
        this.warnings = new ArrayList<>(warnings);
        this.library = library;
    }

    /**
     * Renders the page.
     *
     * @param runs     the runs, in the order to show them (at least one)
     * @param charts   the charts of the runs that are neither fairness nor weights runs (the trade-off
     *                 scatter, line charts, histograms, box plots)
     * @param fairness the tables and charts of the fairness runs among {@code runs}, in run order
     * @param weights  the tables and charts of the weights runs among {@code runs}, in run order
     * @param warnings problems to show at the top of the page (e.g. a missing sample file)
     * @param library  the charting library to inline
     * @return the HTML document
     */
    public static String render(List<RunFolder> runs, List<Chart> charts, List<FairnessReport> fairness,
                                List<WeightsReport> weights, List<String> warnings, ChartLibrary library) {
        return new ReportPage(runs, charts, fairness, weights, warnings, library).page();
    }

    /** @return the runs shown by mode (summary and shared curves), i.e. those that are neither fairness nor weights runs */
    private List<RunFolder> perModeRuns() {
        return runs.stream().filter(r -> fairness.stream().noneMatch(f -> f.run() == r)
                && weights.stream().noneMatch(f -> f.run() == r)).toList();
    }

    private String page() {
        // Sections are rendered first so that warnings they raise (unreadable images…) reach the top.
        // Results come first; what the run was configured with and where it came from, last.
        summarySection();
        fairnessSection();
        fairnessCurvesSection();
        weightsSection();
        weightsCurvesSection();
        chartSection("tradeoff", "Trade-off", ScatterChart.class, "");
        chartSection("curves", "Training curves", LineChart.class,
                "x: epoch. Solid: train; dashed: test or validation. Hover for values; click a legend entry to hide or show it.");
        chartSection("histograms", "Per-sample histograms", HistogramChart.class, "");
        chartSection("boxplots", "Per-sample box plots", BoxChart.class, "");
        imagesSection();
        tablesSection();
        configSection();
        deviationsSection();
        provenanceSection();
        StringBuilder main = body;

        String title = runs.size() == 1 ? runs.get(0).record().title() : "Comparison of " + runs.size() + " runs";
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"constrained4j reports\">\n")
                .append("<meta name=\"chart-library\" content=\"").append(Html.escape(library.name() + " "
                        + library.version() + " (" + library.coordinates() + ")")).append("\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n")
                .append(resource("report.css")).append("</style>\n")
                .append("<script>document.documentElement.classList.add('js');</script>\n")
                .append("</head>\n<body>\n<pre id=\"report-errors\" role=\"alert\"></pre>\n<script>\n")
                .append(resource("error-hook.js")).append("</script>\n");
        out.append("<header>\n<h1>").append(Html.escape(title)).append("</h1>\n<p class=\"runs-line\">");
        for (RunFolder run : runs) {
            RunRecord r = run.record();
            out.append("<span class=\"run-badge\"><code>").append(Html.escape(r.runId())).append("</code> <span class=\"status status-")
                    .append(Html.escape(r.status())).append("\">").append(Html.escape(r.status().isEmpty() ? "unknown" : r.status()))
                    .append("</span> ").append(Html.escape(r.startTime()))
                    .append(r.endTime().isEmpty() ? "" : " → " + Html.escape(r.endTime())).append("</span> ");
        }
        out.append("</p>\n<nav>");
        for (String[] link : new String[][] {{"summary", "Summary"}, {"fairness", "Final table"},
                {"fairness-curves", "Curves per method"}, {"weights", "Results table"},
                {"weights-curves", "Curves per method"}, {"tradeoff", "Trade-off"}, {"curves", "Curves"},
                {"histograms", "Histograms"}, {"boxplots", "Box plots"}, {"images", "Images"}, {"tables", "Tables"},
                {"configuration", "Configuration"}, {"deviations", "Deviations"}, {"provenance", "Provenance"}}) {
            if (main.indexOf("<section id=\"" + link[0] + "\"") >= 0) {
                out.append("<a href=\"#").append(link[0]).append("\">").append(link[1]).append("</a> ");
            }
        }
        out.append("</nav>\n</header>\n<main>\n");
        if (!warnings.isEmpty()) {
            out.append("<section class=\"warnings\"><h2>Warnings</h2><ul>");
            warnings.forEach(w -> out.append("<li>").append(Html.escape(w)).append("</li>"));
            out.append("</ul></section>\n");
        }
        out.append(main).append("</main>\n<footer>Generated by constrained4j reports from run records on disk. Charts: ")
                .append(Html.escape(library.name())).append(' ').append(Html.escape(library.version()))
                .append(" (").append(Html.escape(library.coordinates())).append(", MIT licence), inlined; ")
                .append("static SVG versions are shown for printing and without JavaScript.</footer>\n");
        List<Chart> all = new ArrayList<>(charts);
        fairness.forEach(f -> all.addAll(f.charts()));
        weights.forEach(f -> all.addAll(f.charts()));
        out.append("<script type=\"application/json\" id=\"chart-data\">").append(ChartJson.of(all)).append("</script>\n");
        out.append("<script>\n").append(library.script()).append("\n</script>\n");
        out.append("<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    private StringBuilder w() {
        return body;
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ReportException("resource " + name + ": not found next to " + ReportPage.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException("resource " + name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private void headerRow(String first) {
        w().append("<thead><tr><th>").append(Html.escape(first)).append("</th>");
        for (RunFolder run : runs) {
            w().append("<th>").append(Html.escape(run.record().title())).append("<br><code>")
                    .append(Html.escape(run.record().runId())).append("</code></th>");
        }
        w().append("</tr></thead>");
    }

    private void sideBySide(String key, Function<RunRecord, String> value, boolean code) {
        List<String> values = runs.stream().map(r -> value.apply(r.record())).toList();
        boolean differs = values.stream().distinct().count() > 1;
        w().append("<tr").append(differs ? " class=\"differs\"" : "").append("><th>").append(Html.escape(key)).append("</th>");
        for (String v : values) {
            w().append("<td>").append(code && !v.isEmpty() ? "<code>" + Html.escape(v) + "</code>" : Html.escape(v)).append("</td>");
        }
        w().append("</tr>");
    }

    private static String joined(Map<String, String> map) {
        StringBuilder s = new StringBuilder();
        map.forEach((k, v) -> s.append(s.length() == 0 ? "" : "\n").append(k).append(" = ").append(v));
        return s.toString();
    }

    private void provenanceSection() {
        w().append("<section id=\"provenance\"><h2>Provenance</h2><div class=\"table-wrap\"><table class=\"kv\">");
        headerRow("");
        w().append("<tbody>");
        sideBySide("experiment", RunRecord::experiment, false);
        sideBySide("status", RunRecord::status, false);
        sideBySide("start", RunRecord::startTime, false);
        sideBySide("end", r -> r.endTime().isEmpty() ? "(not ended)" : r.endTime(), false);
        sideBySide("modes", r -> String.join(", ", r.modes()), false);
        sideBySide("git commit", RunRecord::gitCommit, true);
        sideBySide("backend", RunRecord::backend, false);
        sideBySide("threads", RunRecord::threads, false);
        sideBySide("seeds", r -> joined(r.seeds()), true);
        sideBySide("data SHA-256", r -> joined(r.dataSha256()), true);
        sideBySide("versions", r -> joined(r.versions()), true);
        w().append("</tbody></table></div></section>\n");
    }

    private void configSection() {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.record().config().keySet()));
        if (keys.isEmpty()) {
            return;
        }
        w().append("<section id=\"configuration\"><h2>Configuration</h2>");
        if (runs.size() > 1) {
            w().append("<p class=\"note\">Highlighted rows differ between runs; a dash means the run has no such option.</p>");
        }
        w().append("<div class=\"table-wrap\"><table class=\"kv config\">");
        headerRow("option");
        w().append("<tbody>");
        for (String key : keys) {
            sideBySide(key, r -> r.config().getOrDefault(key, "—"), true);
        }
        w().append("</tbody></table></div></section>\n");
    }

    private void deviationsSection() {
        if (runs.stream().allMatch(r -> r.record().deviations().isEmpty())) {
            return;
        }
        w().append("<section id=\"deviations\"><h2>Deviations from the reference</h2>");
        for (RunFolder run : runs) {
            if (runs.size() > 1) {
                w().append("<h3>").append(Html.escape(run.record().title())).append("</h3>");
            }
            if (run.record().deviations().isEmpty()) {
                w().append("<p class=\"note\">None recorded.</p>");
                continue;
            }
            w().append("<ul>");
            run.record().deviations().forEach(d -> w().append("<li>").append(Html.escape(d)).append("</li>"));
            w().append("</ul>");
        }
        w().append("</section>\n");
    }

    private void summarySection() {
        List<RunFolder> perMode = perModeRuns();
        if (perMode.isEmpty()) {
            return;
        }
        w().append("<section id=\"summary\"><h2>Summary at the selected epochs</h2>")
                .append("<p class=\"note\">n/a: not applicable for that mode (an empty cell in metrics.csv).</p>");
        for (RunFolder run : perMode) {
            RunRecord r = run.record();
            MetricsTable m = run.metrics();
            if (runs.size() > 1) {
                w().append("<h3>").append(Html.escape(r.title())).append("</h3>");
            }
            List<String[]> cols = new ArrayList<>(); // mode, "best"/"last", epoch, heading
            List<String> modes = new ArrayList<>();
            if (m.modes().contains(MetricsTable.WARM)) {
                modes.add(MetricsTable.WARM);
            }
            modes.addAll(run.plottedModes());
            for (String mode : modes) {
                List<Integer> rows = m.rowsOf(mode);
                Integer last = rows.isEmpty() ? null : m.rows().get(rows.get(rows.size() - 1)).epoch();
                ModeResult result = r.results().get(mode);
                if (result != null) {
                    cols.add(new String[] {mode, "best", Integer.toString(result.bestEpoch()),
                            "epoch " + result.bestEpoch() + (result.selectedBy().isEmpty() ? "" : " (" + result.selectedBy() + ")")});
                    last = result.lastEpoch();
                }
                if (last != null && (result == null || last != result.bestEpoch())) {
                    cols.add(new String[] {mode, "last", Integer.toString(last), "last epoch " + last});
                }
            }
            w().append("<div class=\"table-wrap\"><table class=\"summary\" data-run=\"").append(Html.escape(r.runId()))
                    .append("\"><thead><tr><th>metric</th>");
            for (String[] c : cols) {
                w().append("<th><span class=\"mode\">").append(Html.escape(c[0])).append("</span><br>")
                        .append(Html.escape(c[3])).append("</th>");
            }
            w().append("</tr></thead><tbody>");
            ReportHints.Constraint constraint = r.hints().constraint();
            List<String> empty = new ArrayList<>();
            for (MetricsTable.Column column : m.columns()) {
                List<String> raws = new ArrayList<>();
                for (String[] c : cols) {
                    raws.add(m.find(c[0], Integer.parseInt(c[2])).map(i -> m.raw(i, column.name())).orElse(""));
                }
                if (!cols.isEmpty() && raws.stream().allMatch(String::isEmpty)) {
                    empty.add(column.name());
                    continue;
                }
                boolean headline = constraint != null && column.metric().equals(constraint.satisfiedColumn());
                w().append("<tr").append(headline ? " class=\"headline\"" : "").append("><th>")
                        .append(Html.escape(column.name())).append("</th>");
                for (int k = 0; k < cols.size(); k++) {
                    String[] c = cols.get(k);
                    Optional<Integer> row = m.find(c[0], Integer.parseInt(c[2]));
                    String raw = raws.get(k);
                    String shown = row.isEmpty() ? "missing" : Numbers.format(m.value(row.get(), column.name()));
                    w().append("<td data-run=\"").append(Html.escape(r.runId())).append("\" data-mode=\"")
                            .append(Html.escape(c[0])).append("\" data-epoch=\"").append(c[1])
                            .append("\" data-column=\"").append(Html.escape(column.name())).append("\" data-value=\"")
                            .append(Html.escape(raw)).append("\"").append(raw.isEmpty() ? " class=\"na\"" : "")
                            .append(">").append(Html.escape(shown)).append("</td>");
                }
                w().append("</tr>");
            }
            w().append("</tbody></table></div>");
            if (!empty.isEmpty()) {
                w().append("<p class=\"note\">Left out, empty for every mode shown: ")
                        .append(Html.escape(String.join(", ", empty))).append(".</p>");
            }
        }
        w().append("</section>\n");
    }

    private void chartSection(String id, String heading, Class<? extends Chart> type, String note) {
        List<Chart> selected = charts.stream().filter(type::isInstance).toList();
        if (selected.isEmpty()) {
            return;
        }
        w().append("<section id=\"").append(id).append("\"><h2>").append(heading).append("</h2>");
        if (!note.isEmpty()) {
            w().append("<p class=\"note\">").append(Html.escape(note)).append("</p>");
        }
        chartGrid(selected);
        w().append("</section>\n");
    }

    /** Writes the charts as a grid of figures, each with its canvas, static SVG and caption. */
    private void chartGrid(List<? extends Chart> selected) {
        w().append("<div class=\"grid\">");
        for (Chart chart : selected) {
            w().append("<figure class=\"chart\" data-chart=\"").append(Html.escape(chart.id()))
                    .append("\" data-expected-series=\"").append(chart.seriesCount()).append("\">")
                    .append("<h3>").append(Html.escape(chart.title())).append("</h3>")
                    .append("<div class=\"chart-canvas\"><canvas aria-label=\"").append(Html.escape(chart.title()))
                    .append("\" role=\"img\"></canvas></div><div class=\"chart-svg\">")
                    .append(SvgRenderer.render(chart)).append("</div>");
            if (!chart.caption().isEmpty()) {
                w().append("<figcaption>").append(Html.escape(chart.caption())).append("</figcaption>");
            }
            w().append("</figure>\n");
        }
        w().append("</div>");
    }

    private void fairnessSection() {
        if (fairness.isEmpty()) {
            return;
        }
        w().append("<section id=\"fairness\"><h2>Final results per method</h2>");
        for (FairnessReport report : fairness) {
            RunRecord r = report.run().record();
            String c = Numbers.format(report.hints().bound());
            if (runs.size() > 1) {
                w().append("<h3>").append(Html.escape(r.title())).append("</h3>");
            }
            String attribute = r.config().getOrDefault("protected", "");
            w().append("<p class=\"note\">Each method's modes <code>&lt;method&gt;-s&lt;seed&gt;</code> at their last"
                    + " epoch: mean ± sample standard deviation over the seeds (n − 1; – for one seed). Loss: binary"
                    + " cross-entropy. Max violation = max<sub>g</sub> |PR<sub>g</sub> − PR| − c over the groups g (")
                    .append(Html.escape(String.join(", ", report.hints().groups()))).append(')')
                    .append(attribute.isEmpty() ? "" : " of " + Html.escape(attribute)).append(", c = ")
                    .append(Html.escape(c)).append("; ≤ 0 means every group's constraint holds. Verdict: <em>within"
                    + " bound</em> when the test max violation of every seed is ≤ 0, otherwise the mean test max"
                    + " violation of the seeds that exceed, and how many do.</p>");
            w().append("<div class=\"table-wrap\"><table class=\"fairness\" data-run=\"").append(Html.escape(r.runId()))
                    .append("\"><thead><tr><th>method</th><th>verdict (test, c = ").append(Html.escape(c))
                    .append(")</th><th>seeds</th><th>last epoch</th>");
            for (FinalMetric metric : FinalMetric.values()) {
                w().append("<th>").append(Html.escape(metric.heading())).append("</th>");
            }
            w().append("</tr></thead><tbody>");
            for (MethodSummary m : report.methods()) {
                String cell = "<td data-run=\"" + Html.escape(r.runId()) + "\" data-method=\"" + Html.escape(m.method())
                        + "\" data-column=\"";
                String verdict = m.verdict().seeds() == 0 ? "na" : m.verdict().withinBound() ? "verdict verdict-ok"
                        : "verdict verdict-exceeds";
                w().append("<tr><th>").append(Html.escape(m.label()))
                        .append(m.label().equals(m.method()) ? "" : "<br><code>" + Html.escape(m.method()) + "</code>")
                        .append("</th>").append(cell).append("verdict\" data-within=\"").append(m.verdict().withinBound())
                        .append("\" class=\"").append(verdict).append("\">").append(Html.escape(m.verdict().text()))
                        .append("</td>").append(cell).append("seeds\">").append(m.modes().size()).append("</td>")
                        .append(cell).append("last_epoch\">").append(Html.escape(m.epochs())).append("</td>");
                for (FinalMetric metric : FinalMetric.values()) {
                    ModeStats st = m.stat(metric);
                    w().append(cell).append(metric.column()).append('"').append(statsAttributes(st))
                            .append(st.hasMean() ? "" : " class=\"na\"").append(">").append(Html.escape(st.format()))
                            .append("</td>");
                }
                w().append("</tr>");
            }
            w().append("</tbody></table></div>");
            csvBlock(r.runId() + "-final.csv", report.csv());
        }
        w().append("</section>\n");
    }

    /**
     * @param st statistics over modes
     * @return the attributes {@code data-n}, {@code data-mean} and {@code data-sd} in full precision,
     *         each with a leading space (empty where there is no value)
     */
    private static String statsAttributes(ModeStats st) {
        return " data-n=\"" + st.n() + "\" data-mean=\"" + (st.hasMean() ? Double.toString(st.mean()) : "")
                + "\" data-sd=\"" + (st.hasSd() ? Double.toString(st.sd()) : "") + "\"";
    }

    /** Writes a table's CSV twice, as a download link (a data: URI, no file written) and in a {@code <pre>}. */
    private void csvBlock(String fileName, String csv) {
        w().append("<p class=\"note\"><a download=\"").append(Html.escape(fileName)).append("\" href=\"")
                .append("data:text/csv;charset=utf-8;base64,")
                .append(Base64.getEncoder().encodeToString(csv.getBytes(StandardCharsets.UTF_8)))
                .append("\">Download this table as CSV</a> (numbers in full precision).</p>")
                .append("<details class=\"csv\"><summary>The table as CSV</summary><pre class=\"csv\">")
                .append(Html.escape(csv)).append("</pre></details>");
    }

    private void weightsSection() {
        if (weights.isEmpty()) {
            return;
        }
        w().append("<section id=\"weights\"><h2>Constraint violation and accuracy (seed 002, Table 1)</h2>");
        for (WeightsReport report : weights) {
            RunRecord r = report.run().record();
            if (runs.size() > 1) {
                w().append("<h3>").append(Html.escape(r.title())).append("</h3>");
            }
            String model = report.hints().model();
            w().append("<p class=\"note\">").append(model.isEmpty() ? "" : "Model: " + Html.escape(model) + ". ")
                    .append("Each row: a method's modes at their last epoch, all seeds and hyper-parameter settings"
                    + " together, as the paper averages over configurations: mean (σ sample standard deviation, n − 1;"
                    + " – for one mode). CV(−1): the 2-norm of the constraint violations relative to that at"
                    + " initialisation; CV<sub>p=2</sub> = (Σ<sub>i</sub> C<sub>i</sub>²)<sup>1/2</sup>. Bold: the"
                    + " best of each dataset and constraint set (lowest CV, highest accuracy). s / epoch: cumulative"
                    + " training seconds over epochs trained. <span class=\"paper\">seed 002:</span> the published"
                    + " figures of the same row.</p>");
            w().append("<div class=\"table-wrap\"><table class=\"weights\" data-run=\"").append(Html.escape(r.runId()))
                    .append("\"><thead><tr><th>dataset</th><th>constraints</th><th>method</th>");
            for (WeightsMetric metric : WeightsMetric.values()) {
                if (metric != WeightsMetric.SECONDS_PER_EPOCH) {
                    w().append("<th>").append(metric.headingHtml()).append("</th>");
                }
            }
            w().append("<th>n</th><th>").append(WeightsMetric.SECONDS_PER_EPOCH.headingHtml()).append("</th></tr></thead><tbody>");
            for (String dataset : report.groups().stream().map(WeightsGroup::dataset).distinct().toList()) {
                List<WeightsGroup> ofDataset = report.groups().stream().filter(g -> g.dataset().equals(dataset)).toList();
                int datasetRows = ofDataset.stream().mapToInt(g -> g.rows().size()).sum();
                for (int gi = 0; gi < ofDataset.size(); gi++) {
                    WeightsGroup g = ofDataset.get(gi);
                    for (int ri = 0; ri < g.rows().size(); ri++) {
                        w().append(gi == 0 && ri == 0 ? "<tr class=\"dataset-start\">" : ri == 0 ? "<tr class=\"group-start\">" : "<tr>");
                        if (gi == 0 && ri == 0) {
                            w().append("<th rowspan=\"").append(datasetRows).append("\">").append(Html.escape(g.datasetLabel()))
                                    .append("</th>");
                        }
                        if (ri == 0) {
                            w().append("<th rowspan=\"").append(g.rows().size()).append("\">")
                                    .append(Html.escape(g.constraintSetLabel())).append("</th>");
                        }
                        weightsRow(r, g, g.rows().get(ri));
                        w().append("</tr>");
                    }
                }
            }
            w().append("</tbody></table></div>");
            csvBlock(r.runId() + "-table.csv", report.csv());
        }
        w().append("</section>\n");
    }

    private void weightsRow(RunRecord r, WeightsGroup g, WeightsRow row) {
        String cell = "<td data-run=\"" + Html.escape(r.runId()) + "\" data-dataset=\"" + Html.escape(g.dataset())
                + "\" data-constraint-set=\"" + Html.escape(g.constraintSet()) + "\" data-method=\""
                + Html.escape(row.method()) + "\" data-column=\"";
        w().append("<th>").append(Html.escape(row.label())).append("</th>");
        for (WeightsMetric metric : WeightsMetric.values()) {
            if (metric == WeightsMetric.SECONDS_PER_EPOCH) {
                w().append(cell).append("n\">").append(row.modes().size()).append("</td>");
            }
            ModeStats st = row.stat(metric);
            boolean best = row.best().contains(metric);
            String text = Html.escape(metric == WeightsMetric.SECONDS_PER_EPOCH
                    ? (st.hasMean() ? Numbers.compact(st.mean()) : "n/a") : st.formatCompact());
            w().append(cell).append(metric.column()).append('"').append(statsAttributes(st))
                    .append(" data-best=\"").append(best).append('"')
                    .append(st.hasMean() ? "" : " class=\"na\"").append('>')
                    .append(best ? "<strong>" + text + "</strong>" : text);
            String paper = row.paper().map(metric::paper).orElse("");
            if (row.paper().isPresent() && metric != WeightsMetric.SECONDS_PER_EPOCH) {
                w().append("<br><span class=\"paper\" data-paper=\"").append(metric.column()).append("\">seed 002: ")
                        .append(paper.isBlank() ? "–" : Html.escape(paper)).append("</span>");
            }
            w().append("</td>");
        }
    }

    private void weightsCurvesSection() {
        if (weights.stream().allMatch(f -> f.charts().isEmpty())) {
            return;
        }
        w().append("<section id=\"weights-curves\"><h2>Curves per dataset and constraint set</h2><p class=\"note\">"
                + "x: epoch. One line per method, the mean over its modes (seeds and settings together). Hover for"
                + " values and the elapsed training time; click a legend entry to hide or show it.</p>");
        for (WeightsReport report : weights) {
            if (runs.size() > 1) {
                w().append("<h3>").append(Html.escape(report.run().record().title())).append("</h3>");
            }
            chartGrid(report.charts());
        }
        w().append("</section>\n");
    }

    private void fairnessCurvesSection() {
        if (fairness.stream().allMatch(f -> f.charts().isEmpty())) {
            return;
        }
        w().append("<section id=\"fairness-curves\"><h2>Curves per method</h2><p class=\"note\">x: epoch. Every line"
                + " is a mean over the method's seeds; solid: train, dashed: test. Hover for values and the elapsed"
                + " training time; click a legend entry to hide or show it.</p>");
        for (FairnessReport report : fairness) {
            if (runs.size() > 1) {
                w().append("<h3>").append(Html.escape(report.run().record().title())).append("</h3>");
            }
            chartGrid(report.charts());
        }
        w().append("</section>\n");
    }

    private void tablesSection() {
        boolean any = runs.stream().anyMatch(r -> !r.record().hints().tables().isEmpty());
        if (!any) {
            return;
        }
        w().append("<section id=\"tables\"><h2>Tables</h2>");
        for (RunFolder run : runs) {
            for (ReportHints.TableHint hint : run.record().hints().tables()) {
                Optional<Path> file = existing(run, hint.file());
                if (file.isEmpty()) {
                    continue;
                }
                CsvTable table = CsvTable.read(file.get());
                String title = hint.title().isBlank() ? hint.file() : hint.title();
                w().append("<h3>").append(Html.escape(title)).append(runs.size() > 1 ? " — " + Html.escape(run.record().title()) : "")
                        .append("</h3><div class=\"table-wrap\"><table class=\"data\"><thead><tr>");
                table.header().forEach(h -> w().append("<th>").append(Html.escape(h)).append("</th>"));
                w().append("</tr></thead><tbody>");
                int shown = Math.min(MAX_TABLE_ROWS, table.rows().size());
                for (List<String> row : table.rows().subList(0, shown)) {
                    w().append("<tr>");
                    for (String cell : row) {
                        w().append(cell.isBlank() ? "<td class=\"na\">n/a</td>" : "<td>" + Html.escape(cell) + "</td>");
                    }
                    w().append("</tr>");
                }
                w().append("</tbody></table></div>");
                if (shown < table.rows().size()) {
                    w().append("<p class=\"note\">First ").append(shown).append(" of ").append(table.rows().size())
                            .append(" rows; the rest are in ").append(Html.escape(hint.file())).append(".</p>");
                }
            }
        }
        w().append("</section>\n");
    }

    private void imagesSection() {
        boolean any = runs.stream().anyMatch(r -> !r.record().hints().images().isEmpty());
        if (!any) {
            return;
        }
        w().append("<section id=\"images\"><h2>Images</h2><div class=\"grid images\">");
        for (RunFolder run : runs) {
            for (ReportHints.ImageHint hint : run.record().hints().images()) {
                Optional<Path> file = existing(run, hint.file());
                String mime = mime(hint.file());
                if (file.isEmpty()) {
                    continue;
                }
                if (mime == null) {
                    warnings.add(run.record().runId() + ": " + hint.file() + " is not a PNG, JPEG, GIF, WebP or SVG image");
                    continue;
                }
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file.get());
                } catch (IOException e) {
                    warnings.add(run.record().runId() + ": " + hint.file() + " cannot be read (" + e.getMessage() + ")");
                    continue;
                }
                String caption = hint.caption().isBlank() ? hint.file() : hint.caption();
                if (runs.size() > 1) {
                    caption = run.record().title() + ": " + caption;
                }
                w().append("<figure class=\"image\"><img alt=\"").append(Html.escape(caption)).append("\" src=\"data:")
                        .append(mime).append(";base64,").append(Base64.getEncoder().encodeToString(bytes))
                        .append("\"><figcaption>").append(Html.escape(caption)).append("</figcaption></figure>\n");
            }
        }
        w().append("</div></section>\n");
    }

    private Optional<Path> existing(RunFolder run, String relative) {
        Optional<Path> file = run.file(relative);
        if (file.isEmpty()) {
            warnings.add(run.record().runId() + ": '" + relative + "' is outside the run folder, skipped");
        } else if (!Files.isRegularFile(file.get())) {
            warnings.add(run.record().runId() + ": " + relative + " not found, left out");
            return Optional.empty();
        }
        return file;
    }

    private static String mime(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        } else if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        } else if (lower.endsWith(".gif")) {
            return "image/gif";
        } else if (lower.endsWith(".webp")) {
            return "image/webp";
        } else if (lower.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return null;
    }
}
