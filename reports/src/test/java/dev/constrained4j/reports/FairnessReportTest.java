package dev.constrained4j.reports;

import dev.constrained4j.reports.FairnessRunFixture.FinalValues;
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
 * The report of a small fairness run: 2 methods × 2 seeds × 3 epochs, 2 groups, bound c = 0.05.
 * Final values (epoch 2), test gaps [urban_area, rural] and train gaps:
 * <pre>
 *   mode       test_acc train_acc test_loss train_loss test gaps      train gaps
 *   adam-s0    0.80     0.83      0.45      0.41       [0.08, -0.06]  [0.07, -0.05]
 *   adam-s1    0.84     0.85      0.41      0.39       [0.04, -0.03]  [0.06, -0.02]
 *   sslalm-s0  0.78     0.79      0.48      0.47       [0.03, -0.04]  [0.02, -0.03]
 *   sslalm-s1  0.76     0.77      0.50      0.49       [0.02, -0.045] [0.01, -0.02]
 * </pre>
 * so the max violations max_g |gap_g| − 0.05 are, test: adam 0.03 and −0.01, sslalm −0.01 and
 * −0.005; train: adam 0.02 and 0.01, sslalm −0.02 and −0.03.
 */
class FairnessReportTest {

    static final List<String> GROUPS = List.of("Urban area", "Rural");
    static final List<String> COLUMNS = List.of("urban_area", "rural");
    static final List<String> METHODS = List.of("adam", "sslalm");
    static final int EPOCHS = 3;
    static final List<FinalValues> MODES = List.of(
            new FinalValues("adam", 0, 0.80, 0.83, 0.45, 0.41, List.of(0.08, -0.06), List.of(0.07, -0.05)),
            new FinalValues("adam", 1, 0.84, 0.85, 0.41, 0.39, List.of(0.04, -0.03), List.of(0.06, -0.02)),
            new FinalValues("sslalm", 0, 0.78, 0.79, 0.48, 0.47, List.of(0.03, -0.04), List.of(0.02, -0.03)),
            new FinalValues("sslalm", 1, 0.76, 0.77, 0.50, 0.49, List.of(0.02, -0.045), List.of(0.01, -0.02)));
    /** sqrt(0.02² + 0.02²): the sd (n − 1 = 1) of two values 0.04 apart. */
    static final double SD_004 = Math.sqrt(0.0008);
    /** sqrt(0.01² + 0.01²): the sd of two values 0.02 apart. */
    static final double SD_002 = Math.sqrt(0.0002);

    @TempDir
    static Path temp;
    static Path run;
    static String html;

    @BeforeAll
    static void build() throws IOException {
        run = FairnessRunFixture.fairnessRun(temp.resolve("fair"), "fair-1", GROUPS, COLUMNS, true, METHODS, MODES, EPOCHS);
        html = Files.readString(ReportBuilder.write(List.of(run), run.resolve("report.html")));
    }

    /** @return {n, mean, sd} of a cell of the final table, as its data attributes give them */
    static String[] cell(String page, String method, String column) {
        Matcher m = Pattern.compile("<td data-run=\"[^\"]+\" data-method=\"" + method + "\" data-column=\"" + column
                + "\" data-n=\"(\\d+)\" data-mean=\"([^\"]*)\" data-sd=\"([^\"]*)\"[^>]*>([^<]*)</td>").matcher(page);
        assertTrue(m.find(), "no cell " + method + "/" + column);
        return new String[] {m.group(1), m.group(2), m.group(3), m.group(4)};
    }

    static void assertStats(String method, String column, double mean, double sd) {
        String[] c = cell(html, method, column);
        assertEquals("2", c[0], method + " " + column + " n");
        assertEquals(mean, Double.parseDouble(c[1]), 1e-9, method + " " + column + " mean");
        assertEquals(sd, Double.parseDouble(c[2]), 1e-9, method + " " + column + " sd");
    }

