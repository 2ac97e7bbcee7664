package dev.constrained4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.hidden.HiddenExperiment;
import dev.constrained4j.runners.run.MetricsCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny run of the HiDDeN issue on the shipped MRI slices (16 px, 8 bits, 4 channels, 8 training and 4
 * validation and test images, batch 4, 2 epochs): baseline and PSNR ≥ 30, then what a user reads in the run folder.
 */
class HiddenEndToEndTest {

    @TempDir
    Path out;

    /** The options of the tiny run, without the output folder. */
    static List<String> tinyOptions() {
        return List.of("-d", RepoPaths.mriSlices().toString(), "-s", "16", "-m", "8", "--channels", "4",
                "--train-limit", "8", "--val-limit", "4", "--test-limit", "4", "-b", "4", "-e", "2",
                "--downstream-epochs", "1", "--seed", "7");
    }

    @Test
    void tinyRunWritesRecordMetricsTestSamplesDownstreamTableAndReport() throws Exception {
        List<String> args = new ArrayList<>(List.of("hidden", "new", "--baseline", "--penalty", "0.1", "1.1", "1",
                "--PSNR", "30", "-o", out.toString()));
        args.addAll(tinyOptions());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        Path dir = onlyRun(out);

        JsonNode record = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals("completed", record.path("status").asText());
        assertEquals("hidden", record.path("experiment").asText());
        assertEquals("[\"baseline\",\"psnr30\"]", record.path("modes").toString());
        for (String key : List.of("gitCommit", "backend", "startTime", "endTime", "seeds", "versions", "config",
                "dataSha256", "deviations", "downstream")) {
            assertTrue(record.hasNonNull(key), "run.json lacks " + key);
        }
        assertEquals(1, record.path("results").path("baseline").path("bestEpoch").asInt(), "the baseline keeps its last epoch");
        assertEquals("highest val_satisfied, then lowest val_ber",
                record.path("results").path("psnr30").path("selectedBy").asText());
        assertEquals(1, record.path("results").path("psnr30").path("lastEpoch").asInt());
        JsonNode hints = record.path("report");
        assertEquals("[\"train\",\"val\"]", hints.path("splits").toString());
        assertEquals(30.0, hints.path("constraint").path("bound").asDouble());
        assertEquals(2 * 2 * 2, hints.path("boxplots").size(), "BER and PSNR, last and best, two modes");
        assertEquals(3, hints.path("tables").size(), "test summary, downstream, trade-off");
        assertEquals(30.0, hints.path("histograms").get(1).path("bound").asDouble());
        assertEquals("min", hints.path("histograms").get(1).path("boundSense").asText(), "PSNR_i >= T is a floor");

        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        List<String> header = new ArrayList<>(RunFiles.METRICS_LEADING);
        header.addAll(HiddenExperiment.METRICS);
        assertEquals(String.join(",", header), lines.get(0));
        assertTrue(lines.get(0).contains(",val_ber,") && lines.get(0).contains(",train_satisfied,"));
        assertEquals(1 + 2 * 2, lines.size(), "two rows per model");
        String[] baseline = lines.get(1).split(",", -1);
        assertEquals(0.7, Double.parseDouble(baseline[header.indexOf("penalty_weight")]), 0.0,
                "the baseline is the fixed penalty 0.7·MSE");
        assertEquals("", baseline[header.indexOf("dual_mean")], "the baseline has no multipliers");
        assertEquals("", baseline[header.indexOf("val_satisfied")], "the baseline has no bound");
        String[] psnr1 = lines.stream().filter(l -> l.startsWith("psnr30,train,1,")).findFirst().orElseThrow()
                .split(",", -1);
        assertEquals(0.11, Double.parseDouble(psnr1[header.indexOf("penalty_weight")]), 1e-12, "τ = 0.1 · 1.1 in epoch 1");
        double satisfied = Double.parseDouble(psnr1[header.indexOf("val_satisfied")]);
        assertTrue(satisfied >= 0 && satisfied <= 1);
        double ber = Double.parseDouble(psnr1[header.indexOf("val_ber")]);
        assertTrue(ber >= 0 && ber <= 1);

        for (String file : List.of("samples/baseline-test.csv", "samples/psnr30-test.csv", "samples/psnr30-test-best.csv")) {
            List<String> rows = Files.readAllLines(dir.resolve(file));
            assertEquals("index,psnr,ber", rows.get(0), file);
            assertEquals(1 + 4, rows.size(), file + ": one row per test image");
        }
        List<String> downstream = Files.readAllLines(dir.resolve(HiddenExperiment.DOWNSTREAM_TABLE));
        assertEquals("images,checkpoint,accuracy,macro_auc,d_accuracy,d_accuracy_lo95,d_accuracy_hi95,d_macro_auc,"
                + "d_macro_auc_lo95,d_macro_auc_hi95," + String.join(",", dev.constrained4j.data.images.MriSlices
                .CLASSES.stream().map(c -> "auc_" + c).toList()), downstream.get(0));
        assertEquals(List.of("clean", "baseline", "psnr30", "psnr30"),
                downstream.stream().skip(1).map(l -> l.split(",")[0]).toList());
        // The clean row has no difference; every watermarked row's lies in its own interval.
        assertEquals("", downstream.get(1).split(",", -1)[4]);
        for (String line : downstream.subList(2, downstream.size())) {
            String[] cells = line.split(",", -1);
            double d = Double.parseDouble(cells[4]);
            assertTrue(Double.parseDouble(cells[5]) <= d && d <= Double.parseDouble(cells[6]), line);
        }
        List<String> summary = Files.readAllLines(dir.resolve(HiddenExperiment.TEST_TABLE));
        assertTrue(summary.get(0).endsWith(",satisfied,psnr_ge_30"), summary.get(0));
        assertEquals(1 + 3, summary.size(), "baseline last, psnr30 last and best");
        List<String> tradeoff = Files.readAllLines(dir.resolve(HiddenExperiment.TRADEOFF_TABLE));
        assertEquals("model,method,floor_db,epoch,mean_psnr,median_psnr,mean_ber,median_ber,satisfied,point",
                tradeoff.get(0));
        assertEquals(List.of("baseline,baseline", "psnr30,penalty"),
                tradeoff.stream().skip(1).map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1))).toList(),
                "one row per model at its selected weights");

        for (String file : List.of("baseline-last.hidden", "psnr30-best.hidden", "psnr30-last.hidden",
                "images/psnr30/epoch-000.png", "images/psnr30/epoch-001.png", "images/baseline-example.png",
                "images/psnr30-example.png", "report.html", "progress.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), "missing " + file);
        }
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("data-chart=\"psnr\""), "PSNR curves");
        assertTrue(html.contains("data-chart=\"dec_mse\""), "decoder-MSE curves");
        assertTrue(html.contains("box-ber-"), "BER box plots");
        assertTrue(html.contains("hist-psnr30-test-psnr"), "PSNR histogram of the test split with the bound");
        assertTrue(html.contains("below the floor") || html.contains("at or above the floor"),
                "the histogram counts the images below the floor");
        assertTrue(html.contains("data-chart=\"scatter-0\" data-expected-series=\"2\""),
                "the BER-PSNR trade-off: baseline and penalty");
        assertTrue(html.contains("Downstream check"), "the downstream table");
        assertFalse(html.contains("<script src="), "report must be self-contained");
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    /**
     * {@code --method penalty,alm}: the floor trained by both methods side by side, the augmented Lagrangian's
     * multipliers (one per training image, all violating at this size) logged per epoch, its ρ as the coefficient.
     */
    @Test
    void penaltyAndAugmentedLagrangianSideBySide(@TempDir Path other) throws Exception {
        List<String> args = new ArrayList<>(List.of("hidden", "new", "--PSNR", "30", "--method", "penalty,alm",
                "--alm-rho", "0.2", "-o", other.toString()));
        args.addAll(tinyOptions());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        Path dir = onlyRun(other);
        JsonNode record = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals("[\"psnr30\",\"psnr30-alm\"]", record.path("modes").toString());
        assertEquals("[\"penalty\",\"alm\"]", record.path("config").path("methods").toString());

        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        String[] alm1 = lines.stream().filter(l -> l.startsWith("psnr30-alm,train,1,")).findFirst().orElseThrow()
                .split(",", -1);
        assertEquals(0.2, Double.parseDouble(alm1[header.indexOf("penalty_weight")]), 0.0, "alm records ρ");
        // every image violates 30 dB here, so each multiplier grew by η·(30 − PSNR_i) > 0 in each epoch
        assertEquals(1.0, Double.parseDouble(alm1[header.indexOf("dual_positive")]), 0.0);
        assertTrue(Double.parseDouble(alm1[header.indexOf("dual_mean")]) > 0.2 * 2 * 10, "two steps of ≥ 0.2·10 dB");
        String[] penalty1 = lines.stream().filter(l -> l.startsWith("psnr30,train,1,")).findFirst().orElseThrow()
                .split(",", -1);
        assertEquals("", penalty1[header.indexOf("dual_mean")], "the penalty has no multipliers");
        assertTrue(Files.isRegularFile(dir.resolve("psnr30-alm-best.hidden")));
    }

    /**
     * {@code --extra-train-dir data/grey-images} adds the shipped grey images (151, listed in its sources.csv) to the 8
     * training slices; validation and test stay the 4 + 4 MRI slices and the downstream classifier still trains on the
     * 8 labelled slices alone.
     */
    @Test
    void extraCarriersJoinTheTrainingSplitOnly(@TempDir Path other) throws Exception {
        int extra = Files.readAllLines(RepoPaths.greyImages().resolve("sources.csv")).size() - 1;
        List<String> args = new ArrayList<>(List.of("hidden", "new", "--PSNR", "30", "--no-report", "-o",
                other.toString(), "--extra-train-dir", RepoPaths.greyImages().toString()));
        args.addAll(tinyOptions());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode record = new ObjectMapper().readTree(onlyRun(other).resolve("run.json").toFile());
        JsonNode sizes = record.path("dataSizes");
        assertEquals(151, extra, "data/grey-images/sources.csv lists the shipped images");
        assertEquals(8 + extra, sizes.path("train").asInt());
        assertEquals(extra, sizes.path("extraTrain").asInt());
        assertEquals(4, sizes.path("val").asInt());
        assertEquals(4, sizes.path("test").asInt());
        assertTrue(record.path("config").path("extraTrainDir").asText().endsWith("grey-images"));
        assertTrue(record.path("deviations").toString().contains("Extra carriers: the " + extra + " images of"),
                record.path("deviations").toString());
        assertEquals(8, record.path("downstream").path("trainImages").asInt(), record.path("downstream").toString());
    }

    @Test
    void samediffEngineRunsTheSameTinyRunToFloatRounding(@TempDir Path other) throws Exception {
        List<String> common = new ArrayList<>(List.of("hidden", "new", "--PSNR", "30", "--no-report"));
        common.addAll(tinyOptions());
        List<String> fusedArgs = new ArrayList<>(common);
        fusedArgs.addAll(List.of("-o", out.toString()));
        List<String> graphArgs = new ArrayList<>(common);
        graphArgs.addAll(List.of("--engine", "samediff", "-o", other.toString()));
        CliRun fused = CliRun.of(fusedArgs.toArray(String[]::new));
        CliRun graphs = CliRun.of(graphArgs.toArray(String[]::new));
        assertEquals(0, fused.exitCode(), fused.err());
        assertEquals(0, graphs.exitCode(), graphs.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals("FUSED", json.readTree(onlyRun(out).resolve("run.json").toFile()).path("config").path("engine")
                .asText());
        assertEquals("SAMEDIFF", json.readTree(onlyRun(other).resolve("run.json").toFile()).path("config")
                .path("engine").asText());
        List<String> a = Files.readAllLines(onlyRun(out).resolve("metrics.csv"));
        List<String> b = Files.readAllLines(onlyRun(other).resolve("metrics.csv"));
        assertEquals(a.get(0), b.get(0));
        assertEquals(a.size(), b.size());
        List<String> header = List.of(a.get(0).split(","));
        for (String column : List.of("train_psnr", "val_psnr", "train_dec_mse", "val_dec_mse", "val_loss")) {
            int c = header.indexOf(column);
            assertTrue(c >= 0, column);
            for (int row = 1; row < a.size(); row++) {
                double x = Double.parseDouble(a.get(row).split(",")[c]);
                double y = Double.parseDouble(b.get(row).split(",")[c]);
                // four Adam steps from the same state: float rounding, amplified by Adam on tiny gradients
                assertEquals(y, x, 0.02 * Math.abs(y), column + " row " + row);
            }
        }
    }

    static Path onlyRun(Path out) throws Exception {
        try (Stream<Path> dirs = Files.list(out)) {
            List<Path> runs = dirs.filter(d -> d.getFileName().toString().contains("-hidden")).toList();
            assertEquals(1, runs.size(), "one run folder in " + out + ": " + runs);
            return runs.get(0);
        }
    }
}
