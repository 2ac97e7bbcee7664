package dev.constrained4j.runners.hidden;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.data.DataException;
import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.images.ImageSet;
import dev.constrained4j.models.hidden.HiddenNetworks;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.MultiplierStatistics;
import dev.constrained4j.models.hidden.HiddenSystem;
import dev.constrained4j.models.hidden.fast.FusedHidden;
import dev.constrained4j.reports.run.RunFiles.Key;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.engine.ConsoleProgress;
import dev.constrained4j.runners.engine.ConstrainedTrainer;
import dev.constrained4j.runners.engine.DivergenceCheck;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.NativeThreads;
import dev.constrained4j.runners.engine.Selection;
import dev.constrained4j.runners.engine.Stage;
import dev.constrained4j.runners.engine.StageProgress;
import dev.constrained4j.runners.run.Continuation;
import dev.constrained4j.runners.run.MetricsCsv;
import dev.constrained4j.runners.run.RecordJson;
import dev.constrained4j.runners.run.RunFolder;
import dev.constrained4j.runners.run.RunRecords;
import dev.constrained4j.runners.ui.MonitorBridge;
import dev.constrained4j.runners.ui.TrainingMonitor;
import dev.constrained4j.runners.ui.UiOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HiDDeN experiment (docs/experiments.md, "The HiDDeN experiment") from data to report: load the images, train each
 * mode (baseline, one model per PSNR bound) from the same seeded initialisation with the {@link ConstrainedTrainer},
 * then evaluate the last and best-feasible weights of every model on the test split (per-image PSNR and bit error rate)
 * and run the downstream check (a classifier trained on clean images, tested on clean and on watermarked test images).
 */
