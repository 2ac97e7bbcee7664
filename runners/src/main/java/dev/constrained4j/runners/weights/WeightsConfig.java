package dev.constrained4j.runners.weights;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of one weight-constraint run ({@code docs/weight-constraints.md}); {@link #defaults()} is the
 * documented CPU job, {@link #paper()} the seed's budgets.
 *
 * @param datasets        {@code mnist} and/or {@code fashion-mnist}
 * @param mnistDir        the MNIST IDX files
 * @param fashionDir      the Fashion-MNIST IDX files ({@code scripts/make-fashion-mnist-data.sh})
 * @param constraintSets  among {@link #CONSTRAINT_SETS}
 * @param methods         among {@link #METHODS}
 * @param settings        how many hyper-parameter settings per method (the first of each method's list)
 * @param seeds           seeds per setting
 * @param epochs          epochs per run (SAL: {@code shuffles × iterationsPerShuffle} with
 *                        {@code iterationsPerShuffle = salIterations})
 * @param trainLimit      the first N training images (0: all)
 * @param testLimit       the first N test images (0: all)
 * @param batchSize       minibatch size (the seed: 128)
 * @param seed            the master seed
 * @param learningRate    Adam's learning rate (FP's and SAL's inner optimiser)
 * @param penalties       the settings: FP's ρ, SAL's μ_init and S-ADMM's ρ, one value per setting
 * @param salIterations   SAL's augmented-Lagrangian iterations per shuffle (n_aug-Lag)
 * @param engine          {@code fused} (the hand-written CNN) or {@code graph} (the DL4J ComputationGraph)
 * @param outDir          where run folders are created
 * @param threads         ND4J threads
 * @param preset          the preset the values came from
 */
public record WeightsConfig(List<String> datasets, Path mnistDir, Path fashionDir, List<String> constraintSets,
                            List<String> methods, int settings, int seeds, int epochs, int trainLimit, int testLimit,
                            int batchSize, long seed, double learningRate, List<Double> penalties, int salIterations,
                            String engine, Path outDir, int threads, String preset) {

    public static final List<String> DATASETS = List.of("mnist", "fashion-mnist");
    public static final List<String> CONSTRAINT_SETS = List.of("l2-orth", "l1-orth", "l2-nonneg-orth");
    public static final List<String> METHODS = List.of("fp", "sal", "sadmm");

    public WeightsConfig {
        Objects.requireNonNull(mnistDir, "mnistDir");
        Objects.requireNonNull(fashionDir, "fashionDir");
        Objects.requireNonNull(outDir, "outDir");
        datasets = distinct("--datasets", datasets, DATASETS);
        constraintSets = distinct("--constraints", constraintSets, CONSTRAINT_SETS);
        methods = distinct("--methods", methods, METHODS);
        penalties = List.copyOf(penalties);
        if (penalties.isEmpty() || penalties.stream().anyMatch(p -> !(p > 0) || p.isInfinite())) {
            throw new IllegalArgumentException("--penalties must be one or more finite numbers > 0, got " + penalties);
        }
        if (settings < 1 || settings > penalties.size()) {
            throw new IllegalArgumentException("--settings must be in [1, " + penalties.size() + "] (the number of"
                    + " --penalties), got " + settings);
        }
        atLeast("--seeds", seeds, 1);
        atLeast("--epochs", epochs, 1);
        atLeast("--train-limit", trainLimit, 0);
        atLeast("--test-limit", testLimit, 0);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--sal-iterations", salIterations, 1);
        atLeast("--threads", threads, 1);
        if (methods.contains("sal") && epochs % salIterations != 0) {
            throw new IllegalArgumentException("--epochs (" + epochs + ") must be a multiple of --sal-iterations ("
                    + salIterations + "): SAL runs whole shuffles");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a finite number > 0, got " + learningRate);
        }
        if (!Set.of("fused", "graph").contains(engine)) {
            throw new IllegalArgumentException("--engine must be fused or graph, got '" + engine + "'");
        }
    }

    /**
     * The documented CPU job: the CNN on the first 4,000 training and 2,000 test images of MNIST and
     * Fashion-MNIST, the three constraint sets of the seed, FP, SAL and S-ADMM, 2 settings (penalty 1e-3 and 1e-2) ×
     * 1 seed, 4 epochs (SAL: 2 shuffles of 2 iterations), batch 128, Adam 1e-3, the fused engine.
     */
    public static WeightsConfig defaults() {
        return new WeightsConfig(DATASETS, Path.of("data/mnist"), Path.of("data/fashion-mnist"), CONSTRAINT_SETS,
                METHODS, 2, 1, 4, 4000, 2000, 128, 0, 1e-3, List.of(1e-3, 1e-2, 1e-4, 1e-1), 2, "fused",
                Path.of("runs"), 1, "default");
    }

    /**
     * The seed's budgets as far as it gives them: the full data, batch 128, penalties from 1e-4 to 0.1 (4
     * settings) × 5 seeds, 10 epochs (SAL: 2 shuffles of 5 iterations).
     */
    public static WeightsConfig paper() {
        return new WeightsConfig(DATASETS, Path.of("data/mnist"), Path.of("data/fashion-mnist"), CONSTRAINT_SETS,
                METHODS, 4, 5, 10, 0, 0, 128, 0, 1e-3, List.of(1e-4, 1e-3, 1e-2, 1e-1), 5, "fused",
                Path.of("runs"), 1, "paper");
    }

    /** The directory of a data set's IDX files. */
    public Path dataDir(String dataset) {
        return dataset.equals("mnist") ? mnistDir : fashionDir;
    }

    private static List<String> distinct(String option, List<String> values, List<String> allowed) {
        List<String> copy = List.copyOf(values);
        if (copy.isEmpty() || !allowed.containsAll(copy) || Set.copyOf(copy).size() != copy.size()) {
            throw new IllegalArgumentException(option + " must be distinct names among " + String.join(", ", allowed)
                    + ", got " + copy);
        }
        return copy;
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
    }
}
