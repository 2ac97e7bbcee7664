package dev.constrained4j.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes MNIST-like run folders in the runners' format (run.json, metrics.csv with a warm-up and
 * the modes plain, fixed, penalty and alm, per-sample CSVs, PNGs, a downstream table), with
 * plausible seeded values: accuracy near 0.98, reconstruction MSE around the bound 0.01, plain's
 * constraint cells empty, the multiplier statistics ({@code dual_*}) empty except for alm, whose
 * training samples also have a {@code multiplier} column (most λ_i zero, a long tail).
 */
final class RunFolderFixture {

    static final List<String> MODES = List.of("plain", "fixed", "penalty", "alm");
    /** The modes with a decoder, hence per-sample files, histograms and images. */
    static final List<String> DECODER_MODES = List.of("fixed", "penalty", "alm");
    static final int BEST_EPOCH_PENALTY = 7;
    static final int BEST_EPOCH_FIXED = 9;
    static final int BEST_EPOCH_ALM = 8;
    static final int MULTIPLIER_BINS = 60;
    static final String ALM_TRAIN_SAMPLES = "samples/alm-train.csv";
    static final String DUAL_COLUMNS = "dual_mean,dual_max,dual_p50,dual_p90,dual_p99,dual_positive";
    static final String HEADER = "mode,phase,epoch,seconds,penalty_weight,train_loss,train_acc,train_recon_mse,"
            + "train_violation,train_satisfied,test_loss,test_acc,test_recon_mse,test_violation,test_satisfied,"
            + DUAL_COLUMNS;
    static final int COLUMNS = HEADER.split(",").length;

    private RunFolderFixture() {
    }

    /**
     * @param dir    the run folder to create
     * @param runId  the run id
     * @param title  the title
     * @param seed   the seed of the values
     * @param epochs refinement epochs per mode
     * @return {@code dir}
     */
    static Path mnistRun(Path dir, String runId, String title, long seed, int epochs) {
        return mnistRun(dir, runId, title, seed, epochs, MODES);
    }

