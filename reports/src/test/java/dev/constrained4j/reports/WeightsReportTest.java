package dev.constrained4j.reports;

import dev.constrained4j.reports.WeightsRunFixture.FinalValues;
import dev.constrained4j.reports.WeightsRunFixture.Published;
import dev.constrained4j.reports.chart.Numbers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of a small weights run: 2 datasets × 1 constraint set (l2-orth) × 2 methods (fp, sal)
 * × 2 settings × 1 seed × 2 epochs. Final values (epoch 1):
 * <pre>
 *   dataset        method setting cv_rel cv_2  test_acc s/epoch
 *   mnist          fp     0       0.70   3000  0.70     2.0
 *   mnist          fp     1       0.74   3400  0.72     2.4
 *   mnist          sal    0       0.10   40    0.80     3.0
 *   mnist          sal    1       0.30   60    0.76     3.4
 *   fashion-mnist  fp     0       0.50   1000  0.84     2.0
 *   fashion-mnist  fp     1       0.70   1400  0.86     2.4
 *   fashion-mnist  sal    0       0.05   8     0.80     3.0
 *   fashion-mnist  sal    1       0.15   12    0.82     3.4
 * </pre>
 * Two values a and b have mean (a + b) / 2 and sample sd |a − b| / √2, so, mnist: fp cv_rel 0.72
 * (σ 0.02828), cv_2 3200 (σ 282.8), acc 0.71 (σ 0.01414); sal cv_rel 0.20 (σ 0.1414), cv_2 50
 * (σ 14.14), acc 0.78 (σ 0.02828); best: sal in all three. Fashion-MNIST: fp cv_rel 0.60 (σ 0.1414),
 * cv_2 1200 (σ 282.8), acc 0.85 (σ 0.01414); sal cv_rel 0.10 (σ 0.07071), cv_2 10 (σ 2.828), acc
 * 0.81 (σ 0.01414); best: sal in CV, fp in accuracy. Seconds per epoch: fp 2.2, sal 3.2.
 * Published: mnist fp (model CNN) is shown; mnist sal's row is of model MLP and is not.
 */
class WeightsReportTest {

    static final List<String> METHODS = List.of("fp", "sal");
    static final int EPOCHS = 2;
    static final List<FinalValues> MODES = List.of(
            new FinalValues("mnist", "l2-orth", "fp", 0, 0, 0.70, 3000, 0.70, 2.0),
            new FinalValues("mnist", "l2-orth", "fp", 1, 0, 0.74, 3400, 0.72, 2.4),
            new FinalValues("mnist", "l2-orth", "sal", 0, 0, 0.10, 40, 0.80, 3.0),
            new FinalValues("mnist", "l2-orth", "sal", 1, 0, 0.30, 60, 0.76, 3.4),
            new FinalValues("fashion-mnist", "l2-orth", "fp", 0, 0, 0.50, 1000, 0.84, 2.0),
            new FinalValues("fashion-mnist", "l2-orth", "fp", 1, 0, 0.70, 1400, 0.86, 2.4),
            new FinalValues("fashion-mnist", "l2-orth", "sal", 0, 0, 0.05, 8, 0.80, 3.0),
            new FinalValues("fashion-mnist", "l2-orth", "sal", 1, 0, 0.15, 12, 0.82, 3.4));
    static final List<Published> PAPER = List.of(
            new Published("CNN", "mnist", "l2-orth", "fp", List.of("0.72 (σ 0.06)", "3.2K (σ 7.6)", "0.70 (σ 0.02)")),
            new Published("MLP", "mnist", "l2-orth", "sal", List.of("0.01 (σ 0.00)", "12 (σ 3)", "0.97 (σ 0.01)")));
    static final double R2 = Math.sqrt(2);

    @TempDir
    static Path temp;
    static Path run;
    static String html;

    @BeforeAll
    static void build() throws IOException {
        run = WeightsRunFixture.weightsRun(temp.resolve("weights"), "weights-1", METHODS, MODES, PAPER, EPOCHS);
        html = Files.readString(ReportBuilder.write(List.of(run), run.resolve("report.html")));
    }

    /**
     * A cell of the table: its data attributes and its content.
     *
     * @param n     data-n
     * @param mean  data-mean
     * @param sd    data-sd
     * @param best  data-best
     * @param inner the cell's HTML
     */
    record Cell(int n, String mean, String sd, boolean best, String inner) {
    }

