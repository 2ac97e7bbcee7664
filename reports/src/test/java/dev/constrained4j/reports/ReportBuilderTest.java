package dev.constrained4j.reports;

import dev.constrained4j.reports.chart.Numbers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report of a generated MNIST-like run folder, and of two runs compared. */
class ReportBuilderTest {

    static final int EPOCHS = 12;

    @TempDir
    static Path temp;
    static Path run;
    static String html;

    @BeforeAll
    static void build() throws IOException {
        run = RunFolderFixture.mnistRun(temp.resolve("run-a"), "mnist-a", "MNIST penalty", 1, EPOCHS);
        Path out = ReportBuilder.write(List.of(run), run.resolve("report.html"));
        html = Files.readString(out);
    }

    static String cell(String mode, String epoch, String column) {
        Matcher m = Pattern.compile("<td data-run=\"mnist-a\" data-mode=\"" + mode + "\" data-epoch=\"" + epoch
                + "\" data-column=\"" + column + "\" data-value=\"([^\"]*)\"[^>]*>([^<]*)</td>").matcher(html);
        assertTrue(m.find(), "no summary cell " + mode + "/" + epoch + "/" + column);
        return m.group(1) + "|" + m.group(2);
    }

    @Test
    void isSelfContained() {
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(Pattern.compile("(?i)<script[^>]*\\ssrc=").matcher(html).find(), "external script");
        assertFalse(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html).find(), "remote reference");
        assertFalse(Pattern.compile("(?i)<link[^>]+stylesheet").matcher(html).find(), "external stylesheet");
        assertFalse(html.contains("@import"), "CSS import");
        assertTrue(html.contains("Chart.js v4.5.1"), "Chart.js inlined");
        assertTrue(html.contains("<meta name=\"chart-library\" content=\"Chart.js 4.5.1"), "library recorded");
        assertTrue(html.contains("src=\"data:image/png;base64,iVBOR"), "PNG inlined");
        assertTrue(html.contains("<pre id=\"report-errors\""));
    }

    @Test
    void hasEveryChart() {
        for (String metric : List.of("seconds", "penalty_weight", "loss", "acc", "recon_mse", "violation", "satisfied",
                "stats-dual", "dual_positive", "tradeoff")) {
            assertTrue(html.contains("data-chart=\"" + metric + "\""), metric);
        }
        for (String mode : RunFolderFixture.DECODER_MODES) {
            for (String split : List.of("train", "test")) {
                assertTrue(html.contains("data-chart=\"hist-" + mode + "-" + split + "-recon_mse\""), mode + split);
            }
        }
        assertTrue(html.contains("data-chart=\"box-recon_mse-test\""));
        assertTrue(html.contains("data-chart=\"hist-alm-train-multiplier\""));
        // loss: 4 modes × 2 splits; satisfied: plain's series are all empty and left out
        assertTrue(html.contains("data-chart=\"loss\" data-expected-series=\"8\""));
        assertTrue(html.contains("data-chart=\"satisfied\" data-expected-series=\"6\""));
        assertTrue(html.contains("data-chart=\"penalty_weight\" data-expected-series=\"3\""));
        assertEquals(countOf("<figure class=\"chart\""), countOf("<svg "), "a static SVG per chart");
    }

    @Test
    void plainConstraintCellsAreNotApplicable() {
        assertEquals("|n/a", cell("plain", "best", "train_satisfied"));
        assertEquals("|n/a", cell("plain", "best", "test_recon_mse"));
        int start = html.indexOf("{\"id\":\"satisfied\"");
        String satisfiedJson = html.substring(start, html.indexOf("{\"id\":", start + 1));
        assertTrue(satisfiedJson.contains("\"label\":\"penalty · train\""));
        assertFalse(satisfiedJson.contains("\"label\":\"plain"), "no plain series in the satisfied chart");
    }

    @Test
    void summaryMatchesMetricsAtBestEpoch() throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        String row = lines.stream().filter(l -> l.startsWith("penalty,refine," + RunFolderFixture.BEST_EPOCH_PENALTY + ","))
                .findFirst().orElseThrow();
        String[] cells = row.split(",", -1);
        for (String column : List.of("train_satisfied", "test_acc", "test_recon_mse", "penalty_weight")) {
            String raw = cells[header.indexOf(column)];
            String[] shown = cell("penalty", "best", column).split("\\|");
            assertEquals(raw, shown[0], column);
            assertEquals(Double.parseDouble(raw), Double.parseDouble(shown[1]), Math.abs(Double.parseDouble(raw)) * 1e-3, column);
        }
        assertTrue(html.contains("epoch " + RunFolderFixture.BEST_EPOCH_PENALTY + " (max train_satisfied)"));
        assertTrue(html.contains("data-mode=\"penalty\" data-epoch=\"last\""), "last epoch shown too");
        assertTrue(html.contains("data-mode=\"warm\" data-epoch=\"last\""), "warm-up shown");
    }

    @Test
    void histogramCaptionStatesOverflow() throws IOException {
        long beyond = Files.readAllLines(run.resolve("samples/penalty-test.csv")).stream().skip(1)
                .mapToDouble(l -> Double.parseDouble(l.split(",")[1])).filter(v -> v > 0.04).count();
        assertTrue(beyond > 0);
        assertTrue(html.contains("300 samples, bin width 0.0002 over [0, 0.04]. " + beyond + " values beyond 0.04 counted in the last bin."));
    }

    @Test
    void showsConfigDeviationsTablesAndImages() {
        assertTrue(html.contains("<th>penaltyGrow</th><td><code>1.01</code></td>"));
        assertTrue(html.contains("<th>modes</th><td><code>[&quot;plain&quot;,&quot;fixed&quot;,&quot;penalty&quot;,&quot;alm&quot;]</code></td>"));
        assertTrue(html.contains("Plain mode keeps its last epoch"));
        assertTrue(html.contains("<h3>Downstream accuracy</h3>"));
        assertTrue(html.contains("<td class=\"na\">n/a</td>"), "empty table cell shown as n/a");
        assertTrue(html.contains("<figcaption>Test digits (left)"));
        assertTrue(html.contains("7d6532b"));
    }

    @Test
    void comparesSeveralRuns() throws IOException {
        Path b = RunFolderFixture.mnistRun(temp.resolve("run-b"), "mnist-b", "MNIST tighter", 2, EPOCHS);
        Files.writeString(b.resolve("run.json"), Files.readString(b.resolve("run.json")).replace("\"penaltyGrow\" : 1.01", "\"penaltyGrow\" : 1.05"));
        Path out = ReportBuilder.write(List.of(run, b), temp.resolve("compare/report.html"));
        String page = Files.readString(out);
        assertTrue(page.contains("Comparison of 2 runs"));
        assertTrue(page.contains("data-chart=\"loss\" data-expected-series=\"16\""));
        assertTrue(page.contains("data-chart=\"tradeoff\" data-expected-series=\"6\""), "3 constrained modes × 2 runs");
        assertTrue(page.contains("MNIST penalty · penalty · train") && page.contains("MNIST tighter · penalty · test"));
        assertTrue(page.contains("<tr class=\"differs\"><th>penaltyGrow</th><td><code>1.01</code></td><td><code>1.05</code></td>"));
        assertTrue(page.contains("data-chart=\"hist-run2-penalty-test-recon_mse\""));
        assertTrue(page.contains("<table class=\"summary\" data-run=\"mnist-b\""));
    }

    @Test
    void atomicWriteLeavesNoTemporaryFile() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("atomic"));
        Path out = dir.resolve("report.html");
        Files.writeString(out, "old");
        ReportBuilder.write(List.of(run), out);
        ReportBuilder.write(List.of(run), out);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList());
        }
        assertTrue(Files.readString(out).startsWith("<!DOCTYPE html>"));
    }

    @Test
    void missingSampleFileIsAWarningNotAFailure() throws IOException {
        Path c = RunFolderFixture.mnistRun(temp.resolve("run-c"), "mnist-c", "partial", 3, 4);
        Files.delete(c.resolve("samples/fixed-test.csv"));
        String page = ReportBuilder.render(List.of(c));
        assertTrue(page.contains("mnist-c: samples/fixed-test.csv not found, its chart is left out"));
        assertFalse(page.contains("data-chart=\"hist-fixed-test-recon_mse\""));
    }

    /** @return the chart-data JSON object of one chart */
    static String chartJson(String page, String id) {
        int start = page.indexOf("{\"id\":\"" + id + "\"");
        assertTrue(start >= 0, "no chart JSON for " + id);
        int end = page.indexOf("{\"id\":", start + 1);
        return page.substring(start, end < 0 ? page.indexOf("</script>", start) : end);
    }

    /** @return the figure (title, canvas, SVG, caption) of one chart */
    static String figure(String page, String id) {
        int start = page.indexOf("<figure class=\"chart\" data-chart=\"" + id + "\"");
        assertTrue(start >= 0, "no figure for " + id);
        return page.substring(start, page.indexOf("</figure>", start));
    }

    @Test
    void resultsComeFirstAndProvenanceLast() {
        List<String> order = List.of("summary", "tradeoff", "curves", "histograms", "boxplots", "images", "tables",
                "configuration", "deviations", "provenance");
        int previous = -1;
        for (String id : order) {
            int at = html.indexOf("<section id=\"" + id + "\"");
            assertTrue(at > previous, id + " after the section before it (" + at + " vs " + previous + ")");
            previous = at;
        }
        assertTrue(html.indexOf("<table class=\"summary\"") < html.indexOf("<table class=\"kv config\""),
                "summary table before the configuration");
        assertTrue(html.indexOf("<h1>") < html.indexOf("<section id=\"summary\""), "title and status line first");
        String nav = html.substring(html.indexOf("<nav>"), html.indexOf("</nav>"));
        assertTrue(nav.indexOf("#summary") < nav.indexOf("#tradeoff") && nav.indexOf("#deviations") < nav.indexOf("#provenance"),
                "navigation in page order: " + nav);
    }

    @Test
    void tradeoffHasOnePointPerEpochAndHighlightsTheSelectedEpoch() {
        assertTrue(html.contains("data-chart=\"tradeoff\" data-expected-series=\"3\""), "fixed, penalty, alm");
        String json = chartJson(html, "tradeoff");
        assertTrue(json.contains("\"type\":\"scatter\""));
        for (String[] mode : new String[][] {{"fixed", "" + RunFolderFixture.BEST_EPOCH_FIXED},
                {"penalty", "" + RunFolderFixture.BEST_EPOCH_PENALTY}, {"alm", "" + RunFolderFixture.BEST_EPOCH_ALM}}) {
            Matcher m = Pattern.compile("\"label\":\"" + mode[0] + "\",\"color\":\"[^\"]+\",\"x\":\\[([^\\]]*)\\],"
                    + "\"y\":\\[[^\\]]*\\],\"notes\":\\[([^\\]]*)\\],\"selected\":(-?\\d+)").matcher(json);
            assertTrue(m.find(), "points of " + mode[0] + " in " + json);
            assertEquals(EPOCHS, m.group(1).split(",").length, "one point per epoch, " + mode[0]);
            // epochs are 0..EPOCHS-1 in order, so the selected index is the selected epoch
            assertEquals(mode[1], m.group(3), "selected point of " + mode[0]);
            assertEquals("\"epoch " + mode[1] + "\"", m.group(2).split(",")[Integer.parseInt(m.group(3))]);
        }
        // plain has no constraint: a reference line at the test accuracy of its selected (last) epoch
        String plainAcc = cell("plain", "best", "test_acc").split("\\|")[0];
        Matcher line = Pattern.compile("\"lines\":\\[\\{\"axis\":\"y\",\"value\":([^,]+),\"label\":\"plain, epoch "
                + (EPOCHS - 1) + ": ").matcher(json);
        assertTrue(line.find(), json);
        assertEquals(Double.parseDouble(plainAcc), Double.parseDouble(line.group(1)), 1e-12);
        assertFalse(json.contains("\"label\":\"plain\""), "no plain point series");
        String svg = figure(html, "tradeoff");
        assertEquals(3, countIn(svg, "<path class=\"selected\""), "one selected marker per series in the SVG");
        assertEquals(3 * (EPOCHS - 1) + 3, countIn(svg, "<circle cx="), "the other epochs as circles, and a legend swatch per series");
        assertEquals(1, countIn(svg, "class=\"ref-line\""), "plain's line in the SVG");
    }

    @Test
    void multiplierStatisticsAreOneChartOfTheModesThatHaveThem() {
        assertTrue(html.contains("data-chart=\"stats-dual\" data-expected-series=\"3\""), "alm · mean, p90, max");
        String json = chartJson(html, "stats-dual");
        assertTrue(json.contains("\"label\":\"alm · mean\",\"color\""));
        assertTrue(json.contains("\"label\":\"alm · p90\",\"color\""));
        assertTrue(json.contains("\"label\":\"alm · max\",\"color\""));
        assertTrue(json.contains("\"dash\":[2,3]"), "max dotted");
        assertFalse(json.contains("plain") || json.contains("penalty ·") || json.contains("fixed ·"), "no empty series");
        assertFalse(json.contains("null"), "alm has a value at every epoch");
        for (String single : List.of("dual_mean", "dual_max", "dual_p50", "dual_p90", "dual_p99")) {
            assertFalse(html.contains("data-chart=\"" + single + "\""), single + " is in the group chart or the table only");
        }
        assertTrue(html.contains("data-chart=\"dual_positive\" data-expected-series=\"1\""));
        assertTrue(figure(html, "stats-dual").contains("dual_p50 and dual_p99 are in the summary table."));
        // the summary: alm's value, n/a for the others
        assertEquals("|n/a", cell("penalty", "best", "dual_mean"));
        assertFalse(cell("alm", "best", "dual_max").startsWith("|"));
    }

    @Test
    void multiplierHistogramTakesItsRangeFromTheData() throws IOException {
        double max = Files.readAllLines(run.resolve(RunFolderFixture.ALM_TRAIN_SAMPLES)).stream().skip(1)
                .mapToDouble(l -> Double.parseDouble(l.split(",")[2])).max().orElseThrow();
        long zeros = Files.readAllLines(run.resolve(RunFolderFixture.ALM_TRAIN_SAMPLES)).stream().skip(1)
                .filter(l -> l.endsWith(",0.0")).count();
        assertTrue(max > 0 && zeros > 0, "the fixture has zero and positive multipliers");
        String figure = figure(html, "hist-alm-train-multiplier");
        assertTrue(figure.contains("data-expected-series=\"1\""));
        assertTrue(figure.contains("1200 samples in " + RunFolderFixture.MULTIPLIER_BINS + " bins of width "
                + Numbers.format(max / RunFolderFixture.MULTIPLIER_BINS) + " over [0, " + Numbers.format(max)
                + "], the range of the data. " + zeros + " values are exactly 0."), figure);
        assertTrue(figure.contains("<h3>Per-image multipliers λ_i, alm, train (best epoch)</h3>"));
        assertFalse(figure.contains("class=\"ref-line\""), "no bound on the multipliers");
        String json = chartJson(html, "hist-alm-train-multiplier");
        Matcher counts = Pattern.compile("\"counts\":\\[([^\\]]*)\\]").matcher(json);
        assertTrue(counts.find());
        String[] bins = counts.group(1).split(",");
        assertEquals(RunFolderFixture.MULTIPLIER_BINS, bins.length);
        assertTrue(Long.parseLong(bins[0]) >= zeros, "the zeros are in the first bin");
        assertTrue(Long.parseLong(bins[bins.length - 1]) >= 1, "the largest value closes the last bin");
        assertTrue(html.contains("<figcaption>alm: the training digits with the largest multipliers"), "the image");
    }

    @Test
    void allZeroMultipliersStillRender() throws IOException {
        Path d = RunFolderFixture.mnistRun(temp.resolve("run-zero"), "mnist-zero", "no violation yet", 4, 4);
        Path samples = d.resolve(RunFolderFixture.ALM_TRAIN_SAMPLES);
        List<String> lines = Files.readAllLines(samples);
        for (int i = 1; i < lines.size(); i++) {
            lines.set(i, lines.get(i).substring(0, lines.get(i).lastIndexOf(',')) + ",0.0");
        }
        Files.write(samples, lines);
        String page = ReportBuilder.render(List.of(d));
        String figure = figure(page, "hist-alm-train-multiplier");
        assertTrue(figure.contains("1200 samples in 60 bins of width 0.01667 over [0, 1], the range of the data."
                + " Every value is 0."), figure);
        assertTrue(figure.contains("<svg "), "static SVG");
        assertTrue(figure.contains("): 1200</title></rect>"), "one bar holding every sample");
        assertTrue(chartJson(page, "hist-alm-train-multiplier").contains("\"counts\":[1200,0,"));
    }

    @Test
    void runWithoutAlmHasNoMultiplierChartsOrRows() {
        Path d = RunFolderFixture.mnistRun(temp.resolve("run-no-alm"), "mnist-no-alm", "no alm", 5, 4,
                List.of("plain", "fixed", "penalty"));
        String page = ReportBuilder.render(List.of(d));
        assertFalse(page.contains("data-chart=\"stats-dual\""));
        assertFalse(page.contains("data-chart=\"dual_positive\""));
        assertFalse(page.contains("data-column=\"dual_mean\""), "an all-empty row is left out of the summary");
        assertTrue(page.contains("Left out, empty for every mode shown: dual_mean, dual_max, dual_p50, dual_p90,"
                + " dual_p99, dual_positive."));
        assertTrue(page.contains("data-chart=\"tradeoff\" data-expected-series=\"2\""));
    }

    private static int countIn(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static int countOf(String needle) {
        return countIn(html, needle);
    }
}
