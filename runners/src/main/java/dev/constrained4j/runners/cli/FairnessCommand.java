package dev.constrained4j.runners.cli;

import static dev.constrained4j.runners.cli.Options.or;

import dev.constrained4j.losses.optim.SslAlmConfig;
import dev.constrained4j.losses.optim.SwitchingSubgradientConfig;
import dev.constrained4j.runners.fairness.FairnessConfig;
import dev.constrained4j.runners.fairness.FairnessExperiment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fairness}: group positive-rate constraints on tabular data (README, "The fairness experiment"). */
@Command(name = "fairness", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier of tabular data under |PR_g - PR| <= c for every group g of a protected",
                "attribute, with Adam alone, SSL-ALM, the switching subgradient, the sequential penalty and the",
                "augmented Lagrangian, over several seeds.",
                "Writes OUT/<run-id>/ with run.json, metrics.csv, weights and report.html."})
public final class FairnessCommand implements Callable<Integer> {

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "cpssw8 (default; ships in data/cpssw8) or acsincome (folktables' ACSIncome as CSV, -d)")
    String dataset = "cpssw8";

    @Option(names = {"-d", "--data"}, paramLabel = "FILE",
            description = "the data file (default: data/cpssw8/cpssw8.csv.gz; required for acsincome)")
    Path data;

    @Option(names = "--protected", paramLabel = "ATTR",
            description = "the protected attribute: region (default, 4 groups) or gender (cpssw8); MAR (acsincome)")
    String protectedAttribute;

    @Option(names = "--drop-protected",
            description = "leave the protected attribute out of the features, as the seed paper does (default: kept)")
    boolean dropProtected;

    @Option(names = {"-c", "--bound"}, paramLabel = "c", description = "the bound on |PR_g - PR| (default 0.05)")
    Double bound;

    @Option(names = {"-m", "--methods"}, paramLabel = "LIST", split = ",",
            description = "comma list of adam, sslalm, ssw, penalty, alm (default: all)")
    List<String> methods;

    @Option(names = "--seeds", paramLabel = "N", description = "seeds per method (default 5)")
    Integer seeds;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs per method and seed (default 30)")
    Integer epochs;

    @Option(names = "--per-group", paramLabel = "N", description = "rows of every group in a batch (default 32)")
    Integer perGroup;

    @Option(names = "--test-fraction", paramLabel = "F", description = "test share of every group (default 0.2)")
    Double testFraction;

    @Option(names = "--seed", paramLabel = "N", description = "master seed (default 0)")
    Long seed;

    @Option(names = "--hidden", paramLabel = "LIST", split = ",", description = "hidden widths (default 64,32)")
    List<Integer> hidden;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam's learning rate for adam, penalty, alm (default 1e-3)")
    Double learningRate;

    @Option(names = "--ssl-mu", paramLabel = "μ", description = "SSL-ALM's proximal weight (default 2)")
    Double sslMu;

    @Option(names = "--ssl-rho", paramLabel = "ρ", description = "SSL-ALM's penalty (default 1)")
    Double sslRho;

    @Option(names = "--ssl-tau", paramLabel = "τ", description = "SSL-ALM's primal step (default 0.05)")
    Double sslTau;

    @Option(names = "--ssl-eta", paramLabel = "η", description = "SSL-ALM's dual step (default 0.1)")
    Double sslEta;

    @Option(names = "--ssl-beta", paramLabel = "β", description = "SSL-ALM's smoothing rate (default 0.5)")
    Double sslBeta;

    @Option(names = "--ssl-max-multiplier", paramLabel = "M", description = "SSL-ALM's multiplier bound (default 100)")
    Double sslMaxMultiplier;

    @Option(names = "--ssw-objective-step", paramLabel = "η", description = "SSw's objective step (default 0.01)")
    Double sswObjectiveStep;

    @Option(names = "--ssw-constraint-step", paramLabel = "η", description = "SSw's constraint step (default 0.01)")
    Double sswConstraintStep;

    @Option(names = "--ssw-tolerance", paramLabel = "ε1", description = "SSw's first tolerance (default 0.1)")
    Double sswTolerance;

    @Option(names = "--penalty-start", paramLabel = "τ0", description = "the sequential penalty's first τ (default 0.1)")
    Double penaltyStart;

    @Option(names = "--penalty-grow", paramLabel = "γ", description = "growth of τ per epoch (default 1.1)")
    Double penaltyGrow;

    @Option(names = "--penalty-cap", paramLabel = "τmax", description = "cap on τ (default 100)")
    Double penaltyCap;

    @Option(names = "--alm-rho", paramLabel = "ρ", description = "the augmented Lagrangian's ρ (default 1)")
    Double almRho;

    @Option(names = "--alm-dual-lr", paramLabel = "η", description = "its dual step size (default: ρ)")
    Double almDualLr;

    @picocli.CommandLine.Mixin
    RunMixin run = new RunMixin();

    @Override
    public Integer call() {
        FairnessExperiment experiment = new FairnessExperiment(List.of());
        return run.execute(this::config, FairnessConfig::threads, c -> experiment.run(c).runDir(),
                (dir, threads) -> experiment.resume(dir, threads).runDir());
    }

    /** The defaults, overridden by every option given. */
    FairnessConfig config() {
        FairnessConfig base = FairnessConfig.defaults();
        String set = dataset.toLowerCase(Locale.ROOT);
        if (set.equals("acsincome") && data == null) {
            throw new IllegalArgumentException("--dataset acsincome needs -d FILE: folktables' ACSIncome as CSV");
        }
        String attribute = protectedAttribute != null ? protectedAttribute
                : set.equals("acsincome") ? "MAR" : base.protectedAttribute();
        if (almDualLr != null && almDualLr.isNaN()) {
            // NaN is the record's "η = ρ"; typed on the command line it is a mistake, not that choice
            throw new IllegalArgumentException("--alm-dual-lr must be a finite number > 0, got NaN (leave it out for"
                    + " the default, ρ)");
        }
        SslAlmConfig s = base.sslAlm();
        SwitchingSubgradientConfig w = base.ssw();
        return new FairnessConfig(set, data != null ? data : base.dataFile(), attribute, !dropProtected,
                or(bound, base.bound()), methods != null ? methods.stream().map(String::trim).toList() : base.methods(),
                or(seeds, base.seeds()), or(epochs, base.epochs()), or(perGroup, base.perGroup()),
                or(testFraction, base.testFraction()), seed != null ? seed : base.seed(),
                hidden != null ? hidden : base.hidden(), or(learningRate, base.learningRate()),
                new SslAlmConfig(or(sslMu, s.mu()), or(sslRho, s.rho()), or(sslTau, s.tau()), or(sslEta, s.eta()),
                        or(sslBeta, s.beta()), or(sslMaxMultiplier, s.maxMultiplier())),
                new SwitchingSubgradientConfig(or(sswObjectiveStep, w.objectiveStep()),
                        or(sswConstraintStep, w.constraintStep()), or(sswTolerance, w.firstTolerance())),
                or(penaltyStart, base.penaltyStart()), or(penaltyGrow, base.penaltyGrowth()),
                or(penaltyCap, base.penaltyCap()), or(almRho, base.almRho()),
                almDualLr != null ? almDualLr : base.almDualLearningRate(),
                run.outDir != null ? run.outDir : base.outDir(), or(run.threads, base.threads()));
    }
}
