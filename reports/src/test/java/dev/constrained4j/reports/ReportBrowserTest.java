package dev.constrained4j.reports;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens a generated report in headless Chromium ({@code /usr/bin/chromium}) and checks the DOM after
 * the scripts ran: no script error, every chart drawn with the expected number of series, then
 * takes a screenshot to {@code target/report-screenshot.png}; the same for a fairness run's page
 * ({@code target/fairness-report-screenshot.png}) and a weights run's page
 * ({@code target/weights-report-screenshot.png}). Without Chromium the test fails when
 * {@code CI=true} (CI installs it) and is skipped otherwise.
 */
class ReportBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path WORK = Path.of("target", "browser-test").toAbsolutePath();
    static final List<String> FAIRNESS_GROUPS = List.of("Northeast", "Midwest", "South", "West");
    static final List<String> FAIRNESS_METHODS = List.of("adam", "sslalm", "ssw", "penalty", "alm");

    static Path report;
    static Path fairnessReport;
    static Path weightsReport;

    @BeforeAll
    static void buildReport() throws IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("true".equals(System.getenv("CI"))) {
                fail(CHROMIUM + " not found: CI must install the Debian package 'chromium'");
            }
            Assumptions.abort(CHROMIUM + " not found; install the Debian package 'chromium' to run this test");
        }
        deleteTree(WORK);
        Path run = RunFolderFixture.mnistRun(WORK.resolve("run"), "mnist-browser", "MNIST browser check", 11, 20);
        report = ReportBuilder.write(List.of(run), WORK.resolve("report.html"));
        Path fairness = FairnessRunFixture.fairnessRun(WORK.resolve("fairness-run"), "fairness-browser", FAIRNESS_GROUPS,
                FAIRNESS_GROUPS.stream().map(g -> g.toLowerCase(java.util.Locale.ROOT)).toList(), true, FAIRNESS_METHODS,
                FairnessRunFixture.generated(FAIRNESS_METHODS, 3, FAIRNESS_GROUPS.size(), 13), 12);
        fairnessReport = ReportBuilder.write(List.of(fairness), WORK.resolve("fairness-report.html"));
        Path weights = WeightsRunFixture.weightsRun(WORK.resolve("weights-run"), "weights-browser", WeightsReportTest.METHODS,
                WeightsReportTest.MODES, WeightsReportTest.PAPER, WeightsReportTest.EPOCHS);
        weightsReport = ReportBuilder.write(List.of(weights), WORK.resolve("weights-report.html"));
    }

    private static String chromium(String... extra) throws IOException, InterruptedException {
        return chromium(report, extra);
    }

    private static String chromium(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(WORK, "profile-");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path stdout = WORK.resolve("chromium-stdout.txt");
        Path stderr = WORK.resolve("chromium-stderr.txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                fail("chromium did not finish in 90 s: " + Files.readString(stderr));
            }
        } finally {
            process.destroyForcibly();
            deleteTree(profile);
        }
        assertEquals(0, process.exitValue(), () -> "chromium failed: " + read(stderr));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /**
     * Checks that the scripts ran without error and drew every chart with its expected series.
     *
     * @param dom the page's DOM after its scripts ran
     * @return the number of charts
     */
    private static int drawnCharts(String dom) {
        Matcher errors = Pattern.compile("<pre id=\"report-errors\"[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(errors.find(), "no #report-errors in the DOM");
        assertEquals("", errors.group(1).trim(), "script errors");
        assertTrue(Pattern.compile("<body[^>]*data-rendered=\"true\"").matcher(dom).find(), "body[data-rendered=true]");

        Matcher figure = Pattern.compile("<figure class=\"chart[^\"]*\" data-chart=\"([^\"]+)\" "
                + "data-expected-series=\"(\\d+)\"([^>]*)>").matcher(dom);
        int charts = 0;
        while (figure.find()) {
            charts++;
            Matcher drawn = Pattern.compile("data-series-count=\"(\\d+)\"").matcher(figure.group(3));
            assertTrue(drawn.find(), "chart " + figure.group(1) + " not drawn");
            assertEquals(figure.group(2), drawn.group(1), "series of chart " + figure.group(1));
        }
        return charts;
    }

    @Test
    void chartsRenderWithoutErrorsAndScreenshotIsTaken() throws Exception {
        String dom = chromium("--dump-dom");
        int charts = drawnCharts(dom);
        assertEquals(18, charts, "1 trade-off scatter; 9 curve charts (seconds, penalty_weight, loss, acc, recon_mse,"
                + " violation, satisfied, the multiplier statistics, dual_positive); 7 histograms (recon_mse of fixed,"
                + " penalty and alm on train and test, alm's multipliers); 1 box plot");
        assertTrue(dom.contains("data-chart=\"loss\" data-expected-series=\"8\""));
        // the new charts drawn by Chart.js with their series: fixed, penalty and alm points (plain is a line);
        // alm's mean, p90 and max of λ_i; the multiplier bars
        assertTrue(dom.contains("data-chart=\"tradeoff\" data-expected-series=\"3\" data-series-count=\"3\""), "trade-off drawn");
        assertTrue(dom.contains("data-chart=\"stats-dual\" data-expected-series=\"3\" data-series-count=\"3\""), "multiplier curves drawn");
        assertTrue(dom.contains("data-chart=\"hist-alm-train-multiplier\" data-expected-series=\"1\" data-series-count=\"1\""),
                "multiplier histogram drawn");
        assertTrue(count(dom, "<canvas") == charts && count(dom, "<svg") == charts, "canvas and svg per chart");

        Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium("--screenshot=" + screenshot, "--window-size=1280,2400", "--hide-scrollbars");
        assertTrue(Files.exists(screenshot), "no screenshot");
        assertTrue(Files.size(screenshot) > 50_000, "screenshot suspiciously small: " + Files.size(screenshot));
    }

    @Test
    void fairnessPageRendersWithoutErrorsAndScreenshotIsTaken() throws Exception {
        String dom = chromium(fairnessReport, "--dump-dom");
        int charts = drawnCharts(dom);
        assertEquals(1 + FAIRNESS_METHODS.size(), charts, "the loss chart, one gap chart per method");
        assertTrue(dom.contains("data-chart=\"fairness-loss\" data-expected-series=\"10\" data-series-count=\"10\""));
        assertTrue(dom.contains("data-chart=\"fairness-gap-sslalm\" data-expected-series=\"8\" data-series-count=\"8\""),
                "4 groups × train, test");
        assertTrue(count(dom, "<canvas") == charts && count(dom, "<svg") == charts, "canvas and svg per chart");

        Path screenshot = Path.of("target", "fairness-report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium(fairnessReport, "--screenshot=" + screenshot, "--window-size=1280,2400", "--hide-scrollbars");
        assertTrue(Files.exists(screenshot), "no screenshot");
        assertTrue(Files.size(screenshot) > 50_000, "screenshot suspiciously small: " + Files.size(screenshot));
    }

    @Test
    void weightsPageRendersWithoutErrorsAndScreenshotIsTaken() throws Exception {
        String dom = chromium(weightsReport, "--dump-dom");
        int charts = drawnCharts(dom);
        assertEquals(4, charts, "accuracy and CV_{p=2} for each of 2 datasets × 1 constraint set");
        assertTrue(dom.contains("data-chart=\"weights-mnist-l2-orth-cv2\" data-expected-series=\"2\" data-series-count=\"2\""),
                "the log-scale chart drawn, one line per method");
        assertTrue(count(dom, "<canvas") == charts && count(dom, "<svg") == charts, "canvas and svg per chart");

        Path screenshot = Path.of("target", "weights-report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium(weightsReport, "--screenshot=" + screenshot, "--window-size=1280,2400", "--hide-scrollbars");
        assertTrue(Files.exists(screenshot), "no screenshot");
        assertTrue(Files.size(screenshot) > 50_000, "screenshot suspiciously small: " + Files.size(screenshot));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
