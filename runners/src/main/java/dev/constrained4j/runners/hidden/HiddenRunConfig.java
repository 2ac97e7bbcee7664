package dev.constrained4j.runners.hidden;

import dev.constrained4j.data.images.ImageConfig;
import dev.constrained4j.data.images.MriSlices;
import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.MultiplierStore;
import dev.constrained4j.losses.method.PenaltyMethod;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import dev.constrained4j.models.hidden.HiddenConfig;
import dev.constrained4j.models.hidden.HiddenSystem;
import dev.constrained4j.models.hidden.noise.NoiseSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import static dev.constrained4j.runners.run.Checks.atLeast;
import static dev.constrained4j.runners.run.Checks.positive;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of a HiDDeN run (docs/experiments.md, "The HiDDeN experiment"), validated. A run trains one model per
 * mode: {@code baseline} (the reference's HiDDeN, image term {@code 0.7·MSE}) when {@link #baseline()} is set, and
 * {@code psnr<T>} (image term {@code τ·mean_i max(0, T − PSNR_i)}) for each bound T. {@link #defaults()} is the
 * README's CPU job, {@link #cpu()} the CPU study in which the messages decode, {@link #paper()} the paper's GPU
 * configuration.
 *
 * @param bounds           PSNR bounds T in dB, one constrained model each (empty: baseline only)
 * @param baseline         whether the baseline model is trained too
 * @param dataDir          the images: the shipped MRI slices, a ChestX-ray14 folder, or any folder of images
 * @param outDir           where run folders are created
 * @param name             a name added to the run folder's name (empty for none)
 * @param imageSize        side H = W of the images, in pixels
 * @param messageBits      message length L
 * @param channels         convolution channels of every block (64 in the reference)
 * @param epochs           training epochs per model
 * @param batchSize        images per training step (and per evaluation batch)
 * @param learningRate     Adam learning rate of both optimizers
 * @param seed             master seed: initialisation, data order, messages, noise choice
 * @param noise            noise layers in the reference's {@code --noise} syntax ("" = identity, the paper's setting)
 * @param trainLimit       use at most this many training images (0: the whole training split)
 * @param valLimit         at most this many validation images (0: all)
 * @param testLimit        at most this many test images (0: all)
 * @param penaltyStart     τ in the first epoch
 * @param penaltyFactor    factor τ is multiplied by at the start of every {@code penaltyEvery}-th epoch
 * @param penaltyEvery     the period of τ's growth, in epochs
 * @param penaltyCap       the cap on τ (500 in the reference)
 * @param downstreamEpochs epochs of the downstream classifier (0: no downstream check)
 * @param threads          ND4J/OpenMP threads
 * @param preset           the preset the values came from ("default", "cpu", "paper"), for the record
 * @param engine           how each step is computed: fused (default, fastest) or the SameDiff graphs
 * @param methods          how the PSNR floors are enforced, one model per floor and method: {@code penalty} (the
 *                         sequential penalty, the paper's; modes {@code psnr<T>}) and/or {@code alm} (the per-image
 *                         augmented Lagrangian; modes {@code psnr<T>-alm})
 * @param alm              hyper-parameters of {@code alm} (ρ on the PSNR gap in dB)
 * @param preciseBatchNorm whether the encoder's and decoder's batch-norm running statistics are recomputed over the
 *                         training images before every evaluation (docs/hidden.md, "Precise batch norm")
 * @param margin           a training margin in dB: every floor T is trained as {@code PSNR_i ≥ T + margin}
 *                         ({@code c_i = T − PSNR_i ≤ −margin}) while satisfaction is still counted at T
 * @param lrDrop           after this many epochs both learning rates are multiplied by {@value #LR_DROP_FACTOR}
 *                         (0: never)
 * @param extraTrainDir    a folder of images added to the training split as extra carriers (validation, test and
 *                         the downstream classifier keep {@code dataDir}'s splits; docs/hidden.md, "More carriers"),
 *                         or null for none
 */
public record HiddenRunConfig(List<Double> bounds, boolean baseline, Path dataDir, Path outDir, String name,
                              int imageSize, int messageBits, int channels, int epochs, int batchSize,
                              double learningRate, long seed, String noise, int trainLimit, int valLimit,
                              int testLimit, double penaltyStart, double penaltyFactor, int penaltyEvery,
                              double penaltyCap, int downstreamEpochs, int threads, String preset,
                              HiddenSystem.Engine engine, List<String> methods,
                              AugmentedLagrangianConfig alm, boolean preciseBatchNorm, double margin,
                              int lrDrop, Path extraTrainDir) {

    /** The mode name of the baseline model. */
    public static final String BASELINE = "baseline";
    /** The methods that can enforce the floors. */
    public static final List<String> METHODS = List.of("penalty", "alm");
    /** The suffix of the modes trained with the augmented Lagrangian. */
    public static final String ALM_SUFFIX = "-alm";
    /** The per-image augmented Lagrangian of the presets: ρ = 0.1 per dB, η = ρ. */
    public static final AugmentedLagrangianConfig DEFAULT_ALM = AugmentedLagrangianConfig.constant(0.1);

    /** A configuration trained with the sequential penalty, batch norm's running statistics as trained, no margin. */
    public HiddenRunConfig(List<Double> bounds, boolean baseline, Path dataDir, Path outDir, String name,
                           int imageSize, int messageBits, int channels, int epochs, int batchSize,
                           double learningRate, long seed, String noise, int trainLimit, int valLimit,
                           int testLimit, double penaltyStart, double penaltyFactor, int penaltyEvery,
                           double penaltyCap, int downstreamEpochs, int threads, String preset,
                           HiddenSystem.Engine engine) {
        this(bounds, baseline, dataDir, outDir, name, imageSize, messageBits, channels, epochs, batchSize,
                learningRate, seed, noise, trainLimit, valLimit, testLimit, penaltyStart, penaltyFactor, penaltyEvery,
                penaltyCap, downstreamEpochs, threads, preset, engine, List.of("penalty"), DEFAULT_ALM, false, 0, 0,
                null);
    }

    /** This configuration with {@code dir} as its extra training images (null: none). */
    public HiddenRunConfig withExtraTrainDir(Path dir) {
        return new HiddenRunConfig(bounds, baseline, dataDir, outDir, name, imageSize, messageBits, channels, epochs,
                batchSize, learningRate, seed, noise, trainLimit, valLimit, testLimit, penaltyStart, penaltyFactor,
                penaltyEvery, penaltyCap, downstreamEpochs, threads, preset, engine, methods, alm, preciseBatchNorm,
                margin, lrDrop, dir);
    }

    public HiddenRunConfig {
        bounds = List.copyOf(Objects.requireNonNull(bounds, "bounds"));
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(alm, "alm");
        methods = List.copyOf(Objects.requireNonNull(methods, "methods"));
        if (methods.isEmpty() || !METHODS.containsAll(methods) || new HashSet<>(methods).size() != methods.size()) {
            throw new IllegalArgumentException("methods must be penalty and/or alm, got " + methods);
        }
        if (bounds.isEmpty() && !baseline) {
            throw new IllegalArgumentException("nothing to train: give PSNR bounds or the baseline");
        }
        for (double t : bounds) {
            if (!Double.isFinite(t) || t <= 0 || t > 200) {
                throw new IllegalArgumentException("PSNR bound must be a number of dB in (0, 200], got " + t);
            }
        }
        if (new HashSet<>(bounds).size() != bounds.size()) {
            throw new IllegalArgumentException("PSNR bounds must be distinct, got " + bounds);
        }
        if (!name.matches("[A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("name must use only letters, digits, '.', '_' and '-', got '" + name + "'");
        }
        atLeast("imageSize", imageSize, 4);
        if (imageSize > ImageConfig.MAX_SIZE) {
            throw new IllegalArgumentException("imageSize must be <= " + ImageConfig.MAX_SIZE + " pixels, got "
                    + imageSize);
        }
        atLeast("messageBits", messageBits, 1);
        atLeast("channels", channels, 1);
        atLeast("epochs", epochs, 0);
        atLeast("batchSize", batchSize, 2);
        atLeast("trainLimit", trainLimit, 0);
        atLeast("valLimit", valLimit, 0);
        atLeast("testLimit", testLimit, 0);
        atLeast("penaltyEvery", penaltyEvery, 1);
        atLeast("downstreamEpochs", downstreamEpochs, 0);
        atLeast("lrDrop", lrDrop, 0);
        atLeast("threads", threads, 1);
        if (trainLimit == 1 || valLimit == 1 || testLimit == 1) {
            throw new IllegalArgumentException("limits must be 0 (all) or >= 2 (batch norm needs two images), got"
                    + " trainLimit " + trainLimit + ", valLimit " + valLimit + ", testLimit " + testLimit);
        }
        positive("learningRate", learningRate);
        if (!Double.isFinite(margin) || margin < 0 || margin > 50) {
            throw new IllegalArgumentException("margin must be a number of dB in [0, 50], got " + margin);
        }
        // the schedule validates start, factor and cap with messages naming them
        new PenaltySchedule(penaltyStart, penaltyFactor, penaltyEvery, penaltyCap);
        NoiseSpec.parse(noise);
    }


    /**
     * The README's CPU job: baseline and PSNR ≥ 30, 40, 50 dB on the shipped MRI slices, 32 px, 30 bits, a short
     * schedule in which τ grows every epoch so the penalty acts within it.
     */
    public static HiddenRunConfig defaults() {
        return new HiddenRunConfig(List.of(30.0, 40.0, 50.0), true, MriSlices.DEFAULT_DIR, Path.of("runs"), "",
                32, 30, 64, 4, 16, 1e-3, 42L, "", 0, 0, 0, 0.1, 1.1, 1, PenaltySchedule.HIDDEN_CAP, 10, 1, "default",
                HiddenSystem.Engine.FUSED, List.of("penalty"), DEFAULT_ALM, false, 0, 0, null);
    }

    /**
     * The CPU study (docs/hidden.md, "The cpu preset"): the baseline and PSNR ≥ 30, 40, 50 dB, each floor by the
     * sequential penalty and by the per-image augmented Lagrangian, on every shipped MRI slice at 32 px, 30 bits,
     * 16 channels, batch 16, Adam 1e-3, with enough steps for the decoder to leave its coin-toss plateau:
     * {@value #CPU_EPOCHS} epochs of about 17 steps per model, the last 20 at a tenth of the rate; precise batch
     * norm, floors trained with a {@value #CPU_MARGIN} dB margin.
     */
    public static HiddenRunConfig cpu() {
        return new HiddenRunConfig(List.of(30.0, 40.0, 50.0), true, MriSlices.DEFAULT_DIR, Path.of("runs"), "",
                32, 30, 16, CPU_EPOCHS, 16, 1e-3, 42L, "", 0, 0, 0, 0.1, 1.1, 1, PenaltySchedule.HIDDEN_CAP, 10, 1,
                "cpu", HiddenSystem.Engine.FUSED, METHODS, DEFAULT_ALM, true, CPU_MARGIN, CPU_LR_DROP, null);
    }

    /** The training margin of {@link #cpu()}, in dB. */
    public static final double CPU_MARGIN = 2.0;

    /** The epochs of {@link #cpu()} at the full learning rate: the last 20 run at a tenth of it. */
    public static final int CPU_LR_DROP = 80;

    /** The factor on both learning rates after {@link #lrDrop()} epochs. */
    public static final double LR_DROP_FACTOR = 0.1;

    /** Epochs per model of {@link #cpu()}. */
    public static final int CPU_EPOCHS = 100;

    /** The preset of a name ({@code default}, {@code cpu}, {@code paper}; any case). */
    public static HiddenRunConfig preset(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "default" -> defaults();
            case "cpu" -> cpu();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("--preset must be default, cpu or paper, got '" + name + "'");
        };
    }

    /**
     * The paper's configuration (docs/experiments.md, "The HiDDeN experiment"): 224 px, 200 bits, batch 32, 200 epochs,
     * Adam 1e-4, τ ×1.1 every 10th epoch.
     */
    public static HiddenRunConfig paper() {
        return new HiddenRunConfig(List.of(30.0, 40.0, 50.0), true, MriSlices.DEFAULT_DIR, Path.of("runs"), "",
                224, 200, 64, 200, 32, 1e-4, 42L, "", 0, 0, 0, 0.1, 1.1, 10, PenaltySchedule.HIDDEN_CAP, 10, 1, "paper",
                HiddenSystem.Engine.FUSED, List.of("penalty"), DEFAULT_ALM, false, 0, 0, null);
    }

    /**
     * The modes in run order: {@code baseline} first (if trained), then per bound {@code psnr<T>} (penalty) and
     * {@code psnr<T>-alm} (augmented Lagrangian), as the methods ask.
     */
    public List<String> modes() {
        List<String> modes = new ArrayList<>();
        if (baseline) {
            modes.add(BASELINE);
        }
        for (double t : bounds) {
            for (String m : methods) {
                modes.add(modeOf(t) + (m.equals("alm") ? ALM_SUFFIX : ""));
            }
        }
        return modes;
    }

    /** The factor on the learning rates in the 0-based {@code epoch}: {@value #LR_DROP_FACTOR} from epoch lrDrop on. */
    public double learningRateScale(int epoch) {
        return lrDrop > 0 && epoch >= lrDrop ? LR_DROP_FACTOR : 1.0;
    }

    /** The mode name of a bound: {@code psnr30}, {@code psnr42.5}. */
    public static String modeOf(double bound) {
        return "psnr" + BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }

    /** The bound of a mode, NaN for the baseline. */
    public double boundOf(String mode) {
        String plain = mode.endsWith(ALM_SUFFIX) ? mode.substring(0, mode.length() - ALM_SUFFIX.length()) : mode;
        for (double t : bounds) {
            if (modeOf(t).equals(plain)) {
                return t;
            }
        }
        return Double.NaN;
    }

    /**
     * The method that trains a mode: the reference's baseline image term {@code 0.7·MSE_i} is the fixed penalty on
     * the image MSE; a PSNR floor is enforced on {@code c_i = T − PSNR_i ≤ −margin} by the sequential penalty
     * {@code τ_e·max(0, c_i)} (τ from {@code --penalty}) or by the per-image augmented Lagrangian over
     * {@code multipliers} (one per training image).
     *
     * @param multipliers the store of alm's multipliers (ignored otherwise; may then be null)
     */
    public ConstrainedMethod method(String mode, MultiplierStore multipliers) {
        if (BASELINE.equals(mode)) {
            return PenaltyMethod.fixed(model().encoderWeight());
        }
        if (hasMultipliers(mode)) {
            return alm.inequality(-margin, Objects.requireNonNull(multipliers, "multipliers"));
        }
        return PenaltyMethod.sequential(new PenaltySchedule(penaltyStart, penaltyFactor, penaltyEvery, penaltyCap),
                PenaltyFunction.HINGE, -margin);
    }

    /** Whether a mode keeps per-image multipliers. */
    public boolean hasMultipliers(String mode) {
        return mode.endsWith(ALM_SUFFIX);
    }

    /** The networks: the reference's blocks and loss weights with this run's size, bits, channels and rate. */
    public HiddenConfig model() {
        HiddenConfig r = HiddenConfig.reference(imageSize, messageBits);
        return new HiddenConfig(imageSize, messageBits, channels, r.encoderBlocks(), r.decoderBlocks(),
                r.discriminatorBlocks(), r.encoderWeight(), r.decoderWeight(), r.adversarialWeight(), learningRate);
    }
}
