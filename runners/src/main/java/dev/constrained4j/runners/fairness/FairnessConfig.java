package dev.constrained4j.runners.fairness;

import dev.constrained4j.losses.optim.SslAlmConfig;
import dev.constrained4j.losses.optim.SwitchingSubgradientConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of one fairness run ({@code docs/fairness.md}); {@link #defaults()} is the README's job.
 *
 * @param dataset          {@code cpssw8} (ships) or {@code acsincome} (folktables' ACSIncome as CSV, the user's)
 * @param dataFile         the data file
 * @param protectedAttribute the attribute whose groups are constrained ({@code region} or {@code gender} for
 *                         CPSSW8; {@code MAR} for ACSIncome)
 * @param keepProtected    whether the protected attribute is also a feature
 * @param bound            c in {@code |PR_g − PR| ≤ c}
 * @param methods          the methods to train, each once per seed ({@link #METHODS})
 * @param seeds            how many seeds (0, 1, …) per method
 * @param epochs           epochs per method and seed (an epoch: as many rows as the training set, in balanced batches)
 * @param perGroup         rows of every group in a batch
 * @param testFraction     fraction of each group held out for test
 * @param seed             the master seed (split, and with the seed index the initialisation and batches)
 * @param hidden           the hidden layer widths
 * @param learningRate     Adam's learning rate (adam, penalty, alm)
 * @param sslAlm           SSL-ALM's settings
 * @param ssw              the switching subgradient's settings
 * @param penaltyStart     the sequential penalty's τ in epoch 0
 * @param penaltyGrowth    its growth factor per epoch
 * @param penaltyCap       its cap
 * @param almRho           the augmented Lagrangian's ρ
 * @param almDualLearningRate its dual step size (NaN: ρ)
 * @param outDir           where run folders are created
 * @param threads          ND4J threads
 */
public record FairnessConfig(String dataset, Path dataFile, String protectedAttribute, boolean keepProtected,
                             double bound, List<String> methods, int seeds, int epochs, int perGroup,
                             double testFraction, long seed, List<Integer> hidden, double learningRate,
                             SslAlmConfig sslAlm, SwitchingSubgradientConfig ssw, double penaltyStart,
                             double penaltyGrowth, double penaltyCap, double almRho, double almDualLearningRate,
                             Path outDir, int threads) {

    /** Every method, in the order of the report. */
    public static final List<String> METHODS = List.of("adam", "sslalm", "ssw", "penalty", "alm");
    private static final Set<String> DATASETS = Set.of("cpssw8", "acsincome");
    /** The widest hidden layer: 4096 × 4096 weights, with Adam's two moments, are 400 MB in double precision. */
    public static final int MAX_WIDTH = 4096;

    public FairnessConfig {
        Objects.requireNonNull(dataFile, "dataFile");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(sslAlm, "sslAlm");
        Objects.requireNonNull(ssw, "ssw");
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("--dataset must be cpssw8 or acsincome, got '" + dataset + "'");
        }
        if (dataset.equals("cpssw8") && !Set.of("region", "gender").contains(protectedAttribute)) {
            throw new IllegalArgumentException("--protected must be region or gender for cpssw8, got '"
                    + protectedAttribute + "'");
        }
        if (dataset.equals("acsincome") && !"MAR".equals(protectedAttribute)) {
            throw new IllegalArgumentException("the protected attribute of acsincome is MAR, got '"
                    + protectedAttribute + "'");
        }
        if (!(bound >= 0 && bound < 1)) {
            throw new IllegalArgumentException("--bound must be in [0, 1), got " + bound);
        }
        methods = List.copyOf(methods);
        if (methods.isEmpty() || !METHODS.containsAll(methods) || Set.copyOf(methods).size() != methods.size()) {
            throw new IllegalArgumentException("--methods must be distinct names among " + String.join(", ", METHODS)
                    + ", got " + methods);
        }
        requireAtLeast("--seeds", seeds, 1);
        requireAtLeast("--epochs", epochs, 0);
        requireAtLeast("--per-group", perGroup, 1);
        requireAtLeast("--threads", threads, 1);
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        hidden = List.copyOf(hidden);
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1 || h > MAX_WIDTH)) {
            throw new IllegalArgumentException("--hidden must be one or more widths in 1.." + MAX_WIDTH
                    + " (a wider layer of a tabular MLP does not fit in memory), got " + hidden);
        }
        requirePositive("--lr", learningRate);
        requirePositive("--penalty-start", penaltyStart);
        if (!(penaltyGrowth >= 1) || Double.isInfinite(penaltyGrowth)) {
            throw new IllegalArgumentException("--penalty-grow must be a finite number >= 1, got " + penaltyGrowth);
        }
        if (!(penaltyCap >= penaltyStart) || Double.isInfinite(penaltyCap)) {
            throw new IllegalArgumentException("--penalty-cap must be finite and >= --penalty-start, got " + penaltyCap);
        }
        requirePositive("--alm-rho", almRho);
        if (!Double.isNaN(almDualLearningRate) && !(almDualLearningRate > 0 && Double.isFinite(almDualLearningRate))) {
            throw new IllegalArgumentException("--alm-dual-lr must be a finite number > 0, got " + almDualLearningRate);
        }
    }

    /**
     * The README's job: CPSSW8 with region as the protected attribute (kept as a feature), c = 0.05, all five
     * methods, 5 seeds (the seed paper's repetitions) × 30 epochs, 32 rows per group per batch, the seed paper's
     * SSL-ALM and SSw settings, Adam's PyTorch defaults.
     */
    public static FairnessConfig defaults() {
        return new FairnessConfig("cpssw8", Path.of("data/cpssw8/cpssw8.csv.gz"), "region", true, 0.05, METHODS, 5,
                30, 32, 0.2, 0, List.of(64, 32), 1e-3, SslAlmConfig.seed(), SwitchingSubgradientConfig.seed(), 0.1,
                1.1, 100, 1.0, Double.NaN, Path.of("runs"), 1);
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
    }
}
