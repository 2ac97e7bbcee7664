package dev.constrained4j.runners.mnist;

import static dev.constrained4j.runners.run.Checks.atLeast;
import static dev.constrained4j.runners.run.Checks.nonNegative;
import static dev.constrained4j.runners.run.Checks.positive;

import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.MultiplierStore;
import dev.constrained4j.losses.method.PenaltyMethod;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of an MNIST run (docs/experiments.md, "The MNIST experiment"), validated. {@link #defaults()} is the
 * short CPU job of the README; {@link #paper()} the reference's exact schedule (5 warm-up + 250 refinement epochs).
 *
 * @param modes           refinement modes to run, each from the same warm model
 * @param dataDir         folder with the four MNIST IDX files (raw or .gz)
 * @param outDir          where run folders are created
 * @param warmModelPath   folder of the warm model: loaded if present (and made with the same settings), else trained and saved there
 * @param warmupEpochs    epochs of cross-entropy-only warm-up
 * @param epochs          refinement epochs per mode
 * @param batchSize       training minibatch size
 * @param evalBatchSize   evaluation batch size (does not change any number)
 * @param seed            master seed (initialisation, data order)
 * @param trainLimit      use only the first n training images (0: all 60,000)
 * @param testLimit       use only the first n test images (0: all 10,000)
 * @param learningRate    Adam learning rate
 * @param weightDecay     coupled L2 of the refinement (PyTorch Adam weight_decay)
 * @param bound           the bound B on the per-image reconstruction MSE
 * @param penaltyFixed    λ of the fixed mode
 * @param penaltyBase     τ_0 of the penalty mode
 * @param penaltyGrow     γ of the penalty mode (τ multiplied once per epoch)
 * @param penaltyCap      τ_max
 * @param penaltyFunction HINGE (reference) or SQUARED_HINGE
 * @param threads         ND4J/OpenMP threads
 * @param preset          the preset the values came from ("default", "paper"), for the record
 * @param engine          how the stages are computed (fused, the default, or samediff)
 * @param alm             hyper-parameters of the per-sample augmented Lagrangian (mode alm)
 */
public record MnistConfig(List<MnistMode> modes, Path dataDir, Path outDir, Path warmModelPath,
                          int warmupEpochs, int epochs, int batchSize, int evalBatchSize, long seed,
                          int trainLimit, int testLimit, double learningRate, double weightDecay, double bound,
                          double penaltyFixed, double penaltyBase, double penaltyGrow, double penaltyCap,
                          PenaltyFunction penaltyFunction, int threads, String preset, MnistEngine engine,
                          AugmentedLagrangianConfig alm) {

    /**
     * The per-sample augmented Lagrangian of the default and paper presets: ρ = η = 1000, multipliers bounded by 500
     * (the best of the settings measured over the paper's 250 epochs, docs/methods.md).
     */
    public static final AugmentedLagrangianConfig DEFAULT_ALM = new AugmentedLagrangianConfig(1e3, 1.0, 1, 1e3,
            Double.NaN, false, 500);

    /** A configuration with the default augmented Lagrangian. */
    public MnistConfig(List<MnistMode> modes, Path dataDir, Path outDir, Path warmModelPath,
                       int warmupEpochs, int epochs, int batchSize, int evalBatchSize, long seed,
                       int trainLimit, int testLimit, double learningRate, double weightDecay, double bound,
                       double penaltyFixed, double penaltyBase, double penaltyGrow, double penaltyCap,
                       PenaltyFunction penaltyFunction, int threads, String preset, MnistEngine engine) {
        this(modes, dataDir, outDir, warmModelPath, warmupEpochs, epochs, batchSize, evalBatchSize, seed, trainLimit,
                testLimit, learningRate, weightDecay, bound, penaltyFixed, penaltyBase, penaltyGrow, penaltyCap,
                penaltyFunction, threads, preset, engine, DEFAULT_ALM);
    }

    /** A configuration with the default engine, {@link MnistEngine#FUSED}. */
    public MnistConfig(List<MnistMode> modes, Path dataDir, Path outDir, Path warmModelPath,
                       int warmupEpochs, int epochs, int batchSize, int evalBatchSize, long seed,
                       int trainLimit, int testLimit, double learningRate, double weightDecay, double bound,
                       double penaltyFixed, double penaltyBase, double penaltyGrow, double penaltyCap,
                       PenaltyFunction penaltyFunction, int threads, String preset) {
        this(modes, dataDir, outDir, warmModelPath, warmupEpochs, epochs, batchSize, evalBatchSize, seed, trainLimit,
                testLimit, learningRate, weightDecay, bound, penaltyFixed, penaltyBase, penaltyGrow, penaltyCap,
                penaltyFunction, threads, preset, MnistEngine.FUSED);
    }

    public MnistConfig {
        modes = List.copyOf(Objects.requireNonNull(modes, "modes"));
        if (modes.isEmpty() || modes.contains(MnistMode.WARM)) {
            throw new IllegalArgumentException("modes must be some of plain, fixed, penalty, alm; got " + modes);
        }
        if (new java.util.HashSet<>(modes).size() != modes.size()) {
            throw new IllegalArgumentException("modes must be distinct (each is trained once), got "
                    + modes.stream().map(MnistMode::key).toList());
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(warmModelPath, "warmModelPath");
        Objects.requireNonNull(penaltyFunction, "penaltyFunction");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(alm, "alm");
        atLeast("warmupEpochs", warmupEpochs, 0);
        atLeast("epochs", epochs, 0);
        atLeast("batchSize", batchSize, 1);
        atLeast("evalBatchSize", evalBatchSize, 1);
        atLeast("trainLimit", trainLimit, 0);
        atLeast("testLimit", testLimit, 0);
        atLeast("threads", threads, 1);
        positive("learningRate", learningRate);
        nonNegative("weightDecay", weightDecay);
        nonNegative("bound", bound);
        nonNegative("penaltyFixed", penaltyFixed);
        nonNegative("penaltyBase", penaltyBase);
        if (!(penaltyGrow >= 1) || Double.isInfinite(penaltyGrow)) {
            throw new IllegalArgumentException("penaltyGrow must be a finite number >= 1, got " + penaltyGrow);
        }
        if (!(penaltyCap >= penaltyBase)) {
            throw new IllegalArgumentException("penaltyCap must be >= penaltyBase (" + penaltyBase + "), got " + penaltyCap);
        }
        if (penaltyFunction == PenaltyFunction.NONE || penaltyFunction == PenaltyFunction.IDENTITY) {
            throw new IllegalArgumentException("penaltyFunction must be HINGE or SQUARED_HINGE, got " + penaltyFunction);
        }
    }




    /** The README's CPU job: all four modes (fixed with the paper's λ = 100), a short schedule on the full data. */
    public static MnistConfig defaults() {
        return new MnistConfig(List.of(MnistMode.PLAIN, MnistMode.FIXED, MnistMode.PENALTY, MnistMode.ALM),
                Path.of("data/mnist"),
                Path.of("runs"), Path.of("runs/warm_models"), 5, 35, 128, 2000, 123L, 0, 0, 1e-3, 1e-3, 1e-2,
                100.0, 100.0, 1.01, PenaltySchedule.MNIST_CAP, PenaltyFunction.HINGE, 1, "default");
    }

    /** The reference's schedule (docs/experiments.md, "The MNIST experiment"): 5 warm-up and 250 refinement epochs. */
    public static MnistConfig paper() {
        return defaults().withSchedule(5, 250, "paper");
    }

    /** A copy with another warm-up/refinement length. */
    public MnistConfig withSchedule(int warmup, int refinement, String presetName) {
        return new MnistConfig(modes, dataDir, outDir, warmModelPath, warmup, refinement, batchSize, evalBatchSize,
                seed, trainLimit, testLimit, learningRate, weightDecay, bound, penaltyFixed, penaltyBase,
                penaltyGrow, penaltyCap, penaltyFunction, threads, presetName, engine, alm);
    }

    /** A copy computed by another engine. */
    public MnistConfig withEngine(MnistEngine other) {
        return new MnistConfig(modes, dataDir, outDir, warmModelPath, warmupEpochs, epochs, batchSize, evalBatchSize,
                seed, trainLimit, testLimit, learningRate, weightDecay, bound, penaltyFixed, penaltyBase,
                penaltyGrow, penaltyCap, penaltyFunction, threads, preset, other, alm);
    }

    /** A copy that writes its run folders under {@code out} and keeps its warm model in {@code warm}. */
    public MnistConfig withOutDir(Path out, Path warm) {
        return new MnistConfig(modes, dataDir, out, warm, warmupEpochs, epochs, batchSize, evalBatchSize,
                seed, trainLimit, testLimit, learningRate, weightDecay, bound, penaltyFixed, penaltyBase,
                penaltyGrow, penaltyCap, penaltyFunction, threads, preset, engine, alm);
    }

    /** A copy with other augmented-Lagrangian settings. */
    public MnistConfig withAlm(AugmentedLagrangianConfig other) {
        return new MnistConfig(modes, dataDir, outDir, warmModelPath, warmupEpochs, epochs, batchSize, evalBatchSize,
                seed, trainLimit, testLimit, learningRate, weightDecay, bound, penaltyFixed, penaltyBase,
                penaltyGrow, penaltyCap, penaltyFunction, threads, preset, engine, other);
    }

    /**
     * The method that trains a mode: the task loss alone (warm-up, plain), λ·c_i (fixed), the sequential penalty
     * τ_e·φ(c_i − B) with τ_e = min(τ_0·γ^e, τ_max) (penalty), or the per-sample augmented Lagrangian over
     * {@code multipliers} (alm; one per training image).
     *
     * @param multipliers the store of the alm mode's multipliers (ignored by the other modes; may then be null)
     */
    public ConstrainedMethod method(MnistMode mode, MultiplierStore multipliers) {
        return switch (mode) {
            case WARM, PLAIN -> PenaltyMethod.plain();
            case FIXED -> PenaltyMethod.fixed(penaltyFixed);
            case PENALTY -> PenaltyMethod.sequential(new PenaltySchedule(penaltyBase, penaltyGrow, 1, penaltyCap),
                    penaltyFunction, bound);
            case ALM -> alm.inequality(bound, Objects.requireNonNull(multipliers, "multipliers"));
        };
    }
}
