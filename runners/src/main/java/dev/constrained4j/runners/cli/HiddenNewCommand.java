package dev.constrained4j.runners.cli;

import static dev.constrained4j.runners.cli.Options.or;

import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
import dev.constrained4j.models.hidden.HiddenSystem;
import dev.constrained4j.runners.hidden.HiddenExperiment;
import dev.constrained4j.runners.hidden.HiddenRunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hidden new}: a new HiDDeN run. Options keep the reference's forms ({@code -d/--data-dir},
 * {@code -m/--message}, {@code -s/--size}, {@code -b/--batch-size}, {@code -e/--epochs}, {@code --name},
 * {@code --noise}, {@code --penalty START FACTOR EVERY_N}, {@code --PSNR T}); a preset gives the base values and
 * explicit options override them. Without {@code --PSNR} only the baseline is trained, as in the reference, except
 * under {@code --preset cpu}, a study that then trains its baseline and floors (30, 40, 50 dB by penalty and alm).
 */
@Command(name = "new", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start a new HiDDeN run: the baseline (image term 0.7*MSE) without --PSNR; with --PSNR T, one"
                + " model per bound trained with the penalty tau*mean_i max(0, T - PSNR_i) (add --baseline for the"
                + " baseline too). Every model starts from the same seeded initialisation.")
public final class HiddenNewCommand implements Callable<Integer> {