    static String verdict(String page, String method) {
        Matcher m = Pattern.compile("data-method=\"" + method + "\" data-column=\"verdict\" data-within=\"(true|false)\""
                + " class=\"[^\"]*\">([^<]*)</td>").matcher(page);
        assertTrue(m.find(), "no verdict for " + method);
        return m.group(1) + "|" + m.group(2);
    }

    @Test
    void finalTableHasMeanAndSdOverSeeds() {
        // adam: (0.80 + 0.84) / 2 = 0.82, sd sqrt(0.02² + 0.02²); (0.83 + 0.85) / 2 = 0.84, sd sqrt(2 · 0.01²)
        assertStats("adam", "test_acc", 0.82, SD_004);
        assertStats("adam", "train_acc", 0.84, SD_002);
        assertStats("adam", "test_loss", 0.43, SD_004);
        assertStats("adam", "train_loss", 0.40, SD_002);
        // test max violation 0.03 and −0.01: mean 0.01; train 0.02 and 0.01: mean 0.015, sd sqrt(2 · 0.005²)
        assertStats("adam", "test_max_violation", 0.01, SD_004);
        assertStats("adam", "train_max_violation", 0.015, Math.sqrt(2 * 0.005 * 0.005));
        // sslalm: (0.78 + 0.76) / 2 = 0.77; test max violation −0.01 and −0.005: mean −0.0075, sd sqrt(2 · 0.0025²)
        assertStats("sslalm", "test_acc", 0.77, SD_002);
        assertStats("sslalm", "test_max_violation", -0.0075, Math.sqrt(2 * 0.0025 * 0.0025));
        // train max violation −0.03 and −0.02 (0.02 − 0.05, 0.03 − 0.05): mean −0.025
        assertStats("sslalm", "train_max_violation", -0.025, Math.sqrt(2 * 0.005 * 0.005));
        // elapsed at the last epoch, 1.5 s × 3 epochs for every seed
        assertStats("sslalm", "elapsed", 4.5, 0);
        assertEquals("0.82 ± 0.028", cell(html, "adam", "test_acc")[3], "the mean to 4 significant digits, the sd to 2");
        assertTrue(html.contains("data-method=\"adam\" data-column=\"seeds\">2</td>"));
        assertTrue(html.contains("data-method=\"adam\" data-column=\"last_epoch\">2</td>"));
        assertTrue(html.contains("<th>Adam (no constraint)<br><code>adam</code></th>"), "label and method");
    }

    @Test
    void verdictBothWays() {
        // adam: one seed of two exceeds, by 0.03
        assertEquals("false|exceeds by 0.03 (1 of 2 seeds)", verdict(html, "adam"));
        assertEquals("true|within bound", verdict(html, "sslalm"));
    }

