package dev.constrained4j.runners.cli;

import static dev.constrained4j.runners.cli.Options.or;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistEngine;
import dev.constrained4j.runners.mnist.MnistExperiment;
import dev.constrained4j.runners.mnist.MnistMode;
import dev.constrained4j.runners.run.Continuation;
import dev.constrained4j.runners.spark.SparkConfig;
import dev.constrained4j.runners.spark.SparkMnistExperiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mnist}: the classifier-with-decoder experiment (README, "The MNIST experiment"). Options keep the reference's short forms
 * ({@code -e -wmp -o -pf -pb -pg}); a preset gives the base values and explicit options override them.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the MNIST classifier whose hidden code must let a decoder reconstruct each image",
                "(per-image MSE <= bound): plain, fixed penalty, the sequential penalty method and the",
                "per-sample augmented Lagrangian.",
                "Writes OUT/<run-id>/ with run.json, metrics.csv, weights and report.html."})
public final class MnistCommand implements Callable<Integer> {

    @Option(names = {"-e", "--experiment"}, paramLabel = "MODE",
            description = "plain, fixed, penalty, alm, all, or a comma list (default: all; each mode starts from the"
                    + " same warm model)")
    String experiment = "all";

    @Option(names = "--preset", paramLabel = "NAME",
            description = "default (CPU job: 5 warm-up + 35 epochs per mode) or paper (the paper's schedule: 5 warm-up"
                    + " + 250 epochs per mode)")
    String preset = "default";

    @Option(names = {"-o", "--out-dir"}, paramLabel = "DIR", description = "where run folders are created (default: runs)")
    Path outDir;