    static Cell cell(String page, String dataset, String method, String column) {
        Matcher m = Pattern.compile("<td data-run=\"[^\"]+\" data-dataset=\"" + dataset + "\" data-constraint-set=\"l2-orth\""
                + " data-method=\"" + method + "\" data-column=\"" + column + "\" data-n=\"(\\d+)\" data-mean=\"([^\"]*)\""
                + " data-sd=\"([^\"]*)\" data-best=\"(true|false)\"[^>]*>(.*?)</td>").matcher(page);
        assertTrue(m.find(), "no cell " + dataset + "/" + method + "/" + column);
        return new Cell(Integer.parseInt(m.group(1)), m.group(2), m.group(3), Boolean.parseBoolean(m.group(4)), m.group(5));
    }

    static void assertStats(String dataset, String method, String column, double mean, double sd) {
        Cell c = cell(html, dataset, method, column);
        String what = dataset + " " + method + " " + column;
        assertEquals(2, c.n(), what + " n");
        assertEquals(mean, Double.parseDouble(c.mean()), 1e-6 * Math.max(1, mean), what + " mean");
        assertEquals(sd, Double.parseDouble(c.sd()), 1e-6 * Math.max(1, sd), what + " sd");
    }

    @Test
    void tableHasMeanAndSdOverSeedsAndSettings() {
        assertStats("mnist", "fp", "cv_rel", 0.72, 0.04 / R2);
        assertStats("mnist", "fp", "cv_2", 3200, 400 / R2);
        assertStats("mnist", "fp", "test_acc", 0.71, 0.02 / R2);
        assertStats("mnist", "sal", "cv_rel", 0.20, 0.20 / R2);
        assertStats("mnist", "sal", "cv_2", 50, 20 / R2);
        assertStats("mnist", "sal", "test_acc", 0.78, 0.04 / R2);
        assertStats("fashion-mnist", "fp", "cv_rel", 0.60, 0.20 / R2);
        assertStats("fashion-mnist", "fp", "cv_2", 1200, 400 / R2);
        assertStats("fashion-mnist", "sal", "cv_rel", 0.10, 0.10 / R2);
        assertStats("fashion-mnist", "sal", "cv_2", 10, 4 / R2);
        assertStats("fashion-mnist", "sal", "test_acc", 0.81, 0.02 / R2);
        // elapsed 2.0 · 2 and 2.4 · 2 over 2 epochs: 2.0 and 2.4 s per epoch
        assertStats("mnist", "fp", "seconds_per_epoch", 2.2, 0.4 / R2);
        assertStats("fashion-mnist", "sal", "seconds_per_epoch", 3.2, 0.4 / R2);
        // shown as the paper prints them: 3200 ± 282.8 is "3.2K (σ 283)", 50 ± 14.14 is "50.0 (σ 14.1)"
        assertTrue(cell(html, "mnist", "fp", "cv_2").inner().startsWith("3.2K (σ 283)"));
        assertTrue(cell(html, "mnist", "fp", "cv_rel").inner().startsWith("0.72 (σ 0.03)"));
        assertEquals("<strong>50.0 (σ 14.1)</strong>", cell(html, "mnist", "sal", "cv_2").inner());
        assertEquals("<strong>10.0 (σ 2.83)</strong>", cell(html, "fashion-mnist", "sal", "cv_2").inner());
        assertEquals("2.20", cell(html, "mnist", "fp", "seconds_per_epoch").inner());
        assertTrue(html.contains("data-dataset=\"mnist\" data-constraint-set=\"l2-orth\" data-method=\"sal\""
                + " data-column=\"n\">2</td>"));
        assertTrue(html.contains("<th rowspan=\"2\">MNIST</th><th rowspan=\"2\">L2; orthogonality</th><th>FP</th>"),
                "grouped by dataset, then constraint set, then method");
        assertTrue(html.contains("<th rowspan=\"2\">Fashion-MNIST</th>"));
        assertTrue(html.indexOf(">MNIST</th>") < html.indexOf(">Fashion-MNIST</th>"), "datasets in the hints' order");
    }

    @Test
    void bestOfEachGroupIsBold() {
        for (String column : List.of("cv_rel", "cv_2", "test_acc")) {
            assertTrue(cell(html, "mnist", "sal", column).best(), "mnist sal best in " + column);
            assertFalse(cell(html, "mnist", "fp", column).best(), "mnist fp not best in " + column);
        }
        assertTrue(cell(html, "fashion-mnist", "sal", "cv_rel").best());
        assertTrue(cell(html, "fashion-mnist", "sal", "cv_2").best());
        assertFalse(cell(html, "fashion-mnist", "sal", "test_acc").best(), "lowest accuracy is not best");
        Cell acc = cell(html, "fashion-mnist", "fp", "test_acc");
        assertTrue(acc.best(), "highest accuracy");
        assertEquals("<strong>0.85 (σ 0.01)</strong>", acc.inner());
        assertFalse(cell(html, "fashion-mnist", "fp", "seconds_per_epoch").best(), "time is not compared");
        assertFalse(cell(html, "fashion-mnist", "fp", "cv_2").inner().contains("<strong>"));
    }