    @Test
    void tableIsAlsoCsvWithoutWritingAFile() throws IOException {
        Matcher link = Pattern.compile("<a download=\"fair-1-final.csv\" href=\"data:text/csv;charset=utf-8;base64,"
                + "([A-Za-z0-9+/=]+)\">").matcher(html);
        assertTrue(link.find(), "download link");
        String csv = new String(Base64.getDecoder().decode(link.group(1)), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertEquals(3, lines.size(), csv);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> adam = List.of(lines.get(1).split(",", -1));
        assertEquals(header.size(), adam.size());
        assertEquals("adam", adam.get(0));
        assertEquals("Adam (no constraint)", adam.get(header.indexOf("label")));
        assertEquals("2", adam.get(header.indexOf("seeds")));
        assertEquals(0.82, Double.parseDouble(adam.get(header.indexOf("test_acc_mean"))), 1e-9);
        assertEquals(SD_004, Double.parseDouble(adam.get(header.indexOf("test_acc_sd"))), 1e-9);
        assertEquals("false", adam.get(header.indexOf("within_bound")));
        assertEquals("1", adam.get(header.indexOf("seeds_exceeding")));
        assertEquals(0.03, Double.parseDouble(adam.get(header.indexOf("mean_excess"))), 1e-9);
        assertTrue(lines.get(2).startsWith("sslalm,SSL-ALM,2,2,2,"));
        assertTrue(html.contains("<pre class=\"csv\">" + lines.get(0)), "the CSV shown too");
        try (var files = Files.list(run)) {
            assertEquals(List.of("metrics.csv", "report.html", "run.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing else written");
        }
    }

    @Test
    void lossChartOfEveryMethodAndGapChartPerMethod() {
        assertTrue(html.contains("data-chart=\"fairness-loss\" data-expected-series=\"4\""), "2 methods × train, test");
        for (String method : METHODS) {
            assertTrue(html.contains("data-chart=\"fairness-gap-" + method + "\" data-expected-series=\"4\""),
                    "2 groups × train, test for " + method);
        }
        String gaps = ReportBuilderTest.chartJson(html, "fairness-gap-adam");
        assertTrue(gaps.contains("\"lines\":[{\"axis\":\"y\",\"value\":0.05,\"label\":\"+c = 0.05\"},"
                + "{\"axis\":\"y\",\"value\":-0.05,\"label\":\"−c = −0.05\"}]"), gaps);
        // epoch 0 is two epochs before the last: gaps × 1.6; urban_area test (0.08 · 1.6 + 0.04 · 1.6) / 2 = 0.096
        Matcher urban = Pattern.compile("\"label\":\"Urban area · test\",\"color\":\"[^\"]+\",\"dash\":\\[6,4\\],"
                + "\"x\":\\[0.0,1.0,2.0\\],\"y\":\\[([^,\\]]+),[^\\]]*\\],\"notes\":\\[\"elapsed 1.5 s\"").matcher(gaps);
        assertTrue(urban.find(), gaps);
        assertEquals(0.096, Double.parseDouble(urban.group(1)), 1e-9);
        assertTrue(gaps.contains("\"notes\":[\"elapsed 1.5 s\",\"elapsed 3 s\",\"elapsed 4.5 s\"]"));
        String svg = ReportBuilderTest.figure(html, "fairness-gap-adam");
        assertEquals(2, svg.split("class=\"ref-line\"", -1).length - 1, "±c in the static SVG");
        assertTrue(ReportBuilderTest.chartJson(html, "fairness-loss").contains("\"label\":\"SSL-ALM · test\""));
    }

    @Test
    void resultsFirstThenConfigurationAndProvenance() {
        assertFalse(html.contains("<section id=\"summary\""), "no per-mode summary");
        assertFalse(html.contains("<section id=\"curves\""), "no per-metric curves");
        int previous = html.indexOf("<h1>");
        for (String id : List.of("fairness", "fairness-curves", "configuration", "deviations", "provenance")) {
            int at = html.indexOf("<section id=\"" + id + "\"");
            assertTrue(at > previous, id + " after the section before it");
            previous = at;
        }
        assertTrue(html.contains("<th>protected</th><td><code>region</code></td>"));
        assertTrue(html.contains("<th>groups</th><td><code>[&quot;Urban area&quot;,&quot;Rural&quot;]</code></td>"));
        assertTrue(html.contains("227f4cf") && html.contains("cpssw8.csv = 0f3c2a9b5e"), "provenance");
        assertTrue(html.contains("of region, c = 0.05"), "the bound in the table's note");
        assertFalse(html.contains("class=\"warnings\""), "no warning");
    }

    @Test
    void oneSeedHasNoSd() {
        Path one = FairnessRunFixture.fairnessRun(temp.resolve("one"), "fair-one", GROUPS, COLUMNS, true, List.of("adam"),
                MODES.subList(0, 1), EPOCHS);
        String page = ReportBuilder.render(List.of(one));
        String[] acc = cell(page, "adam", "test_acc");
        assertEquals("1", acc[0]);
        assertEquals("", acc[2], "no sd");
        assertEquals("0.8 ± –", acc[3]);
        assertEquals("false|exceeds by 0.03 (1 of 1 seed)", verdict(page, "adam"));
    }

    @Test
    void groupColumnsDefaultToTheGroupsSlugs() {
        Path derived = FairnessRunFixture.fairnessRun(temp.resolve("derived"), "fair-derived", List.of("Never-married", "West"),
                List.of("never_married", "west"), false, METHODS, MODES, EPOCHS);
        String page = ReportBuilder.render(List.of(derived));
        assertTrue(page.contains("\"label\":\"Never-married · train\""));
        assertEquals("true|within bound", verdict(page, "sslalm"));
    }

    @Test
    void methodWithoutRowsAndModeOfNoMethod() throws IOException {
        List<FinalValues> modes = new ArrayList<>(MODES);
        modes.add(new FinalValues("sgd", 0, 0.8, 0.8, 0.4, 0.4, List.of(0.0, 0.0), List.of(0.0, 0.0)));
        Path odd = FairnessRunFixture.fairnessRun(temp.resolve("odd"), "fair-odd", GROUPS, COLUMNS, true,
                List.of("adam", "sslalm", "alm"), modes, EPOCHS);
        String page = ReportBuilder.render(List.of(odd));
        assertTrue(page.contains("fair-odd: mode &#39;sgd-s0&#39; is not &lt;method&gt;-s&lt;seed&gt; of a method in report.methods"
                + " [adam, sslalm, alm], left out"), "a warning");
        assertTrue(page.contains("data-method=\"alm\" data-column=\"seeds\">0</td>"));
        assertEquals("false|n/a", verdict(page, "alm"));
        assertFalse(page.contains("data-chart=\"fairness-gap-alm\""), "no chart without rows");
    }

    @Test
    void missingGapColumnNamesFileAndColumn() throws IOException {
        Path broken = FairnessRunFixture.fairnessRun(temp.resolve("no-gap"), "fair-no-gap", GROUPS, COLUMNS, true, METHODS,
                MODES, EPOCHS);
        Path metrics = broken.resolve("metrics.csv");
        List<String> lines = Files.readAllLines(metrics);
        int col = List.of(lines.get(0).split(",", -1)).indexOf("test_gap_rural");
        assertTrue(col > 0);
        List<String> cut = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(col);
            cut.add(String.join(",", cells));
        }
        Files.write(metrics, cut);
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.render(List.of(broken)));
        assertTrue(e.getMessage().startsWith(metrics + ": no column 'test_gap_rural'"), e.getMessage());
    }

