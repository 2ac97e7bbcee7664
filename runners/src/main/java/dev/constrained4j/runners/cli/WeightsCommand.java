package dev.constrained4j.runners.cli;

import static dev.constrained4j.runners.cli.Options.or;

import dev.constrained4j.runners.weights.WeightsConfig;
import dev.constrained4j.runners.weights.WeightsExperiment;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weights}: constraints on a CNN's weights, FP vs SAL vs S-ADMM (README, "The weight-constraint experiment"). */
@Command(name = "weights", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the seed-002 CNN on MNIST and Fashion-MNIST under constraints on its weights (L2 or",
                "L1 norm, orthogonality, non-negativity) with the fixed penalty (fp), the stochastic augmented",
                "Lagrangian (sal) and stochastic ADMM (sadmm), over hyper-parameter settings and seeds.",
                "Writes OUT/<run-id>/ with run.json, metrics.csv, weights and report.html (the seed's table)."})
public final class WeightsCommand implements Callable<Integer> {

    @Option(names = "--preset", paramLabel = "NAME",
            description = "default (CPU job: 4,000 training and 2,000 test images per data set, 4 epochs, 2 settings x 1 seed) or"
                    + " paper (all images, 10 epochs, 4 settings x 5 seeds)")
    String preset = "default";

    @Option(names = "--datasets", paramLabel = "LIST", split = ",", description = "mnist, fashion-mnist (default: both)")
    List<String> datasets;

    @Option(names = "--mnist-dir", paramLabel = "DIR", description = "MNIST IDX files (default: data/mnist, shipped)")
    Path mnistDir;

    @Option(names = "--fashion-dir", paramLabel = "DIR",
            description = "Fashion-MNIST IDX files (default: data/fashion-mnist, built by scripts/make-fashion-mnist-data.sh)")
    Path fashionDir;

    @Option(names = {"-c", "--constraints"}, paramLabel = "LIST", split = ",",
            description = "l2-orth, l1-orth, l2-nonneg-orth (default: all three, the seed's sets)")
    List<String> constraintSets;

    @Option(names = {"-m", "--methods"}, paramLabel = "LIST", split = ",", description = "fp, sal, sadmm (default: all)")
    List<String> methods;

    @Option(names = "--penalties", paramLabel = "LIST", split = ",",
            description = "the settings: FP's rho, SAL's mu_init, S-ADMM's rho (default 1e-3,1e-2,1e-4,1e-1)")
    List<Double> penalties;

    @Option(names = "--settings", paramLabel = "N", description = "how many of --penalties to run (default 2; paper 4)")
    Integer settings;

    @Option(names = "--seeds", paramLabel = "N", description = "seeds per setting (default 1; paper 5)")
    Integer seeds;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs per run (default 4; paper 10)")
    Integer epochs;

    @Option(names = "--sal-iterations", paramLabel = "N",
            description = "SAL's augmented-Lagrangian iterations per shuffle (default 2; paper 5)")
    Integer salIterations;

    @Option(names = "--train-limit", paramLabel = "N", description = "first N training images (default 4000; 0: all)")
    Integer trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "first N test images (default 2000; 0: all)")
    Integer testLimit;

    @Option(names = "--batch-size", paramLabel = "N", description = "minibatch size (default 128)")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam's learning rate (default 1e-3)")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "N", description = "master seed (default 0)")
    Long seed;

    @Option(names = "--engine", paramLabel = "E", description = "fused (default) or graph (DL4J ComputationGraph)")
    String engine;

    @picocli.CommandLine.Mixin
    RunMixin run = new RunMixin();

    @Override
    public Integer call() {
        WeightsExperiment experiment = new WeightsExperiment(List.of());
        return run.execute(this::config, WeightsConfig::threads, c -> experiment.run(c).runDir(),
                (dir, threads) -> experiment.resume(dir, threads).runDir());
    }

    /** The preset's values, overridden by every option given. */
    WeightsConfig config() {
        WeightsConfig b = switch (preset.toLowerCase(Locale.ROOT)) {
            case "default" -> WeightsConfig.defaults();
            case "paper" -> WeightsConfig.paper();
            default -> throw new IllegalArgumentException("--preset must be default or paper, got '" + preset + "'");
        };
        return new WeightsConfig(datasets != null ? trim(datasets) : b.datasets(), mnistDir != null ? mnistDir : b.mnistDir(),
                fashionDir != null ? fashionDir : b.fashionDir(),
                constraintSets != null ? trim(constraintSets) : b.constraintSets(),
                methods != null ? trim(methods) : b.methods(), or(settings, b.settings()), or(seeds, b.seeds()),
                or(epochs, b.epochs()), or(trainLimit, b.trainLimit()), or(testLimit, b.testLimit()),
                or(batchSize, b.batchSize()), seed != null ? seed : b.seed(), or(learningRate, b.learningRate()),
                penalties != null ? penalties : b.penalties(), or(salIterations, b.salIterations()),
                engine != null ? engine.toLowerCase(Locale.ROOT) : b.engine(), run.outDir != null ? run.outDir : b.outDir(),
                or(run.threads, b.threads()), b.preset());
    }

    private static List<String> trim(List<String> values) {
        return values.stream().map(String::trim).toList();
    }
}