    @Option(names = {"-wmp", "--warm-model-path"}, paramLabel = "DIR",
            description = "warm model folder: loaded if it holds one made with the same settings, else trained and"
                    + " saved there (default: OUT/warm_models)")
    Path warmModelPath;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
            description = "folder with the four MNIST IDX files, raw or .gz (default: data/mnist, shipped)")
    Path dataDir;

    @Option(names = {"-pf", "--penalty-fixed"}, paramLabel = "λ", description = "λ of the fixed mode (default 100, as the paper; the reference's option default is 1)")
    Double penaltyFixed;

    @Option(names = {"-pb", "--penalty-base"}, paramLabel = "τ0", description = "initial τ of the penalty mode (default 100)")
    Double penaltyBase;

    @Option(names = {"-pg", "--penalty-grow"}, paramLabel = "γ", description = "growth of τ per epoch (default 1.01)")
    Double penaltyGrow;

    @Option(names = "--penalty-cap", paramLabel = "τmax", description = "cap on τ (default 1e4)")
    Double penaltyCap;

    @Option(names = "--penalty-function", paramLabel = "F", description = "hinge (default, the reference) or squared-hinge")
    String penaltyFunction;

    @Option(names = "--alm-rho", paramLabel = "ρ", description = "penalty ρ of alm (default 1000)")
    Double almRho;

    @Option(names = "--alm-rho-grow", paramLabel = "γ", description = "growth of ρ per epoch (default 1: fixed ρ)")
    Double almRhoGrow;

    @Option(names = "--alm-rho-cap", paramLabel = "ρmax", description = "cap on ρ (default: ρ)")
    Double almRhoCap;

    @Option(names = "--alm-dual-lr", paramLabel = "η", description = "dual step size of alm (default: ρ)")
    Double almDualLr;

    @Option(names = "--alm-max-multiplier", paramLabel = "λmax",
            description = "bound on every multiplier of alm (default 500; Infinity for none)")
    Double almMaxMultiplier;

    @Option(names = "--alm-mapped",
            description = "keep alm's multipliers in a memory-mapped file in the run folder instead of on the heap")
    boolean almMapped;

    @Option(names = {"-b", "--bound"}, paramLabel = "B", description = "bound on the per-image MSE (default 0.01)")
    Double bound;

    @Option(names = "--warmup-epochs", paramLabel = "N", description = "warm-up epochs (default 5, as the paper)")
    Integer warmupEpochs;

    @Option(names = "--epochs", paramLabel = "N", description = "refinement epochs per mode (default preset: 50, paper: 250)")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "minibatch size (default 128)")
    Integer batchSize;

    @Option(names = "--eval-batch-size", paramLabel = "N", description = "evaluation batch size (default 2000)")
    Integer evalBatchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default 1e-3)")
    Double learningRate;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "coupled L2 of the refinement (default 1e-3)")
    Double weightDecay;

    @Option(names = "--seed", paramLabel = "N", description = "master seed (default 123, as the reference)")
    Long seed;

    @Option(names = "--train-limit", paramLabel = "N", description = "use the first N training images (default: all)")
    Integer trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "use the first N test images (default: all)")
    Integer testLimit;

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J threads (default 1: measured fastest on 2 cores; with --resume, the number the run was"
                    + " trained with)")
    Integer threads;

    @Option(names = "--engine", paramLabel = "E",
            description = "fused (default: hand-written MLP pass, fastest) or samediff (the SameDiff graph)")
    String engine;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue a finished or interrupted run from its last completed epoch, with the configuration"
                    + " in its run.json; --epochs N trains every mode on to N epochs, -d points it at moved data"
                    + " (checked against the recorded checksums); other training options cannot change")
    Path resume;

    @Option(names = "--no-report", description = "do not write report.html at the end")
    boolean noReport;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "train data-parallel on Spark: local[N], local-cluster[WORKERS,CORES,MB] or spark://HOST:PORT"
                    + " (docs/scale-out.md); with --resume, move a Spark run to another master")
    String spark;

    @Option(names = "--spark-partitions", paramLabel = "N",
            description = "partitions of the data, one model replica each (default: the master's cores)")
    Integer sparkPartitions;

    @Option(names = "--spark-average-every", paramLabel = "K",
            description = "local steps of every replica between two parameter averages (default "
                    + SparkConfig.DEFAULT_AVERAGING_PERIOD + ")")
    Integer sparkAverageEvery;

    @picocli.CommandLine.Mixin
    UiMixin ui = new UiMixin();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (resume != null) {
            refuseChangesOnResume();
            // the experiment applies the recorded thread count, or --threads (Continuation)
            Continuation changes = new Continuation(epochs, dataDir, threads);
            int n = threads == null ? 1 : threads;
            MnistExperiment.Result result = spark != null || SparkMnistExperiment.isSparkRun(resume)
                    ? new SparkMnistExperiment(List.of(), ui.options()).resume(resume, changes, spark, n)
                    : new MnistExperiment(List.of(), ui.options()).resume(resume, changes);
            Reports.write(result.runDir(), noReport);
            return 0;
        }
        if (spark == null && (sparkPartitions != null || sparkAverageEvery != null)) {
            throw new IllegalArgumentException("--spark-partitions and --spark-average-every need --spark MASTER");
        }
        MnistConfig config = config();
        if (spark == null) {
            MnistData.prefetch(config.dataDir()); // read the images while ND4J loads
        }
        Threads.apply(config.threads());
        MnistExperiment.Result result = spark != null
                ? new SparkMnistExperiment(List.of(), ui.options())
                        .run(config, SparkConfig.of(spark, sparkPartitions, sparkAverageEvery))
                : new MnistExperiment(List.of(), ui.options()).run(config);
        Reports.write(result.runDir(), noReport);
        return 0;
    }

    /**
     * A resumed run keeps its recorded configuration, so that its epochs are those of an uninterrupted run: only the
     * number of epochs, the data's folder, the threads, the report and the UI may be given with {@code --resume}.
     */
    private void refuseChangesOnResume() {
        List<String> changed = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(o -> o.longestName())
                .filter(name -> !RESUMABLE.contains(name) && !name.startsWith("--ui"))
                .toList();
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", changed) + " cannot change when resuming (the run keeps"
                    + " the configuration in its run.json); with --resume give only --epochs, -d/--data-dir, --threads,"
                    + " --no-report, --spark and the --ui options, or start a new run");
        }
    }

    private static final java.util.Set<String> RESUMABLE = java.util.Set.of("--resume", "--epochs", "--data-dir",
            "--threads", "--no-report", "--spark");

    /** The configuration: the preset's values, overridden by every option given. */
    MnistConfig config() {
        MnistConfig base = switch (preset.toLowerCase(Locale.ROOT)) {
            case "default" -> MnistConfig.defaults();
            case "paper" -> MnistConfig.paper();
            default -> throw new IllegalArgumentException("--preset must be default or paper, got '" + preset + "'");
        };
        Path out = outDir != null ? outDir : base.outDir();
        return new MnistConfig(modes(), dataDir != null ? dataDir : base.dataDir(), out,
                warmModelPath != null ? warmModelPath : out.resolve("warm_models"),
                or(warmupEpochs, base.warmupEpochs()), or(epochs, base.epochs()), or(batchSize, base.batchSize()),
                or(evalBatchSize, base.evalBatchSize()), seed != null ? seed : base.seed(),
                or(trainLimit, base.trainLimit()), or(testLimit, base.testLimit()),
                or(learningRate, base.learningRate()), or(weightDecay, base.weightDecay()), or(bound, base.bound()),
                or(penaltyFixed, base.penaltyFixed()), or(penaltyBase, base.penaltyBase()),
                or(penaltyGrow, base.penaltyGrow()), or(penaltyCap, base.penaltyCap()), function(),
                or(threads, base.threads()), base.preset(),
                engine != null ? MnistEngine.parse(engine) : base.engine(), alm(base.alm()));
    }

    private AugmentedLagrangianConfig alm(AugmentedLagrangianConfig base) {
        if (almDualLr != null && almDualLr.isNaN()) {
            // NaN is the record's "η = ρ": given on the command line it is a mistake, not that default
            throw new IllegalArgumentException("--alm-dual-lr must be a finite number >= 0, got NaN (leave it out for"
                    + " the default, ρ)");
        }
        double rho = or(almRho, base.rho());
        double grow = or(almRhoGrow, base.rhoGrowth());
        double cap = almRhoCap != null ? almRhoCap : (grow == 1 ? rho : Math.max(base.rhoCap(), rho));
        return new AugmentedLagrangianConfig(rho, grow, base.rhoEvery(), cap,
                almDualLr != null ? almDualLr : base.dualLearningRate(), almMapped || base.mapped(),
                almMaxMultiplier != null ? almMaxMultiplier : base.maxMultiplier());
    }

    private List<MnistMode> modes() {
        String e = experiment.toLowerCase(Locale.ROOT);
        if (e.equals("all")) {
            return List.of(MnistMode.PLAIN, MnistMode.FIXED, MnistMode.PENALTY, MnistMode.ALM);
        }
        List<MnistMode> modes = new ArrayList<>();
        for (String part : e.split(",")) {
            switch (part.trim()) {
                case "plain" -> modes.add(MnistMode.PLAIN);
                case "fixed" -> modes.add(MnistMode.FIXED);
                case "penalty" -> modes.add(MnistMode.PENALTY);
                case "alm" -> modes.add(MnistMode.ALM);
                default -> throw new IllegalArgumentException(
                        "-e/--experiment must be plain, fixed, penalty, alm or all (or a comma list), got '"
                                + experiment + "'");
            }
        }
        return modes;
    }

    private PenaltyFunction function() {
        if (penaltyFunction == null) {
            return PenaltyFunction.HINGE;
        }
        return switch (penaltyFunction.toLowerCase(Locale.ROOT)) {
            case "hinge" -> PenaltyFunction.HINGE;
            case "squared-hinge", "squared_hinge" -> PenaltyFunction.SQUARED_HINGE;
            default -> throw new IllegalArgumentException(
                    "--penalty-function must be hinge or squared-hinge, got '" + penaltyFunction + "'");
        };
    }
}
