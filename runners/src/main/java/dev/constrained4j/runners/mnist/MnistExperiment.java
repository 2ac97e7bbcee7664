package dev.constrained4j.runners.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.data.DataException;
import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.data.mnist.MnistFiles;
import dev.constrained4j.losses.method.MultiplierStatistics;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.reports.run.RunFiles.Key;
import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.engine.ConsoleProgress;
import dev.constrained4j.runners.engine.ConstrainedTrainer;
import dev.constrained4j.runners.engine.DivergenceCheck;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.engine.NativeThreads;
import dev.constrained4j.runners.engine.Selection;
import dev.constrained4j.runners.engine.Stage;
import dev.constrained4j.runners.engine.StageProgress;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.runners.run.Continuation;
import dev.constrained4j.runners.run.MetricsCsv;
import dev.constrained4j.runners.run.RecordJson;
import dev.constrained4j.runners.run.RunFolder;
import dev.constrained4j.runners.run.RunRecords;
import dev.constrained4j.runners.ui.MonitorBridge;
import dev.constrained4j.runners.ui.TrainingMonitor;
import dev.constrained4j.runners.ui.UiOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MNIST experiment (docs/experiments.md, "The MNIST experiment") from data to report: load and checksum the data,
 * get the warm model (load it if one made with the same settings exists, else train it), then refine it in each
 * requested mode — every mode from the same warm model — with the {@link ConstrainedTrainer}, and write the run folder.
 */
