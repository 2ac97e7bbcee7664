package dev.constrained4j.reports;

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
        for (String metric : List.of("seconds", "penalty_weight", "loss", "acc", "recon_mse", "violation", "satisfied")) {
            assertTrue(html.contains("data-chart=\"" + metric + "\""), metric);
        }
        for (String mode : List.of("fixed", "penalty")) {
            for (String split : List.of("train", "test")) {
                assertTrue(html.contains("data-chart=\"hist-" + mode + "-" + split + "-recon_mse\""), mode + split);
            }
        }
        assertTrue(html.contains("data-chart=\"box-recon_mse-test\""));
        // loss: 3 modes × 2 splits; satisfied: plain's series are all empty and left out
        assertTrue(html.contains("data-chart=\"loss\" data-expected-series=\"6\""));
        assertTrue(html.contains("data-chart=\"satisfied\" data-expected-series=\"4\""));
        assertTrue(html.contains("data-chart=\"penalty_weight\" data-expected-series=\"2\""));
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
        assertTrue(html.contains("<th>modes</th><td><code>[&quot;plain&quot;,&quot;fixed&quot;,&quot;penalty&quot;]</code></td>"));
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
        assertTrue(page.contains("data-chart=\"loss\" data-expected-series=\"12\""));
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

    private static int countOf(String needle) {
        int n = 0;
        for (int i = html.indexOf(needle); i >= 0; i = html.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