    @Test
    void publishedFiguresBesideOurs() {
        assertTrue(cell(html, "mnist", "fp", "cv_rel").inner()
                .endsWith("<br><span class=\"paper\" data-paper=\"cv_rel\">seed 002: 0.72 (σ 0.06)</span>"));
        assertTrue(cell(html, "mnist", "fp", "cv_2").inner().endsWith("seed 002: 3.2K (σ 7.6)</span>"));
        assertTrue(cell(html, "mnist", "fp", "test_acc").inner().endsWith("seed 002: 0.70 (σ 0.02)</span>"));
        assertFalse(cell(html, "mnist", "sal", "cv_rel").inner().contains("seed 002"), "the MLP row is another model's");
        assertFalse(cell(html, "fashion-mnist", "fp", "cv_rel").inner().contains("seed 002"), "no published row");
        assertEquals(3, html.split("data-paper=", -1).length - 1);
    }

    @Test
    void tableIsAlsoCsv() throws IOException {
        Matcher link = Pattern.compile("<a download=\"weights-1-table.csv\" href=\"data:text/csv;charset=utf-8;base64,"
                + "([A-Za-z0-9+/=]+)\">").matcher(html);
        assertTrue(link.find(), "download link");
        String csv = new String(Base64.getDecoder().decode(link.group(1)), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertEquals(5, lines.size(), csv);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> fp = List.of(lines.get(1).split(",", -1));
        assertEquals(header.size(), fp.size(), lines.get(1));
        assertEquals(List.of("mnist", "MNIST", "l2-orth", "L2; orthogonality", "fp", "FP", "2", "1", "1"), fp.subList(0, 9));
        assertEquals(3200, Double.parseDouble(fp.get(header.indexOf("cv_2_mean"))), 1e-6);
        assertEquals(400 / R2, Double.parseDouble(fp.get(header.indexOf("cv_2_sd"))), 1e-6);
        assertEquals("", fp.get(header.indexOf("best")));
        assertEquals("3.2K (σ 7.6)", fp.get(header.indexOf("paper_cv_2")));
        List<String> fashionFp = List.of(lines.get(3).split(",", -1));
        assertEquals("test_acc", fashionFp.get(header.indexOf("best")));
        assertEquals("cv_rel;cv_2;test_acc", List.of(lines.get(2).split(",", -1)).get(header.indexOf("best")));
        assertTrue(html.contains("<pre class=\"csv\">" + lines.get(0)), "the CSV shown too");
        try (var files = Files.list(run)) {
            assertEquals(List.of("metrics.csv", "report.html", "run.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing else written");
        }
    }

    @Test
    void accuracyAndLogCvChartsPerDatasetAndConstraintSet() {
        for (String dataset : List.of("mnist", "fashion-mnist")) {
            for (String chart : List.of("acc", "cv2")) {
                assertTrue(html.contains("data-chart=\"weights-" + dataset + "-l2-orth-" + chart + "\" data-expected-series=\"2\""),
                        dataset + " " + chart + ": one line per method");
            }
        }
        String cv = ReportBuilderTest.chartJson(html, "weights-mnist-l2-orth-cv2");
        assertTrue(cv.contains("\"logY\":true"), cv);
        // epoch 0 is one epoch before the last: cv_2 × 1.5, so fp (3000 · 1.5 + 3400 · 1.5) / 2 = 4800, then 3200
        assertTrue(cv.contains("\"label\":\"FP\",\"color\":\"#1f77b4\",\"dash\":[],\"x\":[0.0,1.0],\"y\":[4800.0,3200.0]"), cv);
        assertTrue(cv.contains("\"notes\":[\"elapsed 2.2 s\",\"elapsed 4.4 s\"]"), cv);
        String acc = ReportBuilderTest.chartJson(html, "weights-fashion-mnist-l2-orth-acc");
        assertTrue(acc.contains("\"logY\":false"));
        // sal (0.80 − 0.1 + 0.82 − 0.1) / 2 = 0.71 at epoch 0
        Matcher sal = Pattern.compile("\"label\":\"SAL\",[^}]*\"y\":\\[([^,]+),([^\\]]+)\\]").matcher(acc);
        assertTrue(sal.find(), acc);
        assertEquals(0.71, Double.parseDouble(sal.group(1)), 1e-9);
        assertEquals(0.81, Double.parseDouble(sal.group(2)), 1e-9);
    }

    @Test
    void resultsFirstThenConfigurationAndProvenance() {
        assertFalse(html.contains("<section id=\"summary\""), "no per-mode summary");
        assertFalse(html.contains("<section id=\"curves\""), "no per-metric curves");
        int previous = html.indexOf("<h1>");
        for (String id : List.of("weights", "weights-curves", "configuration", "deviations", "provenance")) {
            int at = html.indexOf("<section id=\"" + id + "\"");
            assertTrue(at > previous, id + " after the section before it");
            previous = at;
        }
        assertTrue(html.contains("<th>batchSize</th><td><code>128</code></td>"));
        assertTrue(html.contains("fc30fb5") && html.contains("train-images-idx3-ubyte = 9a3c1e77d0"), "provenance");
        assertTrue(html.contains("Model: CNN."));
        assertFalse(html.contains("class=\"warnings\""), "no warning");
    }

    @Test
    void modeNotInTheHintsIsLeftOutWithAWarning() throws IOException {
        Path odd = WeightsRunFixture.weightsRun(temp.resolve("odd"), "weights-odd", METHODS, MODES, PAPER, EPOCHS);
        Path json = odd.resolve("run.json");
        // drop one mode's entry from report.modes; its rows stay in metrics.csv
        String text = Files.readString(json);
        Matcher entry = Pattern.compile("\"mnist-l2-orth-sal-h1-s0\" : \\{[^}]*\\},\\s*").matcher(text);
        assertTrue(entry.find());
        Files.writeString(json, entry.replaceFirst(""));
        String page = ReportBuilder.render(List.of(odd));
        assertTrue(page.contains("weights-odd: mode &#39;mnist-l2-orth-sal-h1-s0&#39; is not in report.modes, left out"));
        Cell sal = cell(page, "mnist", "sal", "cv_rel");
        assertEquals(1, sal.n());
        assertEquals("", sal.sd(), "no sd for one mode");
        assertTrue(sal.inner().startsWith("<strong>0.10 (σ –)</strong>"), sal.inner());
    }

    @Test
    void missingCvColumnNamesFileAndColumn() throws IOException {
        Path broken = WeightsRunFixture.weightsRun(temp.resolve("no-cv"), "weights-no-cv", METHODS, MODES, PAPER, EPOCHS);
        Path metrics = broken.resolve("metrics.csv");
        List<String> lines = Files.readAllLines(metrics);
        int col = List.of(lines.get(0).split(",", -1)).indexOf("cv_rel");
        assertTrue(col > 0);
        List<String> cut = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(col);
            cut.add(String.join(",", cells));
        }
        Files.write(metrics, cut);
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.render(List.of(broken)));
        assertTrue(e.getMessage().startsWith(metrics + ": no column 'cv_rel'"), e.getMessage());
    }

