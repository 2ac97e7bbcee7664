package dev.constrained4j.models.hidden;

import dev.constrained4j.losses.constraint.PsnrConstraint;
import dev.constrained4j.losses.hidden.HiddenLosses;
import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.penalty.PenaltyObjective;
import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.models.hidden.HiddenNetworks.Network;
import dev.constrained4j.models.hidden.fast.FusedHidden;
import dev.constrained4j.models.hidden.fast.NoiseBridge;
import dev.constrained4j.models.hidden.noise.Identity;
import dev.constrained4j.models.hidden.noise.NoiseLayer;
import dev.constrained4j.models.hidden.noise.NoiseSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The HiDDeN training system (docs/experiments.md, "The HiDDeN experiment"; the analogue of the reference's
 * {@code HiDDeN/model/hidden.py}): the parameters of encoder, decoder and discriminator, their batch-norm running
 * statistics and two Adam optimizers (encoder-decoder; discriminator), trained by one of two engines (below).
 *
 * <p>A training step follows the reference step, in two halves so that a constrained method
 * ({@code losses.method}) can sit between them: {@link #trainForward} draws a noise layer (seeded by the system
 * seed and the step number), encodes the images, lets the discriminator take one Adam step on
 * {@code BCE(D(cover),1) + BCE(D(enc.detach()),0)} and computes, with the updated discriminator, each image's
 * objective term {@code ℓ_i = 1e-3·BCE(D(enc_i),1) + MSE(decoded_i, message_i)} and constraint value {@code c_i};
 * {@link #trainBackward} computes the encoder-decoder's gradient from the method's derivative factors. The
 * reference's baseline {@code g_enc = 0.7·MSE(enc, cover)} is the fixed penalty {@code 0.7·c_i} on the image MSE;
 * its constrained form {@code τ·mean_i max(0, T − PSNR_i)} is the sequential penalty on {@code c_i = T − PSNR_i}.
 * The system itself holds no coefficient. Batch norm runs in training mode in both halves, and its running
 * statistics are updated after every network call as PyTorch does (the discriminator's three times per step:
 * cover, detached encoded, encoded).
 *
 * <p>Two engines compute the step ({@link Engine}): by default, for float systems, the hand-written passes of
 * {@link FusedHidden}; otherwise the SameDiff graphs (one training and one evaluation graph per noise layer, one
 * discriminator graph), which are the definition the fused engine is tested against. Both read the same parameter
 * arrays, which the optimizers update in place, so a checkpoint continues with either. Not thread-safe.
 */
public final class HiddenSystem {

    private static final String COVER = "cover";
    private static final String MESSAGE = "message";
    private static final String ENCODED = "encoded";
    private static final String NOISED = "noised";
    private static final String DECODED = "decoded";
    private static final String TASK_LOSS = "task_loss";
    private static final String PSNR = "psnr";
    private static final String ENC_MSE = "enc_mse";
    private static final String DEC_MSE = "dec_mse";
    private static final String ADV_BCE = "adv_bce";
    private static final String VIOLATION = "psnr_violation";
    private static final String D_COVER_BCE = "d_cover_bce";
    private static final String D_ENC_BCE = "d_enc_bce";
    private static final String D_LOSS = "d_loss";
    private static final String FILE_MAGIC = "constrained4j-hidden-v2";

    private final HiddenConfig config;
    private final PsnrConstraint constraint;
    private final String noiseSpec;
    private final List<NoiseLayer> noise;
    private final long seed;
    private final DataType type;
    private final Map<String, INDArray> params;
    private final Map<String, INDArray> runningStats;
    private final AdamOptimizer generatorOptimizer;
    private final AdamOptimizer discriminatorOptimizer;
    private long trainSteps;
    private long validationSteps;

    /** How the training step and validation pass are computed; both give the same values (tested). */
    public enum Engine {
        /** Hand-written passes on channels-last buffers ({@link FusedHidden}); float only. The default. */
        FUSED,
        /** The SameDiff graphs of {@link HiddenSameDiff}; any floating type. */
        SAMEDIFF
    }

    private Engine engine;
    private FusedHidden fused;
    private final Map<Integer, NoiseBridge> noiseBridges = new HashMap<>();
    private Consumer<Map<String, INDArray>> gradientObserver = g -> { };

    private final Map<Integer, Graph> trainGraphs = new HashMap<>();
    private final Map<Integer, Graph> evalGraphs = new HashMap<>();
    private Graph discriminatorGraph;

    /** A graph with its batch statistics and the parameters it trains. */
    private record Graph(SameDiff sd, List<HiddenSameDiff.BatchStatistics> statistics, List<String> trained) {
    }

    /**
     * @param constraint the PSNR constraint in constrained mode, {@code null} for the baseline
     * @param noiseSpec  the noise layers in {@link NoiseSpec} syntax; identity is always one of the choices
     *                   ({@code ""}: identity only, the paper's setting)
     * @param seed       initialisation and noise-choice seed
     * @param type       floating type of parameters and graphs (float for training, double for checks)
     */
    public HiddenSystem(HiddenConfig config, PsnrConstraint constraint, String noiseSpec, long seed, DataType type) {
        this(config, constraint, noiseSpec, seed, type, HiddenNetworks.initialParameters(config, seed, type),
                HiddenNetworks.initialRunningStats(config, type));
    }

    private HiddenSystem(HiddenConfig config, PsnrConstraint constraint, String noiseSpec, long seed, DataType type,
                         Map<String, INDArray> params, Map<String, INDArray> runningStats) {
        this.config = Objects.requireNonNull(config, "config");
        this.constraint = constraint;
        this.noiseSpec = Objects.requireNonNull(noiseSpec, "noiseSpec");
        this.noise = NoiseSpec.choices(noiseSpec);
        this.seed = seed;
        if (!type.isFPType()) {
            throw new IllegalArgumentException("type must be a floating-point type, got " + type);
        }
        this.type = type;
        this.params = params;
        this.runningStats = runningStats;
        this.generatorOptimizer = new AdamOptimizer(config.learningRate());
        this.discriminatorOptimizer = new AdamOptimizer(config.learningRate());
        this.engine = type == DataType.FLOAT ? Engine.FUSED : Engine.SAMEDIFF;
    }

    /** The engine in use: {@link Engine#FUSED} for float systems unless changed, else {@link Engine#SAMEDIFF}. */
    public Engine engine() {
        return engine;
    }

    /**
     * Chooses the engine; the state (parameters, statistics, optimizers, step counts) is the same for both, so a
     * system can switch at any step and a checkpoint continues with either.
     */
    public HiddenSystem useEngine(Engine newEngine) {
        if (newEngine == Engine.FUSED && type != DataType.FLOAT) {
            throw new IllegalArgumentException("the fused HiDDeN engine trains in float; this system is " + type
                    + " (use the samediff engine)");
        }
        if (newEngine == Engine.FUSED) {
            FusedHidden.requireVectorModule();
        }
        this.engine = Objects.requireNonNull(newEngine, "engine");
        return this;
    }

    /** Sees every gradient map just before the optimizer step (tests compare the engines with it). */
    void observeGradients(Consumer<Map<String, INDArray>> observer) {
        this.gradientObserver = Objects.requireNonNull(observer, "observer");
    }

    /** The reference's baseline HiDDeN ({@code g_enc = 0.7·MSE}), float32. */
    public static HiddenSystem baseline(HiddenConfig config, String noiseSpec, long seed) {
        return new HiddenSystem(config, null, noiseSpec, seed, DataType.FLOAT);
    }

    /** The constrained HiDDeN with bound {@code PSNR_i >= psnrThreshold}, float32. */
    public static HiddenSystem constrained(HiddenConfig config, double psnrThreshold, String noiseSpec, long seed) {
        return new HiddenSystem(config, new PsnrConstraint(psnrThreshold), noiseSpec, seed, DataType.FLOAT);
    }

    public HiddenConfig config() {
        return config;
    }

    /** Whether the image term is the PSNR penalty (otherwise the baseline image MSE). */
    public boolean isConstrained() {
        return constraint != null;
    }

    /** The PSNR constraint, or {@code null} in the baseline. */
    public PsnrConstraint constraint() {
        return constraint;
    }

    /** Number of training steps ({@link #trainForward} calls) so far. */
    public long trainSteps() {
        return trainSteps;
    }

    /** The current parameters (live arrays: do not modify). */
    public Map<String, INDArray> parameters() {
        return java.util.Collections.unmodifiableMap(params);
    }

    /** Scales both optimizers' learning rate from now on ({@link AdamOptimizer#scaleLearningRate}). */
    public void scaleLearningRate(double factor) {
        generatorOptimizer.scaleLearningRate(factor);
        discriminatorOptimizer.scaleLearningRate(factor);
    }

    /** The current batch-norm running statistics (live arrays: do not modify). */
    public Map<String, INDArray> runningStatistics() {
        return java.util.Collections.unmodifiableMap(runningStats);
    }

    // ------------------------------------------------------------------------------------------ training

    /**
     * The forward half of a training step (see the class comment): a noise layer is drawn, the images are encoded,
     * the discriminator takes its Adam step, and the encoder-decoder's objective terms are computed with the updated
     * discriminator. Fills, per image {@code i} of the batch, {@code ℓ_i = adversarialWeight·BCE(D(enc_i), 1) +
     * decoderWeight·mean_j (dec_ij − m_ij)²} into {@code batch.losses()} and the constraint value {@code c_i} into
     * {@code batch.constraints()}: {@code T − PSNR_i} (bound 0) in constrained mode, the image MSE
     * {@code mean (enc_i − cover_i)²} in the baseline (whose method is the fixed penalty {@code 0.7·c_i}).
     * {@link #trainBackward} completes the step.
     *
     * @param cover   images {@code [mb, 3, H, W]} in [0, 1]
     * @param message bits {@code [mb, L]} in {0, 1}
     */
    public void trainForward(INDArray cover, INDArray message, SampleBatch batch) {
        checkBatch(cover, message);
        if (batch.size() != cover.size(0)) {
            throw new IllegalArgumentException("the batch has " + batch.size() + " samples, the images "
                    + cover.size(0));
        }
        SplittableRandom random = new SplittableRandom(mix(seed, 2 * trainSteps));
        trainSteps++;
        int choice = random.nextInt(noise.size());
        if (engine == Engine.FUSED) {
            Map<String, INDArray> noiseValues = noise.get(choice).placeholders(cover.shape(), random, type);
            fused().trainForward(cover, message, noiseBridge(choice), noiseValues, grads -> {
                gradientObserver.accept(grads);
                discriminatorOptimizer.step(params, grads);
            }, batch.losses(), batch.constraints());
            pending = new Pending(choice, null, null, message, null);
            return;
        }
        Graph g = trainGraphs.computeIfAbsent(choice, k -> buildGenerator(noise.get(k), HiddenSameDiff.Mode.TRAIN));
        Map<String, INDArray> feed = feed(cover, message, noise.get(choice), random);
        PenaltyObjective.feedNone(feed, batch.size(), type);

        INDArray encoded = g.sd().output(feed, ENCODED).get(ENCODED);

        // discriminator step on cover (→1) and detached encoded (→0)
        Graph d = discriminatorGraph();
        Map<String, INDArray> dFeed = Map.of(COVER, cast(cover), ENCODED, encoded);
        OutAndGrad dResult = d.sd().calculateGradientsAndOutputs(dFeed, outputs(d, D_COVER_BCE, D_ENC_BCE),
                d.trained());
        gradientObserver.accept(dResult.getGradients());
        discriminatorOptimizer.step(params, dResult.getGradients());
        updateRunningStats(d.statistics(), dResult.getOutputs(), HiddenNetworks.BN_MOMENTUM);

        // the generator's per-image terms with the updated discriminator
        Map<String, INDArray> terms = g.sd().output(feed, TASK_LOSS, PenaltyObjective.CONSTRAINT_VALUES);
        System.arraycopy(doubles(terms.get(TASK_LOSS)), 0, batch.losses(), 0, batch.size());
        System.arraycopy(doubles(terms.get(PenaltyObjective.CONSTRAINT_VALUES)), 0, batch.constraints(), 0,
                batch.size());
        pending = new Pending(choice, g, feed, message, dResult.getOutputs());
    }

    /**
     * The backward half of the step begun by {@link #trainForward}: the encoder-decoder's gradient of
     * {@code Σ_i (∂L/∂ℓ_i·∇ℓ_i + ∂L/∂c_i·∇c_i)} with the constrained method's factors ({@link BatchTerms}: loss
     * scale, constraint scale and the weights {@code w_i} in {@code batch.weights()}) goes to
     * {@link #generatorGradients()}; the caller's optimizer then steps {@link #generatorOptimizer()}.
     *
     * @return the step's metrics: {@code total_loss} (the method's objective), {@code encoder_mse, dec_mse,
     *         bitwise_error, adversarial_bce, discr_cover_bce, discr_encod_bce, avg_psnr}, and in constrained mode
     *         {@code psnr_violation, satisfied}
     */
    public Map<String, Double> trainBackward(SampleBatch batch, BatchTerms terms) {
        Pending p = pending;
        if (p == null) {
            throw new IllegalStateException("trainBackward needs a trainForward first");
        }
        pending = null;
        if (engine == Engine.FUSED) {
            FusedHidden.Values v = fused().trainBackward(terms.lossScale(), terms.constraintScale(), batch.weights(),
                    terms.objective(), grads -> {
                        gradientObserver.accept(grads);
                        lastGradients = grads;
                    });
            return trainingMetrics(v.generatorLoss(), v.encoderMse(), v.decoderMse(), v.decoded(), p.message(),
                    v.adversarialBce(), v.discriminatorCoverBce(), v.discriminatorEncodedBce(), v.psnr(),
                    v.psnrViolation());
        }
        Map<String, INDArray> feed = new HashMap<>(p.feed());
        PenaltyObjective.feed(feed, terms, batch, type);
        Graph g = p.graph();
        List<String> wanted = outputs(g, ENC_MSE, DEC_MSE, ADV_BCE, PSNR, DECODED);
        if (isConstrained()) {
            wanted.add(VIOLATION);
        }
        OutAndGrad gResult = g.sd().calculateGradientsAndOutputs(feed, wanted, g.trained());
        gradientObserver.accept(gResult.getGradients());
        lastGradients = gResult.getGradients();
        updateRunningStats(g.statistics(), gResult.getOutputs(), HiddenNetworks.BN_MOMENTUM);

        Map<String, INDArray> out = gResult.getOutputs();
        return trainingMetrics(terms.objective(), scalar(out, ENC_MSE), scalar(out, DEC_MSE), out.get(DECODED),
                p.message(), scalar(out, ADV_BCE), scalar(p.discriminator(), D_COVER_BCE),
                scalar(p.discriminator(), D_ENC_BCE), doubles(out.get(PSNR)),
                isConstrained() ? scalar(out, VIOLATION) : Double.NaN);
    }

    /** What {@link #trainBackward} needs of its {@link #trainForward} (graph, feed and outputs: SameDiff only). */
    private record Pending(int choice, Graph graph, Map<String, INDArray> feed, INDArray message,
                           Map<String, INDArray> discriminator) {
    }

    private Pending pending;
    private Map<String, INDArray> lastGradients = Map.of();

    /** The encoder-decoder's gradients of the last {@link #trainBackward}, keyed as {@link #parameters()}. */
    public Map<String, INDArray> generatorGradients() {
        return lastGradients;
    }

    /** The encoder-decoder's optimizer (stepped by the caller after {@link #trainBackward}; saved with the system). */
    public AdamOptimizer generatorOptimizer() {
        return generatorOptimizer;
    }

    /** The parameters as the optimizer updates them (live arrays). */
    public Map<String, INDArray> trainableParameters() {
        return params;
    }

    private Map<String, Double> trainingMetrics(double loss, double encoderMse, double decoderMse, INDArray decoded,
                                                INDArray message, double adversarial, double coverBce,
                                                double encodedBce, double[] psnr, double violation) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("total_loss", loss);
        metrics.put("encoder_mse", encoderMse);
        metrics.put("dec_mse", decoderMse);
        metrics.put("bitwise_error", mean(bitErrors(decoded, message)));
        metrics.put("adversarial_bce", adversarial);
        metrics.put("discr_cover_bce", coverBce);
        metrics.put("discr_encod_bce", encodedBce);
        metrics.put("avg_psnr", mean(psnr));
        if (isConstrained()) {
            metrics.put("psnr_violation", violation);
            metrics.put("satisfied", satisfied(psnr));
        }
        return metrics;
    }

    private FusedHidden fused() {
        if (fused == null) {
            fused = new FusedHidden(config, constraint, params, runningStats);
        }
        return fused;
    }

    /** The bridge of noise layer {@code choice}, {@code null} for identity (the encoded images go straight on). */
    private NoiseBridge noiseBridge(int choice) {
        NoiseLayer layer = noise.get(choice);
        if (layer instanceof Identity) {
            return null;
        }
        return noiseBridges.computeIfAbsent(choice, k -> new NoiseBridge(layer, config.imageSize()));
    }

    /** The metrics of one validation batch, per image where the reference has them. */
    public record BatchResult(double[] psnr, double[] bitErrors, double decoderMse, double encoderMse,
                              double adversarialBce, double discriminatorCoverBce, double discriminatorEncodedBce,
                              double psnrViolation, double totalLoss, double satisfiedFraction, INDArray encoded) {

        /** Mean over the images of the batch of the per-image bit error rates. */
        public double bitErrorRate() {
            return mean(bitErrors);
        }

        /** Mean PSNR of the batch. */
        public double meanPsnr() {
            return mean(psnr);
        }
    }

    /**
     * Evaluates a batch with batch norm in evaluation mode (running statistics) and no parameter change. A noise
     * layer is drawn as in training, from its own seeded sequence.
     */
    public BatchResult validateOnBatch(INDArray cover, INDArray message) {
        checkBatch(cover, message);
        SplittableRandom random = new SplittableRandom(mix(seed, 2 * validationSteps + 1));
        validationSteps++;
        int choice = random.nextInt(noise.size());
        if (engine == Engine.FUSED) {
            Map<String, INDArray> noiseValues = noise.get(choice).placeholders(cover.shape(), random, type);
            FusedHidden.Values v = fused().validate(cover, message, noiseBridge(choice), noiseValues);
            double[] psnr = v.psnr();
            return new BatchResult(psnr, bitErrors(v.decoded(), message), v.decoderMse(), v.encoderMse(),
                    v.adversarialBce(), v.discriminatorCoverBce(), v.discriminatorEncodedBce(),
                    isConstrained() ? v.psnrViolation() : Double.NaN, v.generatorLoss(),
                    isConstrained() ? satisfied(psnr) : Double.NaN, v.encoded());
        }
        Graph g = evalGraphs.computeIfAbsent(choice, k -> buildGenerator(noise.get(k), HiddenSameDiff.Mode.EVAL));
        Map<String, INDArray> feed = feed(cover, message, noise.get(choice), random);
        feed.putAll(runningStats);
        PenaltyObjective.feedNone(feed, (int) cover.size(0), type);
        List<String> wanted = new ArrayList<>(List.of(ENC_MSE, DEC_MSE, ADV_BCE, PSNR, DECODED, ENCODED,
                D_COVER_BCE, D_ENC_BCE));
        if (isConstrained()) {
            wanted.add(VIOLATION);
        }
        Map<String, INDArray> out = g.sd().output(feed, wanted.toArray(String[]::new));
        double[] psnr = doubles(out.get(PSNR));
        return new BatchResult(psnr, bitErrors(out.get(DECODED), message), scalar(out, DEC_MSE),
                scalar(out, ENC_MSE), scalar(out, ADV_BCE), scalar(out, D_COVER_BCE), scalar(out, D_ENC_BCE),
                isConstrained() ? scalar(out, VIOLATION) : Double.NaN,
                config.adversarialWeight() * scalar(out, ADV_BCE) + config.decoderWeight() * scalar(out, DEC_MSE),
                isConstrained() ? satisfied(psnr) : Double.NaN, out.get(ENCODED).dup());
    }

    /**
     * Precise batch norm (docs/hidden.md, "Precise batch norm"): replaces the running statistics of the encoder's and
     * the decoder's blocks by the average of their batch statistics over {@code batches}, each batch run through the
     * encoder, a noise layer and the decoder in training mode with the current weights (the mean, and the unbiased
     * variance, as in training; every batch weighs the same). Nothing else changes: parameters, optimizers, step
     * counts and the discriminator's statistics, which only the adversarial metrics read. The noise layers and their
     * values are drawn from a sequence of the seed and the training step count, so a resumed run recomputes the
     * same statistics.
     *
     * @param batches images {@code [mb, 3, H, W]} with their message bits, at least one batch
     */
    public void recomputeRunningStatistics(List<HiddenSampleModel.Images> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("precise batch norm needs at least one batch");
        }
        for (int k = 0; k < batches.size(); k++) {
            INDArray cover = batches.get(k).cover();
            INDArray message = batches.get(k).message();
            checkBatch(cover, message);
            SplittableRandom random = new SplittableRandom(mix(mix(seed, -1 - trainSteps), k));
            int choice = random.nextInt(noise.size());
            double momentum = 1.0 / (k + 1);
            if (engine == Engine.FUSED) {
                Map<String, INDArray> noiseValues = noise.get(choice).placeholders(cover.shape(), random, type);
                fused().calibrate(cover, message, noiseBridge(choice), noiseValues, momentum);
                continue;
            }
            Graph g = trainGraphs.computeIfAbsent(choice,
                    c -> buildGenerator(noise.get(c), HiddenSameDiff.Mode.TRAIN));
            Map<String, INDArray> feed = feed(cover, message, noise.get(choice), random);
            PenaltyObjective.feedNone(feed, (int) cover.size(0), type);
            List<HiddenSameDiff.BatchStatistics> generator = g.statistics().stream()
                    .filter(s -> !Network.DISCRIMINATOR.owns(s.block())).toList();
            List<String> wanted = new ArrayList<>();
            for (HiddenSameDiff.BatchStatistics s : generator) {
                wanted.add(s.mean());
                wanted.add(s.unbiasedVariance());
            }
            updateRunningStats(generator, g.sd().output(feed, wanted.toArray(String[]::new)), momentum);
        }
    }

    /** The ComputationGraph forms with the current parameters and running statistics. */
    public HiddenNetworks.Graphs exportGraphs() {
        return HiddenNetworks.graphs(config, params, runningStats, type);
    }

    private double satisfied(double[] psnr) {
        return Arrays.stream(psnr).filter(p -> p >= constraint.threshold()).count() / (double) psnr.length;
    }

    private Map<String, INDArray> feed(INDArray cover, INDArray message, NoiseLayer layer, SplittableRandom random) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(COVER, cast(cover));
        feed.put(MESSAGE, cast(message));
        feed.putAll(layer.placeholders(cover.shape(), random, type));
        return feed;
    }

    private void checkBatch(INDArray cover, INDArray message) {
        long h = config.imageSize();
        if (cover.rank() != 4 || cover.size(1) != 3 || cover.size(2) != h || cover.size(3) != h) {
            throw new IllegalArgumentException("cover must have shape [mb, 3, " + h + ", " + h + "], got "
                    + Arrays.toString(cover.shape()));
        }
        if (message.rank() != 2 || message.size(0) != cover.size(0) || message.size(1) != config.messageBits()) {
            throw new IllegalArgumentException("message must have shape [" + cover.size(0) + ", "
                    + config.messageBits() + "], got " + Arrays.toString(message.shape()));
        }
        if (cover.size(0) < 2) {
            throw new IllegalArgumentException("batch norm needs at least 2 images per batch, got " + cover.size(0));
        }
    }

    private INDArray cast(INDArray a) {
        return a.dataType() == type ? a : a.castTo(type);
    }

    private static List<String> outputs(Graph g, String... names) {
        List<String> list = new ArrayList<>(Arrays.asList(names));
        for (HiddenSameDiff.BatchStatistics s : g.statistics()) {
            list.add(s.mean());
            list.add(s.unbiasedVariance());
        }
        return list;
    }

    private void updateRunningStats(List<HiddenSameDiff.BatchStatistics> statistics, Map<String, INDArray> out,
                                    double m) {
        for (HiddenSameDiff.BatchStatistics s : statistics) {
            runningStats.get(s.block() + "_mean").muli(1 - m).addi(out.get(s.mean()).castTo(type).mul(m));
            runningStats.get(s.block() + "_var").muli(1 - m).addi(out.get(s.unbiasedVariance()).castTo(type).mul(m));
        }
    }

    // ------------------------------------------------------------------------------------------ graphs

    private Graph buildGenerator(NoiseLayer layer, HiddenSameDiff.Mode mode) {
        SameDiff sd = SameDiff.create();
        int size = config.imageSize();
        SDVariable cover = sd.placeHolder(COVER, type, -1, 3, size, size);
        SDVariable message = sd.placeHolder(MESSAGE, type, -1, config.messageBits());
        HiddenSameDiff nets = new HiddenSameDiff(sd, config, params, type, mode);
        SDVariable encoded = nets.encode(cover, message, "enc").rename(ENCODED);
        SDVariable noised = layer.define(sd, encoded, cover, size).rename(NOISED);
        SDVariable decoded = nets.decode(noised, "dec").rename(DECODED);
        SDVariable onEncoded = nets.discriminate(encoded, "dis_g");
        SDVariable adversarialPerImage = HiddenLosses.bceWithLogitsPerSample(sd, onEncoded, 1.0);
        adversarialPerImage.mean().rename(ADV_BCE);
        HiddenLosses.mse(sd, encoded, cover).rename(ENC_MSE);
        SDVariable decoderPerImage = HiddenLosses.perSampleMse(sd, decoded, message);
        decoderPerImage.mean().rename(DEC_MSE);
        PsnrConstraint.definePsnr(sd, encoded, cover).rename(PSNR);
        SDVariable c;
        if (isConstrained()) {
            c = constraint.define(sd, encoded, cover);
            sd.nn.relu(c, 0.0).mean().rename(VIOLATION);
        } else {
            c = PsnrConstraint.perImageMse(sd, encoded, cover);
        }
        SDVariable task = adversarialPerImage.mul(config.adversarialWeight())
                .add(decoderPerImage.mul(config.decoderWeight())).rename(TASK_LOSS);
        SDVariable loss = PenaltyObjective.define(sd, task, c);
        if (mode == HiddenSameDiff.Mode.EVAL) {
            SDVariable onCover = nets.discriminate(cover, "dis_c");
            HiddenLosses.bceWithLogits(sd, onCover, 1.0).rename(D_COVER_BCE);
            HiddenLosses.bceWithLogits(sd, onEncoded, 0.0).rename(D_ENC_BCE);
        }
        sd.setLossVariables(loss);
        List<String> trained = new ArrayList<>(nets.usedParameters(Network.ENCODER));
        trained.addAll(nets.usedParameters(Network.DECODER));
        return new Graph(sd, nets.statistics(), trained);
    }

    private Graph discriminatorGraph() {
        if (discriminatorGraph == null) {
            SameDiff sd = SameDiff.create();
            int size = config.imageSize();
            SDVariable cover = sd.placeHolder(COVER, type, -1, 3, size, size);
            SDVariable encoded = sd.placeHolder(ENCODED, type, -1, 3, size, size);
            HiddenSameDiff nets = new HiddenSameDiff(sd, config, params, type, HiddenSameDiff.Mode.TRAIN);
            SDVariable onCover = nets.discriminate(cover, "dis_c");
            SDVariable onEncoded = nets.discriminate(encoded, "dis_e");
            SDVariable coverBce = HiddenLosses.bceWithLogits(sd, onCover, 1.0).rename(D_COVER_BCE);
            SDVariable encodedBce = HiddenLosses.bceWithLogits(sd, onEncoded, 0.0).rename(D_ENC_BCE);
            sd.setLossVariables(coverBce.add(encodedBce).rename(D_LOSS));
            discriminatorGraph = new Graph(sd, nets.statistics(), nets.usedParameters(Network.DISCRIMINATOR));
        }
        return discriminatorGraph;
    }

    // ------------------------------------------------------------------------------------------ metrics

    /** Per-image bit error rates {@code mean_j |round(clip(dec_ij, 0, 1)) − m_ij|}. */
    public static double[] bitErrors(INDArray decoded, INDArray message) {
        double[][] d = decoded.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] m = message.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] errors = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            double sum = 0;
            for (int j = 0; j < d[i].length; j++) {
                sum += Math.abs(Math.rint(Math.min(1, Math.max(0, d[i][j]))) - m[i][j]);
            }
            errors[i] = sum / d[i].length;
        }
        return errors;
    }

    private static double scalar(Map<String, INDArray> out, String name) {
        return out.get(name).getDouble(0);
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static long mix(long seed, long n) {
        long z = seed + 0x9E3779B97F4A7C15L * (n + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    /**
     * Writes everything needed to continue training bit for bit (configuration, mode, noise, seed, step counts,
     * parameters, running statistics, both optimizers' states) to a stream: a file of its own (the runner writes it
     * through the project's one atomic writer) or a part of a training checkpoint. {@link #read} reads it back.
     */
    public void write(DataOutputStream out) throws IOException {
        out.writeUTF(FILE_MAGIC);
        HiddenConfig c = config;
        for (int v : new int[]{c.imageSize(), c.messageBits(), c.channels(), c.encoderBlocks(),
                c.decoderBlocks(), c.discriminatorBlocks()}) {
            out.writeInt(v);
        }
        for (double v : new double[]{c.encoderWeight(), c.decoderWeight(), c.adversarialWeight(),
                c.learningRate()}) {
            out.writeDouble(v);
        }
        out.writeBoolean(isConstrained());
        out.writeDouble(isConstrained() ? constraint.threshold() : Double.NaN);
        out.writeUTF(noiseSpec);
        out.writeLong(seed);
        out.writeUTF(type.name());
        out.writeLong(trainSteps);
        out.writeLong(validationSteps);
        writeArrays(out, params);
        writeArrays(out, runningStats);
        out.writeLong(generatorOptimizer.stepCount());
        writeArrays(out, generatorOptimizer.state());
        out.writeLong(discriminatorOptimizer.stepCount());
        writeArrays(out, discriminatorOptimizer.state());
    }

    /** Reads a system written by {@link #save}. */
    public static HiddenSystem load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return read(in);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a system written by {@link #write}. */
    public static HiddenSystem read(DataInputStream in) throws IOException {
        String magic = in.readUTF();
        if (!FILE_MAGIC.equals(magic)) {
            throw new IOException("not a HiDDeN checkpoint (header '" + magic + "')");
        }
        int[] ints = new int[6];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = in.readInt();
        }
        double[] doubles = new double[4];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = in.readDouble();
        }
        HiddenConfig config = new HiddenConfig(ints[0], ints[1], ints[2], ints[3], ints[4], ints[5],
                doubles[0], doubles[1], doubles[2], doubles[3]);
        boolean constrained = in.readBoolean();
        double threshold = in.readDouble();
        String noise = in.readUTF();
        long seed = in.readLong();
        DataType type = DataType.valueOf(in.readUTF());
        long trainSteps = in.readLong();
        long validationSteps = in.readLong();
        Map<String, INDArray> params = readArrays(in);
        Map<String, INDArray> running = readArrays(in);
        HiddenSystem system = new HiddenSystem(config, constrained ? new PsnrConstraint(threshold) : null, noise,
                seed, type, params, running);
        system.trainSteps = trainSteps;
        system.validationSteps = validationSteps;
        long gSteps = in.readLong();
        system.generatorOptimizer.restore(readArrays(in), gSteps);
        long dSteps = in.readLong();
        system.discriminatorOptimizer.restore(readArrays(in), dSteps);
        return system;
    }

    private static void writeArrays(DataOutputStream out, Map<String, INDArray> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            Nd4j.write(e.getValue(), out);
        }
    }

    private static Map<String, INDArray> readArrays(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            arrays.put(name, Nd4j.read(in));
        }
        return arrays;
    }
}
