package dev.constrained4j.models.hidden.fast;

import dev.constrained4j.losses.constraint.PsnrConstraint;
import dev.constrained4j.models.hidden.HiddenConfig;
import dev.constrained4j.models.hidden.HiddenNetworks;
import dev.constrained4j.models.hidden.HiddenNetworks.Block;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The HiDDeN training step and validation pass of {@code HiddenSystem} (docs/experiments.md, "The HiDDeN experiment"),
 * written by hand in float on channels-last buffers: the same networks, losses, batch-norm behaviour and step order as
 * the SameDiff graphs, which stay the definition ({@code FusedHiddenTest} holds the two to each other).
 *
 * <p>Where it saves work over those graphs and over the PyTorch reference: the encoder runs once per step (its
 * activations are kept for the generator's backward pass); the discriminator's backward pass in the generator step
 * computes only the input gradient, as a transposed convolution; every activation, gradient and scratch array is
 * allocated once and reused; batch norm, ReLU, pooling, the losses and the message concatenation are single Java
 * loops over contiguous channels.
 *
 * <p>Parameters and running statistics are the caller's arrays (canonical names and layouts of
 * {@link HiddenNetworks}), read at every call and updated in place by the caller's optimizers. Float only;
 * not thread-safe.
 */
public final class FusedHidden {

    /** Losses and outputs of one step or validation batch (generator step values for a training step). */
    public record Values(double generatorLoss, double encoderMse, double decoderMse, double adversarialBce,
                         double discriminatorCoverBce, double discriminatorEncodedBce, double psnrViolation,
                         double[] psnr, INDArray decoded, INDArray encoded) {
    }

    private static final double DB_PER_NEPER = 10.0 / Math.log(10.0);

    private final HiddenConfig config;
    private final PsnrConstraint constraint;
    private final Map<String, INDArray> params;
    private final Workspace workspace = new Workspace();
    private final Map<String, INDArray> generatorGradients = new LinkedHashMap<>();
    private final Map<String, INDArray> discriminatorGradients = new LinkedHashMap<>();
    private final List<ConvBnRelu> encoderFeatures = new ArrayList<>();
    private final ConvBnRelu encoderConcat;
    private final List<ConvBnRelu> decoder = new ArrayList<>();
    private final PooledLinear decoderHead;
    private final List<ConvBnRelu> discriminator = new ArrayList<>();
    private final PooledLinear discriminatorHead;
    private final Buffer cover = new Buffer();
    private final Buffer concat = new Buffer();
    private final Buffer encoded = new Buffer();
    private final Buffer noised = new Buffer();
    private final INDArray finalWeightGradient;
    private final INDArray finalBiasGradient;
    /** The concatenation block's output of the last encoder pass (the final 1×1 convolution's input). */
    private INDArray encoderConcatOutput;
    /** Per-image PSNR and MSE of the last step or validation batch. */
    private double[] lastPsnr;
    private double[] lastMse;
    /** Cover and encoded pixels (NHWC) of the last {@link #imageValues}. */
    private float[] lastCoverValues;
    private float[] lastEncodedValues;

    /**
     * @param constraint the PSNR constraint in constrained mode, {@code null} for the baseline
     */
    public FusedHidden(HiddenConfig config, PsnrConstraint constraint, Map<String, INDArray> params,
                       Map<String, INDArray> runningStatistics) {
        requireVectorModule();
        for (INDArray p : params.values()) {
            if (p.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("the fused HiDDeN engine trains float parameters, got "
                        + p.dataType());
            }
        }
        this.config = config;
        this.constraint = constraint;
        this.params = params;
        List<Block> blocks = HiddenNetworks.encoderBlocks(config);
        for (Block b : blocks.subList(0, blocks.size() - 1)) {
            encoderFeatures.add(new ConvBnRelu(b, params, runningStatistics, generatorGradients, workspace));
        }
        encoderConcat = new ConvBnRelu(blocks.get(blocks.size() - 1), params, runningStatistics, generatorGradients,
                workspace);
        String last = HiddenNetworks.ENCODER_FINAL;
        finalWeightGradient = params.get(last + "_W").ulike();
        finalBiasGradient = params.get(last + "_b").ulike();
        generatorGradients.put(last + "_W", params.get(last + "_W").ulike().assign(0));
        generatorGradients.put(last + "_b", params.get(last + "_b").ulike().assign(0));
        for (Block b : HiddenNetworks.decoderBlocks(config)) {
            decoder.add(new ConvBnRelu(b, params, runningStatistics, generatorGradients, workspace));
        }
        decoderHead = new PooledLinear(HiddenNetworks.DECODER_OUT, config.messageBits(), config.messageBits(), params,
                generatorGradients);
        for (Block b : HiddenNetworks.discriminatorBlocks(config)) {
            discriminator.add(new ConvBnRelu(b, params, runningStatistics, discriminatorGradients, workspace));
        }
        discriminatorHead = new PooledLinear(HiddenNetworks.DISCRIMINATOR_OUT, config.channels(), 1, params,
                discriminatorGradients);
    }