    @Test
    void malformedValueNamesFileRowAndColumn() throws IOException {
        Path broken = FairnessRunFixture.fairnessRun(temp.resolve("bad-acc"), "fair-bad", GROUPS, COLUMNS, true, METHODS,
                MODES, EPOCHS);
        Path metrics = broken.resolve("metrics.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(metrics));
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> cells = new ArrayList<>(List.of(lines.get(2).split(",", -1)));
        cells.set(header.indexOf("test_acc"), "0.8O");
        lines.set(2, String.join(",", cells));
        Files.write(metrics, lines);
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.render(List.of(broken)));
        assertEquals(metrics + ": data row 2, column 'test_acc': '0.8O' is not a number", e.getMessage());
    }

    @Test
    void fairnessHintWithoutBound() throws IOException {
        Path broken = FairnessRunFixture.fairnessRun(temp.resolve("no-bound"), "fair-nb", GROUPS, COLUMNS, true, METHODS,
                MODES, EPOCHS);
        Path json = broken.resolve("run.json");
        Files.writeString(json, Files.readString(json).replace("\"kind\" : \"fairness\",\n    \"bound\" : 0.05,",
                "\"kind\" : \"fairness\","));
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.render(List.of(broken)));
        assertEquals(json + ": missing required key 'report.bound'", e.getMessage());
    }

    @Test
    void groupColumnsMustPairWithGroups() throws IOException {
        Path broken = FairnessRunFixture.fairnessRun(temp.resolve("pairs"), "fair-pairs", GROUPS, COLUMNS, true, METHODS,
                MODES, EPOCHS);
        Path json = broken.resolve("run.json");
        Files.writeString(json, Files.readString(json).replace("\"groupColumns\" : [ \"urban_area\", \"rural\" ]",
                "\"groupColumns\" : [ \"urban_area\" ]"));
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.render(List.of(broken)));
        assertEquals(json + ": 'report.groupColumns' has 1 entries, 'report.groups' has 2", e.getMessage());
    }
}
