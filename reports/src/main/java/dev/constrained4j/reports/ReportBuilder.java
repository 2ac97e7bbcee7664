package dev.constrained4j.reports;

import dev.constrained4j.reports.chart.Chart;
import dev.constrained4j.reports.fairness.FairnessReport;
import dev.constrained4j.reports.html.ChartLibrary;
import dev.constrained4j.reports.html.ReportPage;
import dev.constrained4j.reports.record.RunFolder;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.reports.weights.WeightsReport;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one self-contained HTML report from one or several run folders (the contract written by
 * the runners: {@code run.json}, {@code metrics.csv}, {@code samples/*.csv}, images, tables). With
 * several runs the page compares them side by side. A run whose report hints are of kind
 * {@code fairness} is shown by method over its seeds instead ({@link FairnessReport}: a final table
 * and curves of every group's gap), and one of kind {@code weights} by dataset, constraint set and
 * method ({@link WeightsReport}: seed 002's Table 1 and curves of accuracy and CV_{p=2}). The page needs no network: Chart.js, CSS, data
 * and images are inlined, and every chart also has a static SVG for printing and no-JavaScript.
 *
 * <p>Usage: {@code ReportBuilder.write(List.of(runDir), runDir.resolve("report.html"))}, or from the
 * command line {@code java -cp … dev.constrained4j.reports.ReportBuilder OUT.html RUN_DIR…}.
 */
public final class ReportBuilder {

    private ReportBuilder() {
    }

    /**
     * Reads the run folders and writes the report atomically: the page is written to a temporary
     * file in the output's folder, then moved over {@code outputHtml}, so a reader never sees a
     * half-written report and no temporary file is left behind, even on failure.
     *
     * @param runDirs    the run folders, at least one, in the order to show them
     * @param outputHtml the report to write (replaced if it exists); its folder is created if needed
     * @return {@code outputHtml}
     * @throws ReportException if a {@code run.json} or {@code metrics.csv} is missing or malformed,
     *                         or the report cannot be written; the message names the file
     * @throws IllegalArgumentException if {@code runDirs} is empty
     */
    public static Path write(List<Path> runDirs, Path outputHtml) {
        String html = render(runDirs);
        try {
            AtomicFiles.writeString(outputHtml.toAbsolutePath(), html);
        } catch (UncheckedIOException e) {
            throw new ReportException(outputHtml.toAbsolutePath() + ": cannot write the report ("
                    + e.getCause().getMessage() + ")", e);
        }
        return outputHtml;
    }

    /**
     * Renders the report page without writing it.
     *
     * @param runDirs the run folders, at least one
     * @return the HTML document
     * @throws ReportException if a {@code run.json} or {@code metrics.csv} is missing or malformed
     */
    public static String render(List<Path> runDirs) {
        if (runDirs.isEmpty()) {
            throw new IllegalArgumentException("no run folder given");
        }
        List<RunFolder> runs = new ArrayList<>();
        for (Path dir : runDirs) {
            runs.add(RunFolder.read(dir));
        }
        List<String> warnings = new ArrayList<>();
        // A fairness or weights run has its own table and curves per method; the others share the per-mode ones.
        List<RunFolder> fairnessRuns = runs.stream().filter(r -> r.record().hints().fairness() != null).toList();
        List<FairnessReport> fairness = new ArrayList<>();
        for (int i = 0; i < fairnessRuns.size(); i++) {
            fairness.add(FairnessReport.of(fairnessRuns.get(i), fairnessRuns.size() > 1 ? "run" + (i + 1) + "-" : "",
                    warnings));
        }
        List<RunFolder> weightsRuns = runs.stream().filter(r -> r.record().hints().weights() != null).toList();
        List<WeightsReport> weights = new ArrayList<>();
        for (int i = 0; i < weightsRuns.size(); i++) {
            weights.add(WeightsReport.of(weightsRuns.get(i), weightsRuns.size() > 1 ? "run" + (i + 1) + "-" : "",
                    warnings));
        }
        List<RunFolder> others = runs.stream().filter(r -> !r.record().hints().aggregated()).toList();
        List<Chart> charts = others.isEmpty() ? List.of() : new ChartFactory(others, warnings).all();
        return ReportPage.render(runs, charts, fairness, weights, warnings, ChartLibrary.load());
    }

    /**
     * Command line: {@code OUT.html RUN_DIR [RUN_DIR…]}.
     *
     * @param args the output file, then the run folders
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ReportBuilder OUT.html RUN_DIR [RUN_DIR...]");
            System.exit(2);
        }
        List<Path> dirs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            dirs.add(Path.of(args[i]));
        }
        try {
            System.out.println(write(dirs, Path.of(args[0])));
        } catch (ReportException e) {
            System.err.println("report: " + e.getMessage());
            System.exit(1);
        }
    }
}