    /**
     * Fails with a message that names the fix when the JVM was started without the JDK's vector module, which the
     * vectorised loops need (a {@code NoClassDefFoundError} in the middle of the first step otherwise).
     *
     * @throws IllegalStateException if {@code jdk.incubator.vector} is not in the boot layer
     */
    public static void requireVectorModule() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("the fused HiDDeN engine needs the JDK's vector module: start java with"
                    + " --add-modules jdk.incubator.vector (.mvn/jvm.config does it for mvn exec:java), or use"
                    + " --engine samediff");
        }
    }

    /**
     * The forward half of a training step: the encoder; the discriminator's gradients (cover → 1, encoded → 0) go
     * to {@code discriminatorStep}, which must update the discriminator's parameters in place; then the updated
     * discriminator and the decoder on the encoded images. Per image it gives the objective term
     * {@code ℓ_i = adversarialWeight·BCE(D(enc_i), 1) + decoderWeight·mean_j (dec_ij − m_ij)²} and the constraint
     * value {@code c_i} ({@code T − PSNR_i} in constrained mode, the image MSE in the baseline). Batch norm trains
     * and updates its running statistics. {@link #trainBackward} completes the step.
     *
     * @param coverImages {@code [n, 3, H, W]}; {@code message} {@code [n, L]}
     * @param noise       the noise layer of this step, {@code null} for identity
     * @param noiseValues its placeholder values for this batch
     * @param losses      receives ℓ_i; {@code constraints} receives c_i
     */
    public void trainForward(INDArray coverImages, INDArray message, NoiseBridge noise,
                             Map<String, INDArray> noiseValues, Consumer<Map<String, INDArray>> discriminatorStep,
                             double[] losses, double[] constraints) {
        int n = (int) coverImages.size(0);
        INDArray c = coverView(coverImages);
        INDArray e = encode(c, message, true);

        zero(discriminatorGradients);
        double[] onCover = discriminate(c, true);
        backwardThrough(discriminator, discriminatorHead, logitGradient(onCover, 1.0, 1.0), true, false);
        double[] onDetached = discriminate(e, true);
        backwardThrough(discriminator, discriminatorHead, logitGradient(onDetached, 0.0, 1.0), true, false);
        discriminatorStep.accept(discriminatorGradients);

        double[] onEncoded = discriminate(e, true);
        INDArray decoderInput = noise == null ? e
                : nhwc(noise.forward(nchw(e), coverImages.castTo(DataType.FLOAT), noiseValues), noised);
        double[][] decoded = decode(decoderInput, true);
        double[] image = imageValues(c, e, n);
        double[] perImageDecoder = new double[n];
        double decoderMse = decoderMse(decoded, message, perImageDecoder);
        for (int i = 0; i < n; i++) {
            losses[i] = config.adversarialWeight() * bce(onEncoded[i], 1.0) + config.decoderWeight() * perImageDecoder[i];
            constraints[i] = constraintValue(i);
        }
        step = new Step(c, e, n, message, noise, onCover, onDetached, onEncoded, image, decoderMse, decoded);
    }

    /**
     * The backward half of the step begun by {@link #trainForward}: the encoder-decoder's gradients of
     * {@code Σ_i (∂L/∂ℓ_i·∇ℓ_i + ∂L/∂c_i·∇c_i)} with {@code ∂L/∂ℓ_i = lossScale/n} and
     * {@code ∂L/∂c_i = constraintScale·w_i/n} (the constrained method's factors) go to {@code generatorStep}.
     *
     * @param objective the method's batch objective, reported as the generator loss
     */
    public Values trainBackward(double lossScale, double constraintScale, double[] weights, double objective,
                                Consumer<Map<String, INDArray>> generatorStep) {
        Step s = step;
        if (s == null) {
            throw new IllegalStateException("trainBackward needs a trainForward first");
        }
        step = null;
        int n = s.n();
        int imageElements = n * config.imageSize() * config.imageSize() * 3;
        zero(generatorGradients);
        // gradient of the generator objective with respect to the encoded images (NHWC), term by term
        INDArray viaDiscriminator = backwardThrough(discriminator, discriminatorHead,
                logitGradient(s.onEncoded(), 1.0, config.adversarialWeight() * lossScale), false, true);
        float[] encodedGradient = new float[imageElements];
        Buffer.read(viaDiscriminator, encodedGradient, imageElements);

        imageGradient(s.cover(), s.encoded(), n, constraintScale, weights, encodedGradient);

        double[][] decodedGradient = new double[n][config.messageBits()];
        decoderGradient(s.decoded(), s.message(), lossScale, decodedGradient);
        INDArray viaDecoder = backwardThrough(decoder, decoderHead, decodedGradient, true, true);
        addInto(encodedGradient, s.noise() == null ? viaDecoder : nhwc(s.noise().backward(nchw(viaDecoder)), noised));

        backwardEncoder(encodedGradient, n);
        generatorStep.accept(generatorGradients);
        return values(s.onCover(), s.onDetached(), s.onEncoded(), s.image(), s.decoderMse(), s.decoded(), null,
                objective);
    }

    /** What {@link #trainBackward} needs of its {@link #trainForward}. */
    private record Step(INDArray cover, INDArray encoded, int n, INDArray message, NoiseBridge noise,
                        double[] onCover, double[] onDetached, double[] onEncoded, double[] image,
                        double decoderMse, double[][] decoded) {
    }

    private Step step;

    /**
     * A validation batch: batch norm uses the running statistics, nothing is updated. The values hold the encoded
     * images ({@code [n, 3, H, W]}, a new array).
     */
    public Values validate(INDArray coverImages, INDArray message, NoiseBridge noise,
                           Map<String, INDArray> noiseValues) {
        int n = (int) coverImages.size(0);
        INDArray c = coverView(coverImages);
        INDArray e = encode(c, message, false);
        INDArray decoderInput = noise == null ? e
                : nhwc(noise.forward(nchw(e), coverImages.castTo(DataType.FLOAT), noiseValues), noised);
        double[][] decoded = decode(decoderInput, false);
        double decoderMse = decoderMse(decoded, message, null);
        double[] onCover = discriminate(c, false);
        double[] onEncoded = discriminate(e, false);
        double[] image = imageValues(c, e, n);
        double task = config.adversarialWeight() * meanBce(onEncoded, 1.0) + config.decoderWeight() * decoderMse;
        return values(onCover, onEncoded, onEncoded, image, decoderMse, decoded, nchw(e), task);
    }

    /**
     * One batch of a precise batch-norm pass ({@code HiddenSystem#recomputeRunningStatistics}): the encoder, the
     * noise layer and the decoder in training mode, each of their blocks' running statistics moved towards the
     * batch's by {@code momentum}; the discriminator, the parameters and the pending step are not touched (call it
     * between steps).
     */
    public void calibrate(INDArray coverImages, INDArray message, NoiseBridge noise, Map<String, INDArray> noiseValues,
                          double momentum) {
        List<ConvBnRelu> blocks = new ArrayList<>(encoderFeatures);
        blocks.add(encoderConcat);
        blocks.addAll(decoder);
        blocks.forEach(b -> b.runningMomentum(momentum));
        try {
            INDArray e = encode(coverView(coverImages), message, true);
            decode(noise == null ? e
                    : nhwc(noise.forward(nchw(e), coverImages.castTo(DataType.FLOAT), noiseValues), noised), true);
        } finally {
            blocks.forEach(b -> b.runningMomentum(HiddenNetworks.BN_MOMENTUM));
        }
    }

    /**
     * The losses of a step or batch from the discriminator's logits on the cover images, on the encoded images as
     * it saw them in its own step ({@code → 0}) and as the generator saw them ({@code → 1}), the
     * {@link #imageValues} and the decoder's MSE.
     */
    private Values values(double[] onCover, double[] onEncodedForDiscriminator, double[] onEncodedForGenerator,
                          double[] image, double decoderMse, double[][] decoded, INDArray encodedImages,
                          double generatorLoss) {
        double adversarial = meanBce(onEncodedForGenerator, 1.0);
        return new Values(generatorLoss, image[0], decoderMse, adversarial, meanBce(onCover, 1.0),
                meanBce(onEncodedForDiscriminator, 0.0), image[1], lastPsnr, Nd4j.create(decoded), encodedImages);
    }

    // ------------------------------------------------------------------------------------------ networks

    /** The cover images as an NHWC float view of this engine's buffer. */
    private INDArray coverView(INDArray images) {
        long[] s = images.shape();
        return cover.view(s[0], s[2], s[3], s[1]).assign(images.castTo(DataType.FLOAT).permute(0, 2, 3, 1));
    }

    /** Encoder: feature blocks, concatenation [message, features, image] per pixel, one block, 1×1 convolution. */
    private INDArray encode(INDArray c, INDArray message, boolean train) {
        INDArray x = c;
        for (ConvBnRelu b : encoderFeatures) {
            x = b.forward(x, train);
        }
        int n = (int) c.size(0);
        int size = config.imageSize();
        int channels = config.channels();
        int bits = config.messageBits();
        int perImage = size * size;
        int pixels = n * perImage;
        int width = bits + channels + 3;
        float[] features = workspace.first(pixels * channels);
        Buffer.read(x, features, pixels * channels);
        float[] image = new float[pixels * 3];
        Buffer.read(c, image, pixels * 3);
        float[] bitsPerImage = Buffer.floats(message);
        float[] joined = workspace.second(pixels * width);
        for (int p = 0; p < pixels; p++) {
            int base = p * width;
            System.arraycopy(bitsPerImage, (p / perImage) * bits, joined, base, bits);
            System.arraycopy(features, p * channels, joined, base + bits, channels);
            System.arraycopy(image, p * 3, joined, base + bits + channels, 3);
        }
        INDArray joinedView = concat.view(n, size, size, width);
        Buffer.write(joined, joinedView, pixels * width);
        encoderConcatOutput = encoderConcat.forward(joinedView, train);
        INDArray out = encoded.view(n, size, size, 3);
        String last = HiddenNetworks.ENCODER_FINAL;
        ConvOps.forward(encoderConcatOutput, params.get(last + "_W"), params.get(last + "_b"), out, 1, 0);
        return out;
    }

    private void backwardEncoder(float[] encodedGradient, int n) {
        int size = config.imageSize();
        int channels = config.channels();
        int bits = config.messageBits();
        int pixels = n * size * size;
        int width = bits + channels + 3;
        Buffer current = workspace.gradientA;
        INDArray gEncoded = current.view(n, size, size, 3);
        Buffer.write(encodedGradient, gEncoded, pixels * 3);
        Buffer next = workspace.otherGradient(current);
        INDArray gConcatOutput = next.view(encoderConcatOutput.shape());
        String last = HiddenNetworks.ENCODER_FINAL;
        ConvOps.backward(encoderConcatOutput, params.get(last + "_W"), params.get(last + "_b"), gEncoded,
                gConcatOutput, finalWeightGradient, finalBiasGradient, 1, 0);
        generatorGradients.get(last + "_W").addi(finalWeightGradient);
        generatorGradients.get(last + "_b").addi(finalBiasGradient);
        INDArray gJoined = current.view(encoderConcat.inputShape());
        encoderConcat.backward(gConcatOutput, gJoined, true);
        float[] joined = workspace.second(pixels * width);
        Buffer.read(gJoined, joined, pixels * width);
        float[] features = workspace.first(pixels * channels);
        for (int p = 0; p < pixels; p++) {
            System.arraycopy(joined, p * width + bits, features, p * channels, channels);
        }
        INDArray gFeatures = next.view(n, size, size, channels);
        Buffer.write(features, gFeatures, pixels * channels);
        backwardThrough(encoderFeatures, next, gFeatures, true, false);
    }

    private double[][] decode(INDArray x, boolean train) {
        for (ConvBnRelu b : decoder) {
            x = b.forward(x, train);
        }
        return decoderHead.forward(x);
    }

    private double[] discriminate(INDArray x, boolean train) {
        for (ConvBnRelu b : discriminator) {
            x = b.forward(x, train);
        }
        double[][] logits = discriminatorHead.forward(x);
        double[] out = new double[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = logits[i][0];
        }
        return out;
    }

    /** Backward through a head and its blocks; returns the network's input gradient when asked, else null. */
    private INDArray backwardThrough(List<ConvBnRelu> blocks, PooledLinear head, double[][] headGradient,
                                     boolean parameterGradients, boolean inputGradient) {
        Buffer current = workspace.gradientA;
        long[] shape = blocks.get(blocks.size() - 1).outputShape();
        INDArray gradient = current.view(shape);
        head.backward(headGradient, gradient, parameterGradients, workspace);
        return backwardThrough(blocks, current, gradient, parameterGradients, inputGradient);
    }

    private INDArray backwardThrough(List<ConvBnRelu> blocks, Buffer current, INDArray gradient,
                                     boolean parameterGradients, boolean inputGradient) {
        for (int i = blocks.size() - 1; i >= 0; i--) {
            ConvBnRelu block = blocks.get(i);
            if (i == 0 && !inputGradient) {
                block.backward(gradient, null, parameterGradients);
                return null;
            }
            Buffer next = workspace.otherGradient(current);
            INDArray inputGradientView = next.view(block.inputShape());
            block.backward(gradient, inputGradientView, parameterGradients);
            current = next;
            gradient = inputGradientView;
        }
        return gradient;
    }

    // ------------------------------------------------------------------------------------------ losses

    /**
     * Per-image MSE and PSNR of the encoded images (kept in {@link #lastMse} and {@link #lastPsnr}); returns
     * {@code [encoder MSE, mean PSNR violation mean_i max(0, T − PSNR_i) (NaN in the baseline)]}.
     */
    private double[] imageValues(INDArray c, INDArray e, int n) {
        int elements = (int) c.length();
        int perImage = elements / n;
        float[] coverValues = new float[elements];
        float[] encodedValues = new float[elements];
        Buffer.read(c, coverValues, elements);
        Buffer.read(e, encodedValues, elements);
        lastCoverValues = coverValues;
        lastEncodedValues = encodedValues;
        double[] mse = new double[n];
        double[] psnr = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = i * perImage; j < (i + 1) * perImage; j++) {
                double d = encodedValues[j] - coverValues[j];
                s += d * d;
            }
            total += s;
            mse[i] = s / perImage;
            psnr[i] = -DB_PER_NEPER * Math.log(mse[i] + PsnrConstraint.MSE_EPSILON);
        }
        lastMse = mse;
        lastPsnr = psnr;
        double encoderMse = total / elements;
        if (constraint == null) {
            return new double[]{encoderMse, Double.NaN};
        }
        double violation = 0;
        for (int i = 0; i < n; i++) {
            violation += Math.max(0, constraint.threshold() - psnr[i]);
        }
        return new double[]{encoderMse, violation / n};
    }

    /** {@code c_i} of the last {@link #imageValues}: {@code T − PSNR_i}, or the image MSE in the baseline. */
    private double constraintValue(int i) {
        return constraint == null ? lastMse[i] : constraint.threshold() - lastPsnr[i];
    }

    /**
     * Adds {@code Σ_i ∂L/∂c_i · ∂c_i/∂enc} to {@code gradient}, with {@code ∂L/∂c_i = scale·w_i/n} and
     * {@code ∂c_i/∂enc = dc/dmse_i · 2(enc − cover)/perImage}, {@code dc/dmse = 10/(ln 10·(mse_i + ε))} for
     * {@code T − PSNR_i} and 1 for the MSE.
     */
    private void imageGradient(INDArray c, INDArray e, int n, double scale, double[] weights, float[] gradient) {
        if (scale == 0) {
            return;
        }
        int elements = (int) c.length();
        int perImage = elements / n;
        // the pixels read by the step's imageValues (the buffers have not changed since)
        float[] coverValues = lastCoverValues;
        float[] encodedValues = lastEncodedValues;
        for (int i = 0; i < n; i++) {
            if (weights[i] == 0) {
                continue;
            }
            double dc = scale * weights[i] / n;
            float k = constraint == null ? (float) (dc * 2.0 / perImage)
                    : (float) (dc * DB_PER_NEPER / (lastMse[i] + PsnrConstraint.MSE_EPSILON) * 2.0 / perImage);
            for (int j = i * perImage; j < (i + 1) * perImage; j++) {
                gradient[j] += k * (encodedValues[j] - coverValues[j]);
            }
        }
    }

    /** {@code mean((decoded − message)²)}; the per-image means go to {@code perImage} when it is given. */
    private double decoderMse(double[][] decoded, INDArray message, double[] perImage) {
        double[][] m = message.castTo(DataType.DOUBLE).toDoubleMatrix();
        int n = decoded.length;
        int bits = config.messageBits();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double image = 0;
            for (int j = 0; j < bits; j++) {
                double d = decoded[i][j] - m[i][j];
                image += d * d;
            }
            sum += image;
            if (perImage != null) {
                perImage[i] = image / bits;
            }
        }
        return sum / (n * bits);
    }

    /** The gradient of {@code lossScale·decoderWeight·mean((decoded − message)²)} with respect to the decoded bits. */
    private void decoderGradient(double[][] decoded, INDArray message, double lossScale, double[][] gradient) {
        double[][] m = message.castTo(DataType.DOUBLE).toDoubleMatrix();
        int n = decoded.length;
        int bits = config.messageBits();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < bits; j++) {
                gradient[i][j] = config.decoderWeight() * lossScale * 2 * (decoded[i][j] - m[i][j]) / (n * bits);
            }
        }
    }

    private static double meanBce(double[] logits, double target) {
        double sum = 0;
        for (double x : logits) {
            sum += bce(x, target);
        }
        return sum / logits.length;
    }

    private static double bce(double x, double target) {
        return Math.max(x, 0) - x * target + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** {@code weight · d mean_i BCE(x_i, target) / d x_i = weight · (σ(x_i) − target) / n}, as {@code [n][1]}. */
    private static double[][] logitGradient(double[] logits, double target, double weight) {
        double[][] g = new double[logits.length][1];
        for (int i = 0; i < logits.length; i++) {
            g[i][0] = weight * (1.0 / (1.0 + Math.exp(-logits[i])) - target) / logits.length;
        }
        return g;
    }

    // ------------------------------------------------------------------------------------------ layouts

    private INDArray nhwc(INDArray nchw, Buffer into) {
        long[] s = nchw.shape();
        return into.view(s[0], s[2], s[3], s[1]).assign(nchw.permute(0, 2, 3, 1));
    }

    private static INDArray nchw(INDArray nhwc) {
        return nhwc.permute(0, 3, 1, 2).dup('c');
    }

    private void addInto(float[] target, INDArray nhwc) {
        int n = (int) nhwc.length();
        float[] values = workspace.first(n);
        Buffer.read(nhwc, values, n);
        for (int i = 0; i < n; i++) {
            target[i] += values[i];
        }
    }

    private static void zero(Map<String, INDArray> gradients) {
        for (INDArray g : gradients.values()) {
            g.assign(0);
        }
    }
}