    @Test
    void modeOfAnUnknownMethodNamesFileAndKey() throws IOException {
        Path broken = WeightsRunFixture.weightsRun(temp.resolve("bad-method"), "weights-bad", METHODS, MODES, PAPER, EPOCHS);
        Path json = broken.resolve("run.json");
        Files.writeString(json, Files.readString(json).replaceFirst("\"method\" : \"sal\",", "\"method\" : \"adam\","));
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.render(List.of(broken)));
        assertEquals(json + ": 'report.modes.mnist-l2-orth-sal-h0-s0.method' is 'adam', not one of report.methods"
                + " [fp, sal]", e.getMessage());
    }

    @Test
    void missingDatasetsAndMalformedPaperRow() throws IOException {
        Path broken = WeightsRunFixture.weightsRun(temp.resolve("no-datasets"), "weights-nd", METHODS, MODES, PAPER, EPOCHS);
        Path json = broken.resolve("run.json");
        String text = Files.readString(json);
        Files.writeString(json, text.replace("\"datasets\" : [ \"mnist\", \"fashion-mnist\" ],", ""));
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.render(List.of(broken)));
        assertEquals(json + ": missing required key 'report.datasets'", e.getMessage());

        Files.writeString(json, text.replace("\"model\" : \"MLP\",\n      \"dataset\" : \"mnist\",", "\"model\" : \"MLP\","));
        e = assertThrows(ReportException.class, () -> ReportBuilder.render(List.of(broken)));
        assertEquals(json + ": missing required key 'report.paperTable[1].dataset'", e.getMessage());
    }

    @Test
    void compactNumbersAsThePaperPrintsThem() {
        record Case(double value, String text) {
        }
        for (Case c : List.of(new Case(0.72, "0.72"), new Case(0.7, "0.70"), new Case(0, "0"), new Case(3.0e-4, "3.0e-4"),
                new Case(14.142, "14.1"), new Case(282.84, "283"), new Case(3200, "3.2K"), new Case(7600, "7.6K"),
                new Case(76_000, "76K"), new Case(999_600, "1.0M"), new Case(1.4e6, "1.4M"), new Case(-3200, "-3.2K"),
                new Case(2.5e9, "2.5G"))) {
            assertEquals(c.text(), Numbers.compact(c.value()), "compact(" + c.value() + ")");
        }
    }
}