public final class HiddenExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(HiddenExperiment.class);

    /** The experiment's name in {@code run.json}. */
    public static final String EXPERIMENT = "hidden";
    /** The metric base names, per split. */
    public static final List<String> METRIC_NAMES = List.of("loss", "ber", "dec_mse", "enc_mse", "psnr",
            "satisfied", "violation", "g_adv", "d_loss");
    /** The metric columns of {@code metrics.csv}. */
    public static final List<String> METRICS = columns();
    /** The per-model test results table. */
    public static final String TEST_TABLE = "tables/test-summary.csv";
    /** The downstream classification table. */
    public static final String DOWNSTREAM_TABLE = "tables/downstream.csv";
    /** One row per model at its selected weights: the points of the BER–PSNR trade-off chart. */
    public static final String TRADEOFF_TABLE = "tables/tradeoff.csv";

    private static final long INIT_STREAM = 11;
    /** Key in {@code dataSha256} of the hash of the decoded pixels of the three splits. */
    private static final String PIXELS_SHA = "decodedPixels";

    /** What a finished run produced. */
    public record Result(Path runDir, Map<String, StageProgress> stages) {
    }

    private final List<EpochListener> extraListeners;
    private final Function<Path, UiOptions> ui;

    /**
     * @param extraListeners observers of every epoch, besides the metrics file and the console
     * @param ui             the live UI settings for a run folder, or null for none
     */
    public HiddenExperiment(List<EpochListener> extraListeners, Function<Path, UiOptions> ui) {
        this.extraListeners = List.copyOf(extraListeners);
        this.ui = ui;
    }

    private static List<String> columns() {
        List<String> all = new ArrayList<>();
        for (String split : List.of("train", "val")) {
            METRIC_NAMES.forEach(m -> all.add(split + "_" + m));
        }
        all.addAll(List.of(MultiplierStatistics.KEYS));
        return List.copyOf(all);
    }

    /** The seed of every model's initial weights and noise choices. */
    static long initSeed(HiddenRunConfig config) {
        return EpochOrder.mix(config.seed(), INIT_STREAM, 0);
    }

    /** Starts a new run in a new folder under {@code config.outDir()}. */
    public Result run(HiddenRunConfig config) {
        requireEngine(config);
        HiddenData data = HiddenData.load(config);
        try (RunFolder folder = RunFolder.create(config.outDir(),
                config.name().isEmpty() ? EXPERIMENT : EXPERIMENT + "-" + config.name())) {
            ObjectNode record = RunRecords.start(folder.runId(), EXPERIMENT,
                    "HiDDeN watermarking with a per-image PSNR constraint");
            record.set(Key.CONFIG, RecordJson.toJson(config));
            ArrayNode modes = record.putArray(Key.MODES);
            config.modes().forEach(modes::add);
            describe(record, config, data);
            folder.writeRecord(record);
            LOG.info("run folder {}", folder.dir());
            return execute(config, folder, data);
        }
    }

    /** Fails before any folder is written when the configured engine cannot run in this JVM. */
    private static void requireEngine(HiddenRunConfig config) {
        if (config.engine() == HiddenSystem.Engine.FUSED) {
            FusedHidden.requireVectorModule();
        }
    }

    /** Continues an interrupted run from its last committed epoch, with the configuration in its record. */
    public Result resume(Path runDir) {
        return resume(runDir, Continuation.NONE);
    }

    /**
     * Continues a finished or interrupted run from its last committed epoch, with the configuration in its record
     * changed as {@code changes} says: more epochs per model ({@code -e N}: every model trains on to N, as an
     * uninterrupted run of N epochs would, and the test evaluation and downstream check are made again), images read
     * from where they were moved ({@code -d DIR}, whose decoded pixels must have the recorded checksum).
     */
    public Result resume(Path runDir, Continuation changes) {
        try (RunFolder folder = RunFolder.open(runDir)) {
            ObjectNode record = RunRecords.reopen(folder, EXPERIMENT);
            changes.applyTo(record, "epochs", "dataDir", Continuation.completedEpochs(folder, record), "-e/--epochs");
            HiddenRunConfig config = RecordJson.fromJson(record.path(Key.CONFIG), HiddenRunConfig.class);
            NativeThreads.apply(config.threads()); // the recorded count, or --threads (Continuation)
            requireEngine(config);
            HiddenData data = HiddenData.load(config);
            if (!data.sha256().equals(record.path(Key.DATA_SHA256).path(PIXELS_SHA).asText())) {
                throw new DataException("the images in " + config.dataDir() + " differ from those this run started with"
                        + " (dataSha256 in run.json); point -d/--data-dir at the original images");
            }
            RunRecords.markResumed(folder, record);
            LOG.info("continuing run folder {}", folder.dir());
            return execute(config, folder, data);
        }
    }

    private static void describe(ObjectNode record, HiddenRunConfig config, HiddenData data) {
        ObjectNode seeds = record.putObject(Key.SEEDS);
        seeds.put("master", config.seed());
        seeds.put("initialisation", initSeed(config));
        seeds.put("split", "SplitConfig seed " + dev.constrained4j.data.images.SplitConfig.DEFAULT_SEED + ", 70/15/15");
        seeds.put("dataOrder", "permutation(seed, " + HiddenTask.DATA_STREAM + ", epoch), the same for every mode");
        seeds.put("trainMessages", "bits from (seed, epoch, batch)");
        seeds.put("evalMessages", "bits fixed per image from (seed, split, index)");
        seeds.put("noiseChoice", "the initialisation seed and the step number");
        record.put("data", data.kind());
        record.putObject(Key.DATA_SHA256).put(PIXELS_SHA, data.sha256());
        ObjectNode sizes = record.putObject("dataSizes");
        sizes.put("train", data.train().size());
        sizes.put("val", data.validation().size());
        sizes.put("test", data.test().size());
        if (data.extra() != null) {
            sizes.put("extraTrain", data.extra().size());
        }
        ArrayNode deviations = record.putArray(Key.DEVIATIONS);
        deviations.add("Train metrics are means over the epoch's training batches (batch norm in training mode), as the"
                + " reference logs them; validation metrics come from a full pass in evaluation mode with fixed"
                + " per-image messages.");
        deviations.add("The reference never logs the fraction of images with PSNR >= T; it is logged here (satisfied).");
        deviations.add("Best weights: a constrained model keeps the epoch with the highest validation fraction"
                + " satisfied, ties broken by the lowest validation bit error rate (best-feasible); the baseline keeps"
                + " its last epoch.");
        deviations.add("A last batch of a single image is merged into the batch before it (batch norm needs two).");
        if (!"mri-slices".equals(data.kind()) && !"chestxray14".equals(data.kind())) {
            deviations.add("Data: a folder of images (" + config.dataDir() + "), not the paper's ChestX-ray14.");
        } else if ("mri-slices".equals(data.kind())) {
            deviations.add("Data: the shipped MRI slices (docs/experiments.md), not the paper's ChestX-ray14 (not"
                    + " downloadable).");
        }
        if (config.imageSize() != 224 || config.messageBits() != 200 || config.epochs() != 200
                || config.batchSize() != 32 || config.learningRate() != 1e-4 || config.channels() != 64) {
            deviations.add(String.format(java.util.Locale.ROOT, "Size %d px, %d bits, %d channels, %d epochs, batch %d,"
                            + " Adam %s: the paper uses 224 px, 200 bits, 64 channels, 200 epochs, batch 32, Adam 1e-4.",
                    config.imageSize(), config.messageBits(), config.channels(), config.epochs(), config.batchSize(),
                    Double.toString(config.learningRate())));
        }
        if (data.extra() != null) {
            deviations.add("Extra carriers: the " + data.extra().size() + " images of " + config.extraTrainDir()
                    + " are added to the " + data.labelledTrain().size() + " training images (training only;"
                    + " validation, test and the downstream classifier use " + config.dataDir() + "'s splits).");
        }
        if (config.trainLimit() > 0 || config.valLimit() > 0 || config.testLimit() > 0) {
            deviations.add("Data limited to " + config.trainLimit() + " training / " + config.valLimit()
                    + " validation / " + config.testLimit() + " test images (0 = all).");
        }
        if (config.preciseBatchNorm()) {
            deviations.add("Precise batch norm: the encoder's and decoder's running statistics are recomputed over the"
                    + " training images before every evaluation (docs/hidden.md); the paper keeps PyTorch's momentum"
                    + " 0.1 averages.");
        }
        if (config.margin() > 0 && !config.bounds().isEmpty()) {
            deviations.add(String.format(java.util.Locale.ROOT, "Floors trained with a %s dB margin (PSNR_i >= T + %s),"
                    + " satisfaction counted at T; the paper trains at T.", Double.toString(config.margin()),
                    Double.toString(config.margin())));
        }
        if (config.lrDrop() > 0 && config.lrDrop() < config.epochs()) {
            deviations.add("Learning rates x" + HiddenRunConfig.LR_DROP_FACTOR + " after " + config.lrDrop()
                    + " epochs; the paper keeps one rate.");
        }
        deviations.add("Downstream check: a small CNN on the data set's own classes (docs/experiments.md: the analogue"
                + " of the DenseNet-121 on ChestX-ray findings); watermarked images are clipped to [0, 1] before it.");
        hints(record.putObject(Key.REPORT), config);
    }

    private static void hints(ObjectNode report, HiddenRunConfig config) {
        report.putArray("splits").add("train").add("val");
        if (!config.bounds().isEmpty()) {
            ObjectNode constraint = report.putObject("constraint");
            constraint.put("column", "psnr");
            if (config.bounds().size() == 1) {
                constraint.put("bound", config.bounds().get(0));
            }
            constraint.put("satisfiedColumn", "satisfied");
        }
        ArrayNode boxplots = report.putArray("boxplots");
        for (String column : List.of("ber", "psnr")) {
            for (String checkpoint : List.of("last", "best")) {
                for (String mode : config.modes()) {
                    ObjectNode box = boxplots.addObject();
                    box.put("file", samplesFile(mode, checkpoint));
                    box.put("column", column);
                    box.put("mode", mode);
                    box.put("split", checkpoint.equals("last") ? "test, last epoch" : "test, best-feasible epoch");
                    box.put("title", (column.equals("ber") ? "Bit error rate" : "PSNR") + " per test image, " + mode);
                }
            }
        }
        ArrayNode histograms = report.putArray("histograms");
        for (String mode : config.modes()) {
            boolean baseline = HiddenRunConfig.BASELINE.equals(mode);
            ObjectNode h = histograms.addObject();
            h.put("file", samplesFile(mode, "best"));
            h.put("column", "psnr");
            h.put("binWidth", 1.0);
            h.put("min", 0.0);
            h.put("max", 80.0);
            if (!baseline) {
                h.put("bound", config.boundOf(mode));
                h.put("boundSense", "min");
            }
            h.put("mode", mode);
            h.put("split", "test");
            h.put("title", "PSNR per test image, " + mode + (baseline ? ", last epoch" : ", best-feasible epoch (bound dashed)"));
        }
        if (!config.bounds().isEmpty()) {
            report.putArray("scatters").addObject().put("file", TRADEOFF_TABLE).put("x", "mean_psnr").put("y", "mean_ber")
                    .put("series", "method").put("note", "point").put("xLabel", "mean PSNR on the test images (dB)")
                    .put("yLabel", "mean bit error rate on the test images")
                    .put("title", "The trade-off: bit errors against image quality, every model on the test split")
                    .put("caption", "One point per model at its selected weights (a floor's best-feasible epoch,"
                            + " the baseline's last), one colour per method. Left and up: the watermark is louder and"
                            + " decodes better; right: the image is closer to its cover. The paper (224 px, 200 bits, a"
                            + " GPU): PSNR 31 / 38 / 49 / 53 dB for the baseline and the 30 / 40 / 50 dB floors at"
                            + " median BER 0.23 / 0.275 / 0.29 / 0.33.");
        }
        ArrayNode images = report.putArray("images");
        for (String mode : config.modes()) {
            ObjectNode image = images.addObject();
            image.put("file", exampleFile(mode));
            image.put("caption", mode + ": test images (top), watermarked (middle), 10× |difference| (bottom),"
                    + (HiddenRunConfig.BASELINE.equals(mode) ? " last epoch" : " best-feasible epoch"));
        }
        ArrayNode tables = report.putArray("tables");
        tables.addObject().put("file", TEST_TABLE).put("title", "Test split: PSNR, bit error rate and fraction of"
                + " images satisfying each bound, per model and checkpoint");
        tables.addObject().put("file", DOWNSTREAM_TABLE).put("title", "Downstream check: classifier trained on clean"
                + " images, tested on clean and on watermarked test images; d_* = watermarked minus clean, with its"
                + " paired bootstrap 95% interval (lo95, hi95)");
        if (!config.bounds().isEmpty()) {
            tables.addObject().put("file", TRADEOFF_TABLE).put("title", "The trade-off: every model at its selected"
                    + " weights on the test split");
        }
        ObjectNode titles = report.putObject("metricTitles");
        titles.put("loss", "Generator objective");
        titles.put("ber", "Bit error rate");
        titles.put("dec_mse", "Decoder MSE (message)");
        titles.put("enc_mse", "Encoder MSE (image)");
        titles.put("psnr", "Mean PSNR (dB)");
        titles.put("satisfied", "Fraction of images with PSNR ≥ T");
        titles.put("violation", "Mean violation max(0, T − PSNR_i) (dB)");
        titles.put("g_adv", "Generator adversarial BCE");
        titles.put("d_loss", "Discriminator BCE (cover + watermarked)");
        titles.put(RunFiles.PENALTY_WEIGHT, "Penalty coefficient τ");
        report.putArray("logScale").add(RunFiles.PENALTY_WEIGHT);
    }

    /** The per-image test file of a mode's last or best checkpoint (the baseline's best is its last). */
    static String samplesFile(String mode, String checkpoint) {
        return "samples/" + mode + "-test" + (checkpoint.equals("best") && !HiddenRunConfig.BASELINE.equals(mode)
                ? "-best" : "") + ".csv";
    }

    static String exampleFile(String mode) {
        return "images/" + mode + "-example.png";
    }

    private Result execute(HiddenRunConfig config, RunFolder folder, HiddenData data) {
        MetricsCsv csv = new MetricsCsv(folder.resolve(RunFiles.METRICS_CSV), METRICS,
                mode -> folder.progress(mode).completedEpochs());
        List<EpochListener> listeners = new ArrayList<>(List.of(csv, new ConsoleProgress()));
        listeners.addAll(extraListeners);
        try (TrainingMonitor monitor = TrainingMonitor.start(ui == null ? UiOptions.disabled() : ui.apply(folder.dir()))) {
            MonitorBridge bridge = new MonitorBridge(monitor, HiddenNetworks.encoderGraph(config.model(), DataType.FLOAT));
            listeners.add(bridge);
            return execute(config, folder, data, listeners, bridge);
        }
    }

    private Result execute(HiddenRunConfig config, RunFolder folder, HiddenData data, List<EpochListener> listeners,
                           MonitorBridge bridge) {
        ConstrainedTrainer trainer = new ConstrainedTrainer(folder, listeners,
                new DivergenceCheck(Set.of("train_loss", "val_loss")));
        HiddenOutputs outputs = new HiddenOutputs(folder.dir());
        Map<String, StageProgress> stages = new LinkedHashMap<>();
        ObjectNode record = folder.readRecord();
        try {
            ObjectNode results = record.putObject(Key.RESULTS);
            for (String mode : config.modes()) {
                HiddenTask task = new HiddenTask(mode, config, data, outputs, initSeed(config),
                        folder.resolve(bestFile(mode)), folder.resolve(lastFile(mode)),
                        config.method(mode, config.hasMultipliers(mode) ? new HeapMultipliers(data.train().size())
                                : null));
                task.setIterationListener(bridge);
                boolean baseline = HiddenRunConfig.BASELINE.equals(mode);
                Selection selection = baseline ? Selection.LAST : new Selection("val_satisfied", true, "val_ber", false);
                StageProgress p = trainer.run(new Stage(mode, "train", config.epochs(), selection), task);
                stages.put(mode, p);
                ObjectNode r = results.putObject(mode);
                r.put(Key.BEST_EPOCH, p.bestEpoch());
                r.put(Key.SELECTED_BY, selection.describe());
                r.put(Key.LAST_EPOCH, p.completedEpochs() - 1);
                r.put(Key.BEST_WEIGHTS, bestFile(mode));
                r.put(Key.LAST_WEIGHTS, lastFile(mode));
                folder.writeRecord(record);
            }
            if (config.epochs() > 0) {
                Downstream downstream = Downstream.train(config, data, record.putObject("downstream"));
                testEvaluation(config, folder, data, outputs, results, downstream);
                downstream.write(outputs);
            }
            RunRecords.finish(record, "completed");
            folder.writeRecord(record);
        } catch (RuntimeException e) {
            RunRecords.fail(folder, record, e);
            throw e;
        }
        return new Result(folder.dir(), stages);
    }

    /** The file of a mode's best-epoch system ({@link HiddenSystem#save} format). */
    static String bestFile(String mode) {
        return mode + "-best.hidden";
    }

    /** The file of a mode's last-epoch system. */
    static String lastFile(String mode) {
        return mode + "-last.hidden";
    }

    /**
     * Evaluates the last and best weights of every mode on the test split: per-image CSVs, the example picture,
     * the summary table, {@code results.<mode>.test} in the record, and the downstream classifier on the
     * watermarked test images (clipped to [0, 1]).
     */
    private static void testEvaluation(HiddenRunConfig config, RunFolder folder, HiddenData data,
                                       HiddenOutputs outputs, ObjectNode results, Downstream downstream) {
        ImageSet test = data.test();
        List<String> header = new ArrayList<>(List.of("model", "checkpoint", "epoch", "images", "mean_psnr",
                "median_psnr", "mean_ber", "median_ber", "satisfied"));
        for (double t : config.bounds()) {
            header.add("psnr_ge_" + HiddenRunConfig.modeOf(t).substring(4));
        }
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> tradeoff = new ArrayList<>();
        for (String mode : config.modes()) {
            boolean baseline = HiddenRunConfig.BASELINE.equals(mode);
            double bound = config.boundOf(mode);
            ObjectNode r = (ObjectNode) results.get(mode);
            ObjectNode testNode = r.putObject("test");
            for (String checkpoint : baseline ? List.of("last") : List.of("last", "best")) {
                HiddenSystem system = load(folder.resolve(checkpoint.equals("last") ? lastFile(mode) : bestFile(mode)))
                        .useEngine(config.engine());
                HiddenEvaluation e = HiddenEvaluation.of(system, test, config.seed(), HiddenMessages.TEST_STREAM,
                        config.batchSize(), true);
                outputs.samples(samplesFile(mode, checkpoint), e.psnr(), e.ber());
                int epoch = checkpoint.equals("last") ? r.path(Key.LAST_EPOCH).asInt() : r.path(Key.BEST_EPOCH).asInt();
                List<String> row = new ArrayList<>(List.of(mode, checkpoint.equals("last") ? "last" : "best-feasible",
                        Integer.toString(epoch), Integer.toString(test.size()), HiddenOutputs.cell(e.meanPsnr()),
                        HiddenOutputs.cell(HiddenEvaluation.median(e.psnr())), HiddenOutputs.cell(e.meanBer()),
                        HiddenOutputs.cell(HiddenEvaluation.median(e.ber())),
                        HiddenOutputs.cell(baseline ? Double.NaN : e.satisfied(bound))));
                for (double t : config.bounds()) {
                    row.add(HiddenOutputs.cell(e.satisfied(t)));
                }
                rows.add(row);
                ObjectNode c = testNode.putObject(checkpoint);
                c.put("epoch", epoch);
                c.put("meanPsnr", e.meanPsnr());
                c.put("meanBer", e.meanBer());
                if (!baseline) {
                    c.put("satisfied", e.satisfied(bound));
                }
                c.put("samples", samplesFile(mode, checkpoint));
                downstream.evaluate(mode, checkpoint.equals("last") ? "last" : "best-feasible",
                        Transforms.max(Transforms.min(e.encoded(), 1.0, true), 0.0, false));
                if (checkpoint.equals(baseline ? "last" : "best")) {
                    outputs.grid(exampleFile(mode), test.features(), e.encoded());
                    String method = baseline ? "baseline" : config.hasMultipliers(mode) ? "alm" : "penalty";
                    String point = mode + " · " + (baseline ? "last" : "best-feasible") + " epoch " + epoch
                            + (baseline ? "" : " · fraction ≥ floor " + HiddenOutputs.cell(e.satisfied(bound)));
                    tradeoff.add(List.of(mode, method, baseline ? "" : HiddenOutputs.cell(bound), Integer.toString(epoch),
                            HiddenOutputs.cell(e.meanPsnr()), HiddenOutputs.cell(HiddenEvaluation.median(e.psnr())),
                            HiddenOutputs.cell(e.meanBer()), HiddenOutputs.cell(HiddenEvaluation.median(e.ber())),
                            baseline ? "" : HiddenOutputs.cell(e.satisfied(bound)), point));
                }
                LOG.info("[{}] test, {} epoch {}: mean PSNR {} dB, mean BER {}", mode, checkpoint, epoch,
                        HiddenOutputs.cell(e.meanPsnr()), HiddenOutputs.cell(e.meanBer()));
            }
        }
        outputs.table(TEST_TABLE, header, rows);
        if (!config.bounds().isEmpty()) {
            outputs.table(TRADEOFF_TABLE, List.of("model", "method", "floor_db", "epoch", "mean_psnr", "median_psnr",
                    "mean_ber", "median_ber", "satisfied", "point"), tradeoff);
        }
    }

    private static HiddenSystem load(Path file) {
        try {
            return HiddenSystem.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