    @Option(names = "--preset", paramLabel = "NAME",
            description = "default (32 px, 30 bits, batch 16, 4 epochs, Adam 1e-3), cpu (the CPU study: baseline and"
                    + " PSNR >= 30, 40, 50 by penalty and alm, all images, 32 px, 30 bits, 16 channels, 100 epochs,"
                    + " lr x0.1 after 80, precise batch norm, 2 dB margin; about 30 minutes on 2 cores) or paper"
                    + " (224 px, 200 bits, batch 32, 200 epochs, Adam 1e-4,"
                    + " tau x1.1 every 10th epoch: for a GPU)")
    String preset = "default";

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
            description = "images: a ChestX-ray14 folder (Data_Entry_2017.csv + images/), the MRI slices"
                    + " (labels.csv), or any folder of images (default: data/mri-slices, shipped)")
    Path dataDir;

    @Option(names = "--extra-train-dir", paramLabel = "DIR",
            description = "a folder of images added to the training split as extra carriers; validation, test and"
                    + " the downstream check keep -d's splits (e.g. data/grey-images, shipped; default: none)")
    Path extraTrainDir;

    @Option(names = {"-o", "--out-dir"}, paramLabel = "DIR", description = "where run folders are created (default: runs)")
    Path outDir;

    @Option(names = "--name", paramLabel = "NAME", description = "added to the run folder's name")
    String name;

    @Option(names = {"-s", "--size"}, paramLabel = "PX", description = "image side in pixels (default 32; paper 224)")
    Integer size;

    @Option(names = {"-m", "--message"}, paramLabel = "BITS", description = "message length in bits (default 30; paper 200)")
    Integer message;

    @Option(names = {"-e", "--epochs"}, paramLabel = "N", description = "epochs per model (default 4; paper 200)")
    Integer epochs;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "images per batch, >= 2 (default 16; paper 32)")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate of both optimizers (default 1e-3; paper 1e-4)")
    Double learningRate;

    @Option(names = "--PSNR", paramLabel = "T", split = ",",
            description = "per-image bound PSNR_i >= T dB, one model per bound; repeat or comma-separate (30,40,50)")
    List<Double> bounds = new ArrayList<>();

    @Option(names = "--penalty", arity = "3", paramLabel = "START FACTOR EVERY_N", hideParamSyntax = true,
            description = "tau starts at START and is multiplied by FACTOR at the start of every EVERY_N-th epoch,"
                    + " capped at 500 (default: 0.1 1.1 1; paper 0.1 1.1 10)")
    List<String> penalty;

    @Option(names = "--method", paramLabel = "M", split = ",",
            description = "how the PSNR floors are enforced: penalty (the paper's sequential penalty; modes psnr<T>),"
                    + " alm (per-image augmented Lagrangian; modes psnr<T>-alm) or penalty,alm for both side by side"
                    + " (default penalty)")
    List<String> methods;

    @Option(names = "--alm-rho", paramLabel = "ρ", description = "penalty ρ of alm, per dB of PSNR gap (default 0.1)")
    Double almRho;

    @Option(names = "--alm-dual-lr", paramLabel = "η", description = "dual step size of alm (default: ρ)")
    Double almDualLr;

    @Option(names = "--precise-bn", negatable = true,
            description = "recompute the encoder's and decoder's batch-norm running statistics over the training"
                    + " images before every evaluation (default: on in the cpu preset, off otherwise)")
    Boolean preciseBatchNorm;

    @Option(names = "--margin", paramLabel = "DB",
            description = "train every floor T as PSNR_i >= T + DB while counting satisfaction at T (default 0;"
                    + " cpu preset 2)")
    Double margin;

    @Option(names = "--lr-drop", paramLabel = "N",
            description = "after N epochs both learning rates are multiplied by 0.1; 0 never (default 0; cpu preset"
                    + " 80 of 100)")
    Integer lrDrop;

    @Option(names = "--baseline", description = "also train the baseline HiDDeN in a run with --PSNR")
    boolean baseline;

    @Option(names = "--noise", paramLabel = "SPEC",
            description = "noise layers in the reference's syntax, e.g. 'crop((0.2,0.3),(0.4,0.5))+jpeg()'"
                    + " (default: identity, the paper's setting)")
    String noise;

    @Option(names = "--seed", paramLabel = "N", description = "master seed (default 42)")
    Long seed;

    @Option(names = "--train-limit", paramLabel = "N", description = "use at most N training images (default: all)")
    Integer trainLimit;

    @Option(names = "--val-limit", paramLabel = "N", description = "use at most N validation images (default: all)")
    Integer valLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "use at most N test images (default: all)")
    Integer testLimit;

    @Option(names = "--channels", paramLabel = "C",
            description = "advanced: convolution channels of every block (default 64, the reference's)")
    Integer channels;

    @Option(names = "--downstream-epochs", paramLabel = "N",
            description = "epochs of the downstream classifier; 0 skips the check (default 10)")
    Integer downstreamEpochs;

    @Option(names = "--threads", paramLabel = "N", description = "ND4J threads (default 1)")
    Integer threads;

    @Option(names = "--engine", paramLabel = "E",
            description = "fused (default: hand-written passes, fastest) or samediff (the SameDiff graphs)")
    String engine;

    @Option(names = "--no-report", description = "do not write report.html at the end")
    boolean noReport;

    @Mixin
    UiMixin ui = new UiMixin();

    @Override
    public Integer call() {
        HiddenRunConfig config = config();
        Threads.apply(config.threads());
        HiddenExperiment.Result result = new HiddenExperiment(List.of(), ui.options()).run(config);
        Reports.write(result.runDir(), noReport);
        return 0;
    }

    /** The configuration: the preset's values, overridden by every option given. */
    HiddenRunConfig config() {
        HiddenRunConfig base = HiddenRunConfig.preset(preset);
        // the cpu preset is a study: without --PSNR it trains its own floors and the baseline
        boolean study = bounds.isEmpty() && base.preset().equals("cpu");
        List<Double> bounds = study ? base.bounds() : this.bounds;
        boolean baseline = this.baseline || study;
        if (penalty != null && bounds.isEmpty()) {
            throw new IllegalArgumentException("--penalty needs --PSNR T (the bound it enforces)");
        }
        if (methods != null && bounds.isEmpty()) {
            throw new IllegalArgumentException("--method needs --PSNR T (the floors it enforces)");
        }
        if (methods != null && !HiddenRunConfig.METHODS.containsAll(methods.stream()
                .map(m -> m.strip().toLowerCase(Locale.ROOT)).toList())) {
            throw new IllegalArgumentException("--method must be penalty, alm or penalty,alm, got '"
                    + String.join(",", methods) + "'");
        }
        if (this.baseline && bounds.isEmpty()) {
            throw new IllegalArgumentException("--baseline adds the baseline to a run with --PSNR; without --PSNR only"
                    + " the baseline is trained anyway");
        }
        double start = base.penaltyStart();
        double factor = base.penaltyFactor();
        int every = base.penaltyEvery();
        if (penalty != null) {
            start = number("START", penalty.get(0));
            factor = number("FACTOR", penalty.get(1));
            try {
                every = Integer.parseInt(penalty.get(2).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--penalty EVERY_N must be a whole number of epochs, got '"
                        + penalty.get(2) + "'");
            }
        }
        return new HiddenRunConfig(bounds, bounds.isEmpty() || baseline, dataDir != null ? dataDir : base.dataDir(),
                outDir != null ? outDir : base.outDir(), name != null ? name : base.name(),
                or(size, base.imageSize()), or(message, base.messageBits()), or(channels, base.channels()),
                or(epochs, base.epochs()), or(batchSize, base.batchSize()),
                learningRate != null ? learningRate : base.learningRate(), seed != null ? seed : base.seed(),
                noise != null ? noise : base.noise(), or(trainLimit, base.trainLimit()), or(valLimit, base.valLimit()),
                or(testLimit, base.testLimit()), start, factor, every, base.penaltyCap(),
                or(downstreamEpochs, base.downstreamEpochs()), or(threads, base.threads()), base.preset(),
                engine != null ? engine(engine) : base.engine(),
                methods != null ? methods.stream().map(m -> m.strip().toLowerCase(Locale.ROOT)).toList() : base.methods(),
                alm(base), preciseBatchNorm != null ? preciseBatchNorm : base.preciseBatchNorm(),
                margin != null ? margin : base.margin(), or(lrDrop, base.lrDrop()),
                extraTrainDir != null ? extraTrainDir : base.extraTrainDir());
    }

    private AugmentedLagrangianConfig alm(HiddenRunConfig base) {
        if (almDualLr != null && almDualLr.isNaN()) {
            // NaN is the record's "η = ρ"; typed on the command line it is a mistake, not that choice
            throw new IllegalArgumentException("--alm-dual-lr must be a finite number >= 0, got NaN (leave it out for"
                    + " the default, ρ)");
        }
        AugmentedLagrangianConfig a = almRho != null ? base.alm().withRho(almRho) : base.alm();
        return almDualLr != null ? a.withDualLearningRate(almDualLr) : a;
    }

    private static double number(String what, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--penalty " + what + " must be a number, got '" + text + "'");
        }
    }


    /** The engine named {@code fused} or {@code samediff} (any case). */
    private static HiddenSystem.Engine engine(String name) {
        for (HiddenSystem.Engine e : HiddenSystem.Engine.values()) {
            if (e.name().equalsIgnoreCase(name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("--engine must be fused or samediff, got '" + name + "'");
    }
}