public final class MnistExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(MnistExperiment.class);

    /** File name of the warm model, in the run folder and in the warm-model path. */
    public static final String WARM_MODEL = "warm-model.zip";
    /** The settings the warm model was made with, beside it in the warm-model path. */
    public static final String WARM_MODEL_JSON = "warm-model.json";
    /** The key of the warm model's SHA-256 in {@link #WARM_MODEL_JSON}, beside the settings. */
    public static final String WARM_MODEL_SHA256 = "sha256";
    /** The metric columns of {@code metrics.csv}. */
    public static final List<String> METRICS = Stream.concat(Stream.of(
            "train_loss", "train_acc", "train_recon_mse", "train_violation", "train_satisfied",
            "test_loss", "test_acc", "test_recon_mse", "test_violation", "test_satisfied"),
            Stream.of(MultiplierStatistics.KEYS)).toList();
    /** The alm mode's multipliers when they are memory-mapped ({@code --alm-mapped}), in the run folder. */
    public static final String MAPPED_MULTIPLIERS = "multipliers/alm.f32";

    private static final long INIT_STREAM = 11;
    private static final long DECODER_STREAM = 12;

    /** What a finished run produced. */
    public record Result(Path runDir, Map<String, StageProgress> stages) {
    }

    private final List<EpochListener> extraListeners;
    private final Function<Path, UiOptions> ui;
    private final Function<MnistConfig, MnistStages> stageFactory;

    /** An experiment without live UI. */
    public MnistExperiment(List<EpochListener> extraListeners) {
        this(extraListeners, null);
    }

    /**
     * @param extraListeners observers of every epoch, besides the metrics file and the console
     * @param ui             the live UI settings for a run folder, or null for none
     */
    public MnistExperiment(List<EpochListener> extraListeners, Function<Path, UiOptions> ui) {
        this(extraListeners, ui, MnistStages::local);
    }

    /**
     * @param stages where a run's stages are trained, given its configuration (by default {@link MnistStages#local})
     */
    public MnistExperiment(List<EpochListener> extraListeners, Function<Path, UiOptions> ui,
                           Function<MnistConfig, MnistStages> stages) {
        this.extraListeners = List.copyOf(extraListeners);
        this.ui = ui;
        this.stageFactory = stages;
    }

    private TrainingMonitor startMonitor(RunFolder folder) {
        return TrainingMonitor.start(ui == null ? UiOptions.disabled() : ui.apply(folder.dir()));
    }

    /** Starts a new run in a new folder under {@code config.outDir()}. */
    public Result run(MnistConfig config) {
        // a warm-model folder outside the output folder must be writable before any training, not only once the
        // warm-up is done (one under it is checked with the run folder)
        if (!config.warmModelPath().toAbsolutePath().normalize().startsWith(config.outDir().toAbsolutePath().normalize())) {
            RunRecords.folder(config.warmModelPath());
        }
        try (MnistStages runner = stageFactory.apply(config);
             RunFolder folder = RunFolder.create(config.outDir(), "mnist")) {
            ObjectNode record = RunRecords.start(folder.runId(), "mnist", "MNIST classifier with a reconstruction constraint");
            record.set(Key.CONFIG, RecordJson.toJson(config));
            var modes = record.putArray(Key.MODES);
            config.modes().forEach(m -> modes.add(m.key()));
            describe(record, config);
            runner.describe(record);
            folder.writeRecord(record);
            LOG.info("run folder {}", folder.dir());
            return execute(config, folder, runner);
        }
    }

    /** Continues an interrupted run from its last committed epoch, with the configuration in its record. */
    public Result resume(Path runDir) {
        return resume(runDir, Continuation.NONE);
    }

    /**
     * Continues a finished or interrupted run from its last committed epoch, with the configuration in its record
     * changed as {@code changes} says: more refinement epochs per mode ({@code --epochs N}: every mode trains on to
     * N, as an uninterrupted run of N epochs would), data read from where they were moved ({@code -d DIR}, whose
     * files must have the recorded checksums).
     */
    public Result resume(Path runDir, Continuation changes) {
        try (RunFolder folder = RunFolder.open(runDir)) {
            ObjectNode record = RunRecords.reopen(folder, "mnist");
            changes.applyTo(record, "epochs", "dataDir", Continuation.completedEpochs(folder, record), "--epochs");
            MnistConfig config = RecordJson.fromJson(record.path(Key.CONFIG), MnistConfig.class);
            NativeThreads.apply(config.threads()); // the recorded count, or --threads (Continuation)
            try (MnistStages runner = stageFactory.apply(config)) {
                String sha = record.path(Key.DATA_SHA256).toString();
                String now = RunFolder.JSON.valueToTree(MnistFiles.checksums(config.dataDir())).toString();
                if (!sha.equals(now)) {
                    throw new DataException("the data in " + config.dataDir() + " differ from the data this run"
                            + " started with (sha256 in run.json); point -d/--data-dir at the original MNIST files");
                }
                RunRecords.markResumed(folder, record);
                LOG.info("resuming run folder {}", folder.dir());
                return execute(config, folder, runner);
            }
        }
    }

    private static void describe(ObjectNode record, MnistConfig config) {
        ObjectNode seeds = record.putObject(Key.SEEDS);
        seeds.put("master", config.seed());
        seeds.put("initialisation", EpochOrder.mix(config.seed(), INIT_STREAM, 0));
        seeds.put("decoder", EpochOrder.mix(config.seed(), DECODER_STREAM, 0));
        seeds.put("dataOrder", "permutation(seed, 1 + mode index, epoch)");
        Map<String, String> sums = MnistFiles.checksums(config.dataDir());
        record.set(Key.DATA_SHA256, RunFolder.JSON.valueToTree(sums));
        record.put("dataIsOriginalMnist", sums.equals(MnistFiles.SHA256));
        ArrayNode deviations = record.putArray(Key.DEVIATIONS);
        deviations.add("Best weights of 'plain' are those of the last epoch (the reference's selection for plain is buggy).");
        deviations.add("Every mode starts from the same warm model (the reference's '-e all' chains the modes).");
        deviations.add("The fixed and penalty decoders start from the same seeded PyTorch-style initialisation.");
        deviations.add("Data order: a seeded permutation per epoch (not PyTorch's generator), so runs are reproducible"
                + " and resumable but do not visit images in the reference's order.");
        if (config.modes().contains(MnistMode.ALM)) {
            deviations.add("Mode alm (the per-sample augmented Lagrangian) is this project's addition; the reference has"
                    + " plain, fixed and penalty. Its dual step uses the constraint values of the step's forward pass.");
        }
        if (config.penaltyFunction() != dev.constrained4j.losses.penalty.PenaltyFunction.HINGE) {
            deviations.add("Penalty function " + config.penaltyFunction() + " instead of the reference's linear hinge.");
        }
        if (config.trainLimit() > 0 || config.testLimit() > 0) {
            deviations.add("Data limited to the first " + config.trainLimit() + " training / " + config.testLimit()
                    + " test images (0 = all).");
        }
        ObjectNode report = record.putObject(Key.REPORT);
        report.putArray("splits").add("train").add("test");
        ObjectNode constraint = report.putObject("constraint");
        constraint.put("column", "recon_mse");
        constraint.put("bound", config.bound());
        constraint.put("satisfiedColumn", "satisfied");
        ArrayNode histograms = report.putArray("histograms");
        ArrayNode images = report.putArray("images");
        for (MnistMode mode : config.modes()) {
            if (!mode.hasDecoder()) {
                continue;
            }
            for (String split : List.of("train", "test")) {
                ObjectNode h = histograms.addObject();
                h.put("file", "samples/" + mode.key() + "-" + split + ".csv");
                h.put("column", "recon_mse");
                h.put("binWidth", 2e-4);
                h.put("min", 0.0);
                h.put("max", 0.04);
                h.put("bound", config.bound());
                h.put("mode", mode.key());
                h.put("split", split);
                h.put("title", "Per-image reconstruction MSE, " + mode.key() + ", " + split + " (best epoch)");
            }
            ObjectNode image = images.addObject();
            image.put("file", "images/" + mode.key() + "-reconstructions.png");
            image.put("caption", mode.key() + ": test digits (top) and their reconstructions (bottom), best epoch");
            if (mode == MnistMode.ALM) {
                ObjectNode h = histograms.addObject();
                h.put("file", "samples/" + mode.key() + "-train.csv");
                h.put("column", "multiplier");
                h.put("bins", 60);
                h.put("mode", mode.key());
                h.put("split", "train");
                h.put("title", "Per-image multipliers λ_i, " + mode.key() + ", train (best epoch)");
                ObjectNode worst = images.addObject();
                worst.put("file", "images/" + mode.key() + "-largest-multipliers.png");
                worst.put("caption", mode.key() + ": the training digits with the largest multipliers λ_i (top) and"
                        + " their reconstructions (bottom), best epoch");
            }
        }
        ObjectNode titles = report.putObject("metricTitles");
        titles.put("loss", "Cross-entropy loss");
        titles.put("acc", "Accuracy");
        titles.put("recon_mse", "Reconstruction MSE");
        titles.put("violation", "Mean violation max(0, MSE_i − B)");
        titles.put("satisfied", "Fraction of images satisfying MSE_i ≤ B");
        titles.put(RunFiles.PENALTY_WEIGHT, "Penalty coefficient τ (λ for fixed, ρ for alm)");
        titles.put("dual_mean", "Mean multiplier λ_i (alm)");
        titles.put("dual_max", "Largest multiplier λ_i (alm)");
        report.putArray("logScale").add(RunFiles.PENALTY_WEIGHT);
    }

    private Result execute(MnistConfig config, RunFolder folder, MnistStages runner) {
        MnistModelConfig modelConfig = MnistModelConfig.reference();
        MnistOutputs outputs = new MnistOutputs(folder.dir(), modelConfig);
        MetricsCsv csv = new MetricsCsv(folder.resolve(RunFiles.METRICS_CSV), METRICS,
                mode -> folder.progress(mode).completedEpochs());
        List<EpochListener> listeners = new ArrayList<>(List.of(csv, new ConsoleProgress()));
        listeners.addAll(extraListeners);
        try (TrainingMonitor monitor = startMonitor(folder)) {
            MonitorBridge bridge = new MonitorBridge(monitor,
                    MnistClassifierDecoder.graph(modelConfig, DataType.FLOAT));
            listeners.add(bridge);
            return execute(config, folder, runner, modelConfig, outputs, csv, listeners, bridge);
        }
    }

    private Result execute(MnistConfig config, RunFolder folder, MnistStages runner, MnistModelConfig modelConfig,
                           MnistOutputs outputs, MetricsCsv csv,
                           List<EpochListener> listeners, IterationListener iterations) {
        ConstrainedTrainer trainer = new ConstrainedTrainer(folder, listeners,
                new DivergenceCheck(Set.of("train_loss", "test_loss")));
        Map<String, INDArray> decoderInit = MnistClassifierDecoder.initialParameters(modelConfig,
                MnistClassifierDecoder.DECODER_LAYERS, EpochOrder.mix(config.seed(), DECODER_STREAM, 0), DataType.FLOAT);
        Map<String, StageProgress> stages = new LinkedHashMap<>();
        ObjectNode record = folder.readRecord();
        try {
            Map<String, INDArray> warm = warmModel(config, folder, trainer, runner, modelConfig, decoderInit,
                    outputs, record, stages, iterations);
            ObjectNode results = record.putObject(Key.RESULTS);
            for (MnistMode mode : config.modes()) {
                Map<String, INDArray> initial = new LinkedHashMap<>(warm);
                initial.putAll(decoderInit);
                StageProgress p;
                Selection selection = mode == MnistMode.PLAIN ? Selection.LAST : new Selection("train_satisfied", true);
                try (MnistStages.StageTask task = runner.open(mode, folder, outputs, initial, decoderInit)) {
                    task.setIterationListener(iterations);
                    p = trainer.run(new Stage(mode.key(), "refine", config.epochs(), selection), task);
                }
                stages.put(mode.key(), p);
                ObjectNode r = results.putObject(mode.key());
                r.put(Key.BEST_EPOCH, p.bestEpoch());
                r.put(Key.SELECTED_BY, selection.describe());
                r.put(Key.LAST_EPOCH, p.completedEpochs() - 1);
                r.put(Key.BEST_WEIGHTS, MnistOutputs.bestWeights(mode));
                r.put(Key.LAST_WEIGHTS, MnistOutputs.lastWeights(mode));
                folder.writeRecord(record);
            }
            RunRecords.finish(record, "completed");
            folder.writeRecord(record);
        } catch (RuntimeException e) {
            RunRecords.fail(folder, record, e);
            throw e;
        }
        return new Result(folder.dir(), stages);
    }

    /** The warm encoder-classifier: this run's own if it has one, else loaded from the warm-model path, else trained. */
    private Map<String, INDArray> warmModel(MnistConfig config, RunFolder folder, ConstrainedTrainer trainer,
                                            MnistStages runner, MnistModelConfig modelConfig,
                                            Map<String, INDArray> decoderInit, MnistOutputs outputs, ObjectNode record,
                                            Map<String, StageProgress> stages, IterationListener iterations) {
        Path runWarm = folder.resolve(WARM_MODEL);
        Path sharedDir = config.warmModelPath();
        Path shared = sharedDir.resolve(WARM_MODEL);
        ObjectNode settings = warmSettings(config);
        runner.describeWarmModel(settings);
        if (!Files.isRegularFile(runWarm)) {
            if (storedWarmModel(sharedDir, settings)) {
                LOG.info("warm model loaded from {}", shared);
                AtomicFiles.write(runWarm, tmp -> Files.copy(shared, tmp, StandardCopyOption.REPLACE_EXISTING));
                record.put("warmModel", "loaded from " + shared);
            } else {
                Map<String, INDArray> initial = new LinkedHashMap<>(MnistClassifierDecoder.initialParameters(modelConfig,
                        MnistClassifierDecoder.ENCODER_LAYERS, EpochOrder.mix(config.seed(), INIT_STREAM, 0), DataType.FLOAT));
                StageProgress p;
                try (MnistStages.StageTask task = runner.open(MnistMode.WARM, folder, outputs, initial, decoderInit)) {
                    task.setIterationListener(iterations);
                    p = trainer.run(new Stage(MnistMode.WARM.key(), "warm", config.warmupEpochs(), Selection.LAST), task);
                    if (config.warmupEpochs() == 0) {
                        outputs.saveWeights(WARM_MODEL, task.portableParameters());
                    }
                }
                stages.put(MnistMode.WARM.key(), p);
                saveWarmModel(sharedDir, runWarm, settings);
                record.put("warmModel", "trained in this run, saved to " + shared);
            }
            folder.writeRecord(record);
        }
        try {
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(runWarm.toFile(), false);
            return MnistClassifierDecoder.parameters(graph, MnistClassifierDecoder.ENCODER_LAYERS);
        } catch (IOException e) {
            throw new DataException("cannot read the warm model " + runWarm + ": " + e.getMessage()
                    + "; delete it to train a new one", e);
        }
    }

    /**
     * Whether the warm-model path holds a warm model this run can load: the zip, and beside it the json that vouches
     * for it, with this run's settings and the zip's sha256 ({@link #saveWarmModel}). A zip without its json (the
     * runner once wrote the zip first, and a kill between the two writes left it so), with a json that is not JSON, or
     * with another sha256 (a kill between the json and the zip, or a zip cut short or damaged since) is not a warm
     * model anyone finished saving: it is neither loaded nor refused but trained again and replaced, with a one-line
     * warning, so that the folder heals itself. A complete warm model made with other settings is still refused: it
     * is another configuration's, and replacing it is the user's call. A json without a sha256 was written by that
     * earlier runner after its complete zip, and is trusted.
     */
    private static boolean storedWarmModel(Path sharedDir, ObjectNode settings) {
        Path zip = sharedDir.resolve(WARM_MODEL);
        Path json = sharedDir.resolve(WARM_MODEL_JSON);
        if (!Files.isRegularFile(zip)) {
            return false;
        }
        String stale;
        try {
            if (!Files.isRegularFile(json)) {
                stale = "has no " + WARM_MODEL_JSON + " (the settings it was made with) beside it";
            } else if (!(readJsonOrNull(json) instanceof ObjectNode made)) {
                stale = "has a damaged " + WARM_MODEL_JSON + " beside it";
            } else {
                JsonNode sha = made.remove(WARM_MODEL_SHA256);
                if (sha != null && !sha.asText().equals(AtomicFiles.sha256(zip))) {
                    stale = "does not match the sha256 in " + WARM_MODEL_JSON
                            + " (it was cut short or damaged, or a run was stopped while saving it)";
                } else if (!reparse(settings).equals(made)) {
                    // compared as parsed from text: numbers read back from a file have the narrowest type
                    throw new IllegalArgumentException("the warm model in " + sharedDir + " was made with other settings ("
                            + made + ") than this run's (" + settings + "); delete it or pass another --warm-model-path");
                } else {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the warm model in " + sharedDir + ": "
                    + e.getMessage(), e);
        }
        LOG.warn("the warm model {} {}: training a new one to replace it", zip, stale);
        return false;
    }

    /** The JSON in {@code file}, or null if it is not JSON; a file that cannot be read is an error. */
    private static JsonNode readJsonOrNull(Path file) throws IOException {
        try {
            return RunFolder.JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /**
     * Saves this run's warm model in the warm-model path: the json with the settings and the zip's sha256 first,
     * then the zip, each atomically. A kill between the two leaves a json that does not vouch for the zip beside it
     * (an older one, or none), which the next run trains again ({@link #storedWarmModel}); the zip first could leave
     * it beside an older json of other settings, which would be refused until someone deleted the folder.
     */
    private static void saveWarmModel(Path sharedDir, Path runWarm, ObjectNode settings) {
        ObjectNode made = settings.deepCopy();
        try {
            made.put(WARM_MODEL_SHA256, AtomicFiles.sha256(runWarm));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + runWarm + ": " + e.getMessage(), e);
        }
        RunFolder.writeJson(sharedDir.resolve(WARM_MODEL_JSON), made);
        AtomicFiles.write(sharedDir.resolve(WARM_MODEL),
                tmp -> Files.copy(runWarm, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    private static JsonNode reparse(JsonNode node) {
        try {
            return RunFolder.JSON.readTree(node.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The settings a warm model depends on; a stored warm model is reused only if they are equal. */
    static ObjectNode warmSettings(MnistConfig config) {
        ObjectNode o = RunFolder.JSON.createObjectNode();
        o.put("warmupEpochs", config.warmupEpochs());
        o.put("seed", config.seed());
        o.put("trainLimit", config.trainLimit());
        o.put("batchSize", config.batchSize());
        o.put("learningRate", config.learningRate());
        o.set("trainData", RunFolder.JSON.valueToTree(Map.of(
                "images", MnistFiles.sha256(MnistData.locate(config.dataDir(), "train-images-idx3-ubyte")),
                "labels", MnistFiles.sha256(MnistData.locate(config.dataDir(), "train-labels-idx1-ubyte")))));
        return o;
    }
}