    /**
     * @param dir    the run folder to create
     * @param runId  the run id
     * @param title  the title
     * @param seed   the seed of the values
     * @param epochs refinement epochs per mode
     * @param modes  the modes run, a subset of {@link #MODES} in its order (the dual columns are
     *               written even without alm, empty, as the runner does)
     * @return {@code dir}
     */
    static Path mnistRun(Path dir, String runId, String title, long seed, int epochs, List<String> modes) {
        List<String> decoders = DECODER_MODES.stream().filter(modes::contains).toList();
        try {
            Files.createDirectories(dir.resolve("samples"));
            Files.createDirectories(dir.resolve("images"));
            Random rng = new Random(seed);
            StringBuilder csv = new StringBuilder(HEADER).append('\n');
            for (int e = 0; e < 5; e++) {
                double loss = 0.4 / (e + 1);
                csv.append(String.format(Locale.ROOT, "warm,warm,%d,%.2f,,%.5f,%.5f,,,,%.5f,%.5f,,,,,,,,,%n", e, 3.1 + e,
                        loss, 0.9 + 0.015 * e, loss * 1.1, 0.9 + 0.014 * e));
            }
            for (String mode : modes) {
                for (int e = 0; e < epochs; e++) {
                    double loss = 0.08 * Math.exp(-0.1 * e) + 0.02 + 0.002 * rng.nextGaussian();
                    double acc = 0.975 + 0.01 * (1 - Math.exp(-0.2 * e)) + 0.001 * rng.nextGaussian();
                    String tau = switch (mode) {
                        case "plain" -> "";
                        case "fixed" -> "1";
                        case "alm" -> "10";
                        default -> String.format(Locale.ROOT, "%.6f", 100 * Math.pow(1.01, e));
                    };
                    csv.append(mode).append(",refine,").append(e).append(',')
                            .append(String.format(Locale.ROOT, "%.2f", 4.2 + rng.nextDouble())).append(',').append(tau);
                    for (double scale : new double[] {1.0, 1.08}) {
                        csv.append(String.format(Locale.ROOT, ",%.6f,%.6f", loss * scale, acc - 0.004 * (scale - 1) * 10));
                        if (mode.equals("plain")) {
                            csv.append(",,,");
                        } else {
                            double mse = 0.02 * Math.exp(-0.25 * e) + 0.008 + 0.0002 * rng.nextGaussian();
                            double viol = Math.max(0, mse - 0.01) * 0.6;
                            double sat = Math.min(1, (mode.equals("alm") ? 0.4 : 0.3) + 0.06 * e) / scale;
                            csv.append(String.format(Locale.ROOT, ",%.6f,%.7f,%.5f", mse * scale, viol, sat));
                        }
                    }
                    if (mode.equals("alm")) {
                        // multipliers grow while violations remain; the median stays 0 (most images satisfied)
                        double mean = 0.002 * (1 - Math.exp(-0.3 * (e + 1)));
                        csv.append(String.format(Locale.ROOT, ",%.6g,%.6g,0,%.6g,%.6g,%.5f", mean, 40 * mean, 3 * mean,
                                15 * mean, 0.3 * Math.exp(-0.05 * e)));
                    } else {
                        csv.append(",,,,,,");
                    }
                    csv.append('\n');
                }
            }
            Files.writeString(dir.resolve("metrics.csv"), csv);
            for (String mode : decoders) {
                samples(dir.resolve("samples/" + mode + "-train.csv"), rng, 1200, mode.equals("alm"));
                samples(dir.resolve("samples/" + mode + "-test.csv"), rng, 300, false);
            }
            image(dir.resolve("images/penalty-reconstructions.png"), rng);
            if (modes.contains("alm")) {
                image(dir.resolve("images/alm-largest-multipliers.png"), rng);
            }
            Files.writeString(dir.resolve("downstream.csv"), "model,clean_acc,watermarked_acc\nbaseline,0.91,0.88\npenalty,0.91,\n");
            Files.writeString(dir.resolve("run.json"), runJson(runId, title, epochs, modes));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void image(Path file, Random rng) throws IOException {
        BufferedImage image = new BufferedImage(56, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 56; x++) {
                image.getRaster().setSample(x, y, 0, ((x / 4 + y / 4) % 2) * 200 + rng.nextInt(50));
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void samples(Path file, Random rng, int n, boolean multipliers) throws IOException {
        StringBuilder s = new StringBuilder(multipliers ? "index,recon_mse,multiplier\n" : "index,recon_mse\n");
        for (int i = 0; i < n; i++) {
            // log-normal around 0.008, with a tail beyond 0.04
            double v = 0.008 * Math.exp(0.45 * rng.nextGaussian());
            if (i % 97 == 0) {
                v = 0.045 + 0.01 * rng.nextDouble();
            }
            s.append(i).append(',').append(String.format(Locale.ROOT, "%.7f", v));
            if (multipliers) {
                // λ_i grows with the violation MSE_i − B; satisfied images keep λ_i = 0, written as the runner does ("0.0")
                s.append(',').append(v > 0.01 ? Float.toString((float) (0.5 * (v - 0.01) * (1 + 0.2 * rng.nextDouble()))) : "0.0");
            }
            s.append('\n');
        }
        Files.writeString(file, s);
    }

    private static String runJson(String runId, String title, int epochs, List<String> modeList) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode run = json.createObjectNode();
        run.put("runId", runId).put("experiment", "mnist").put("title", title).put("status", "completed")
                .put("startTime", "2026-11-21T10:00:00Z").put("endTime", "2026-11-21T10:42:00Z")
                .put("gitCommit", "7d6532b").put("backend", "CPU (nd4j-native)").put("threads", 2);
        run.putObject("seeds").put("master", 123).put("data", 124).put("init", 125);
        run.putObject("dataSha256").put("train-images-idx3-ubyte",
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
        run.putObject("versions").put("java", "17.0.15").put("dl4j", "1.0.0-M2.1");
        ObjectNode config = run.putObject("config");
        config.put("epochs", epochs).put("batchSize", 128).put("lr", 1e-3).put("penaltyBase", 100.0)
                .put("penaltyGrow", 1.01).put("bound", 0.01).put("shuffle", true).put("title", title);
        ArrayNode configModes = config.putArray("modes");
        modeList.forEach(configModes::add);
        run.putArray("deviations").add("Decoder initialised with U(-1/sqrt(fan_in), 1/sqrt(fan_in)) as in PyTorch.")
                .add("Plain mode keeps its last epoch (the reference's selection for plain is buggy).");
        ArrayNode modes = run.putArray("modes");
        modeList.forEach(modes::add);
        ObjectNode results = run.putObject("results");
        for (String mode : modeList) {
            int best = switch (mode) {
                case "fixed" -> BEST_EPOCH_FIXED;
                case "penalty" -> BEST_EPOCH_PENALTY;
                case "alm" -> BEST_EPOCH_ALM;
                default -> epochs - 1;
            };
            results.putObject(mode).put("bestEpoch", best)
                    .put("selectedBy", mode.equals("plain") ? "last epoch" : "max train_satisfied")
                    .put("lastEpoch", epochs - 1);
        }
        ObjectNode report = run.putObject("report");
        report.putArray("splits").add("train").add("test");
        report.putObject("constraint").put("column", "recon_mse").put("bound", 0.01).put("satisfiedColumn", "satisfied");
        ArrayNode histograms = report.putArray("histograms");
        ArrayNode images = report.putArray("images");
        images.addObject().put("file", "images/penalty-reconstructions.png")
                .put("caption", "Test digits (left) and their reconstructions (right), penalty mode");
        for (String mode : DECODER_MODES.stream().filter(modeList::contains).toList()) {
            for (String split : List.of("train", "test")) {
                histograms.addObject().put("file", "samples/" + mode + "-" + split + ".csv").put("column", "recon_mse")
                        .put("binWidth", 2e-4).put("min", 0).put("max", 0.04).put("bound", 0.01)
                        .put("mode", mode).put("split", split);
            }
            if (mode.equals("alm")) {
                // as MnistExperiment.describe writes it: a bin count, no range
                histograms.addObject().put("file", ALM_TRAIN_SAMPLES).put("column", "multiplier")
                        .put("bins", MULTIPLIER_BINS).put("mode", mode).put("split", "train")
                        .put("title", "Per-image multipliers λ_i, alm, train (best epoch)");
                images.addObject().put("file", "images/alm-largest-multipliers.png")
                        .put("caption", "alm: the training digits with the largest multipliers λ_i (top) and their"
                                + " reconstructions (bottom), best epoch");
            }
        }
        report.putArray("boxplots").addObject().put("file", "samples/penalty-test.csv").put("column", "recon_mse")
                .put("mode", "penalty").put("split", "test");
        report.putArray("tables").addObject().put("file", "downstream.csv").put("title", "Downstream accuracy");
        report.putObject("metricTitles").put("loss", "Cross-entropy loss").put("acc", "Accuracy")
                .put("recon_mse", "Reconstruction MSE").put("satisfied", "Fraction satisfied")
                .put("penalty_weight", "Penalty coefficient τ (λ for fixed, ρ for alm)")
                .put("dual_mean", "Mean multiplier λ_i (alm)").put("dual_max", "Largest multiplier λ_i (alm)");
        report.putArray("logScale").add("penalty_weight");
        return run.toPrettyString();
    }
}
