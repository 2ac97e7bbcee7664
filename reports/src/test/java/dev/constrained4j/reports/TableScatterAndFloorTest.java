package dev.constrained4j.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HiDDeN-style hints: a scatter of a table's columns, and a histogram whose bound is a floor. */
class TableScatterAndFloorTest {

    @TempDir
    Path temp;

    private Path run(String tradeoff, String psnr) throws IOException {
        Path dir = RunFolderFixture.mnistRun(temp.resolve("run"), "hidden-like", "HiDDeN-like", 7, 4);
        Files.createDirectories(dir.resolve("tables"));
        Files.writeString(dir.resolve("tables/tradeoff.csv"), tradeoff);
        Files.writeString(dir.resolve("samples/psnr30-test.csv"), psnr);
        ObjectMapper json = new ObjectMapper();
        ObjectNode record = (ObjectNode) json.readTree(dir.resolve("run.json").toFile());
        ObjectNode report = (ObjectNode) record.get("report");
        report.putArray("scatters").addObject().put("file", "tables/tradeoff.csv").put("x", "mean_psnr")
                .put("y", "mean_ber").put("series", "method").put("note", "point").put("xLabel", "mean PSNR (dB)")
                .put("title", "BER against PSNR").put("caption", "One point per model.");
        report.withArray("histograms").addObject().put("file", "samples/psnr30-test.csv").put("column", "psnr")
                .put("binWidth", 1.0).put("min", 0.0).put("max", 80.0).put("bound", 30.0).put("boundSense", "min")
                .put("mode", "psnr30").put("split", "test");
        Files.writeString(dir.resolve("run.json"), record.toPrettyString());
        return dir;
    }

    @Test
    void aTableScatterHasOneSeriesPerMethodAndOnePointPerFiniteRow() throws IOException {
        String page = ReportBuilder.render(List.of(run("""
                model,method,mean_psnr,mean_ber,point
                baseline,baseline,26.2,0.198,baseline · last epoch 99
                psnr30,penalty,33.2,0.380,psnr30 · best-feasible epoch 40
                psnr40,penalty,44.6,0.440,psnr40 · best-feasible epoch 97
                psnr30-alm,alm,40.2,0.374,psnr30-alm · best-feasible epoch 99
                psnr50-alm,alm,,0.5,never evaluated
                """, "index,psnr,ber\n0,31,0.1\n")));
        String json = ReportBuilderTest.chartJson(page, "scatter-0");
        assertTrue(page.contains("data-chart=\"scatter-0\" data-expected-series=\"3\""), "baseline, penalty, alm");
        assertTrue(json.contains("\"label\":\"penalty\"") && json.contains("\"x\":[33.2,44.6]")
                && json.contains("\"y\":[0.38,0.44]"), json);
        assertTrue(json.contains("\"x\":[40.2]"), "the alm row without a PSNR is left out: " + json);
        assertTrue(json.contains("\"notes\":[\"psnr30 · best-feasible epoch 40\",\"psnr40 · best-feasible epoch 97\"]"),
                json);
        String figure = ReportBuilderTest.figure(page, "scatter-0");
        assertTrue(figure.contains("BER against PSNR") && figure.contains("One point per model."), figure);
        assertTrue(figure.contains("psnr30 · best-feasible epoch 40: 33.2, 0.38"), "SVG tooltip: " + figure);
        int tradeoff = page.indexOf("<section id=\"tradeoff\"");
        int curves = page.indexOf("<section id=\"curves\"");
        int at = page.indexOf("data-chart=\"scatter-0\"");
        assertTrue(tradeoff < at && at < curves, "in the trade-off section");
    }

    @Test
    void aFloorHistogramCountsTheSamplesBelowItAndByHowMuch() throws IOException {
        // 5 images: 31, 30 (on the floor: satisfied), 29.5, 27, 33 → 2 below, shortfalls 0.5 and 3: mean 1.75, max 3.
        String page = ReportBuilder.render(List.of(run("model,method,mean_psnr,mean_ber,point\n",
                "index,psnr,ber\n0,31,0.1\n1,30,0.2\n2,29.5,0.3\n3,27,0.1\n4,33,0.2\n")));
        String figure = ReportBuilderTest.figure(page, "hist-psnr30-test-psnr");
        assertTrue(figure.contains("Dashed line: floor T = 30. 2 of 5 samples (40%) below the floor, by 1.75 on average"
                + " and at most 3."), figure);
        StringBuilder none = new StringBuilder();
        ChartFactory.violations(none, new double[] {0.004, 0.01, Double.NaN}, 0.01, false);
        assertEquals(" Every one of the 2 samples is at or below the bound.", none.toString());
    }
}
