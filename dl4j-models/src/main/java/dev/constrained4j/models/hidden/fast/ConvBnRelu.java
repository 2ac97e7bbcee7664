package dev.constrained4j.models.hidden.fast;

import dev.constrained4j.models.hidden.HiddenNetworks;
import java.nio.ByteBuffer;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One {@code Conv2d(3×3, padding 1) → BatchNorm2d → ReLU} block of the HiDDeN networks (docs/experiments.md,
 * "The HiDDeN experiment") on channels-last activations.
 *
 * <p>Training mode normalises with the batch mean and biased variance over {@code (N, H, W)} and updates the running
 * statistics at once, as PyTorch does in the forward pass (momentum 0.1, unbiased variance); evaluation mode uses the
 * running statistics. The backward pass is the batch-norm gradient with the batch statistics as functions of the
 * input: {@code dy = γ·rstd·(dz − mean(dz) − x̂·mean(dz·x̂))}, where {@code dz} is the output gradient masked by
 * {@code z > 0}. Channel sums accumulate in float over blocks of rows and in double across blocks.
 */
final class ConvBnRelu {

    /** Blocks with at most this many input channels (the images) take the weight gradient as one GEMM. */
    private static final int SMALL_INPUT = 4;

    private final String name;
    private final int in;
    private final int out;
    private final Map<String, INDArray> params;
    private final Map<String, INDArray> running;
    private final Map<String, INDArray> gradients;
    private final Workspace workspace;
    private final Buffer output = new Buffer();
    private final INDArray convWeightGradient;
    private final INDArray convBiasGradient;
    private final INDArray flipped;

    private INDArray input;
    private float[] normalised = new float[0];
    private float[] gamma;
    private float[] beta;
    private final float[] rstd;
    private int rows;
    private long[] outputShape;
    /** Weight of the batch's statistics in the running ones at a training-mode forward. */
    private double momentum = HiddenNetworks.BN_MOMENTUM;

    /**
     * @param gradients where {@link #backward} adds this block's parameter gradients (arrays named as the
     *                  parameters, created here)
     */
    ConvBnRelu(HiddenNetworks.Block block, Map<String, INDArray> params, Map<String, INDArray> running,
               Map<String, INDArray> gradients, Workspace workspace) {
        this.name = block.name();
        this.in = block.in();
        this.out = block.out();
        this.params = params;
        this.running = running;
        this.gradients = gradients;
        this.workspace = workspace;
        this.rstd = new float[out];
        this.convWeightGradient = Nd4j.createUninitialized(DataType.FLOAT, out, in, 3, 3);
        this.convBiasGradient = Nd4j.createUninitialized(DataType.FLOAT, out);
        this.flipped = Nd4j.createUninitialized(DataType.FLOAT, in, out, 3, 3);
        for (String suffix : new String[]{"_W", "_b", "_gamma", "_beta"}) {
            gradients.put(name + suffix, params.get(name + suffix).ulike().assign(0));
        }
    }

    /**
     * Sets the weight of a training-mode forward's batch statistics in the running statistics ({@code 1/(k+1)} at
     * the {@code k}-th batch of a precise batch-norm pass makes them the batches' average); PyTorch's 0.1 otherwise.
     */
    void runningMomentum(double weight) {
        this.momentum = weight;
    }

    /** Channels of the output. */
    int channels() {
        return out;
    }

    /**
     * The block's output {@code [n, h, w, out]}, a view of this block's own buffer that stays valid until its next
     * forward call; the block keeps {@code x} (not copied) for the backward pass.
     */
    INDArray forward(INDArray x, boolean train) {
        input = x;
        outputShape = new long[]{x.size(0), x.size(1), x.size(2), out};
        rows = Math.toIntExact(x.size(0) * x.size(1) * x.size(2));
        int n = rows * out;
        INDArray y = workspace.convolution.view(outputShape);
        ConvOps.forward(x, params.get(name + "_W"), params.get(name + "_b"), y, 3, 1);
        ByteBuffer v = Buffer.bytes(y);
        gamma = Buffer.floats(params.get(name + "_gamma"));
        beta = Buffer.floats(params.get(name + "_beta"));
        float[] mean = new float[out];
        if (train) {
            double[] sum = ChannelKernels.sums(v, 0, rows, out, null);
            for (int c = 0; c < out; c++) {
                mean[c] = (float) (sum[c] / rows);
            }
            double[] squares = ChannelKernels.sums(v, 0, rows, out, mean);
            double[] unbiased = new double[out];
            for (int c = 0; c < out; c++) {
                double variance = squares[c] / rows;
                rstd[c] = (float) (1.0 / Math.sqrt(variance + HiddenNetworks.BN_EPS));
                unbiased[c] = rows > 1 ? variance * rows / (rows - 1) : variance;
            }
            updateRunning(sum, unbiased);
        } else {
            float[] runningMean = Buffer.floats(running.get(name + "_mean"));
            float[] runningVar = Buffer.floats(running.get(name + "_var"));
            for (int c = 0; c < out; c++) {
                mean[c] = runningMean[c];
                rstd[c] = (float) (1.0 / Math.sqrt(runningVar[c] + HiddenNetworks.BN_EPS));
            }
        }
        if (normalised.length < n) {
            normalised = new float[n];
        }
        INDArray a = output.view(outputShape);
        ChannelKernels.normaliseRelu(v, normalised, Buffer.bytes(a), rows, out, mean, rstd, gamma, beta);
        return a;
    }

    /**
     * The backward pass of the last {@link #forward} (which must have been in training mode).
     *
     * @param outputGradient      {@code [n, h, w, out]}; its buffer is reused for the convolution's output gradient
     * @param inputGradient       receives {@code [n, h, w, in]}, or {@code null} when nobody needs it; must not share
     *                            memory with {@code outputGradient}
     * @param parameterGradients  whether to add the parameters' gradients to the gradient arrays; without them only
     *                            the input gradient is computed, by the cheaper transposed convolution
     */
    void backward(INDArray outputGradient, INDArray inputGradient, boolean parameterGradients) {
        ByteBuffer g = Buffer.bytes(outputGradient);
        double[][] sums = ChannelKernels.reluMaskAndSums(g, normalised, rows, out, gamma, beta);
        double[] betaGradient = sums[0];
        double[] gammaGradient = sums[1];
        float[] meanG = new float[out];
        float[] meanGx = new float[out];
        float[] factor = new float[out];
        for (int c = 0; c < out; c++) {
            meanG[c] = (float) (betaGradient[c] / rows);
            meanGx[c] = (float) (gammaGradient[c] / rows);
            factor[c] = gamma[c] * rstd[c];
        }
        ChannelKernels.batchNormInputGradient(g, normalised, rows, out, factor, meanG, meanGx);
        INDArray gy = outputGradient;
        INDArray w = params.get(name + "_W");
        boolean smallInput = in <= SMALL_INPUT;
        if (parameterGradients) {
            if (smallInput) {
                ConvOps.smallInputGradients(input, gy, workspace, convWeightGradient, convBiasGradient);
            } else {
                INDArray sink = inputGradient != null ? inputGradient : workspace.gradientSink.view(input.shape());
                ConvOps.backward(input, w, params.get(name + "_b"), gy, sink, convWeightGradient, convBiasGradient,
                        3, 1);
            }
            gradients.get(name + "_W").addi(convWeightGradient);
            gradients.get(name + "_b").addi(convBiasGradient);
            addInto(gradients.get(name + "_gamma"), gammaGradient);
            addInto(gradients.get(name + "_beta"), betaGradient);
        }
        if (inputGradient != null && (!parameterGradients || smallInput)) {
            ConvOps.flip(w, flipped);
            ConvOps.inputGradient(gy, flipped, inputGradient, 3, 1);
        }
    }

    /** Shape {@code [n, h, w, out]} of the last forward's output. */
    long[] outputShape() {
        return outputShape.clone();
    }

    /** Shape {@code [n, h, w, in]} of the last forward's input. */
    long[] inputShape() {
        return input.shape();
    }

    private void updateRunning(double[] sum, double[] unbiased) {
        double m = momentum;
        INDArray runningMean = running.get(name + "_mean");
        INDArray runningVar = running.get(name + "_var");
        double[] rm = runningMean.toDoubleVector();
        double[] rv = runningVar.toDoubleVector();
        for (int c = 0; c < out; c++) {
            rm[c] = (1 - m) * rm[c] + m * (float) (sum[c] / rows);
            rv[c] = (1 - m) * rv[c] + m * (float) unbiased[c];
        }
        runningMean.assign(Nd4j.createFromArray(rm).castTo(runningMean.dataType()));
        runningVar.assign(Nd4j.createFromArray(rv).castTo(runningVar.dataType()));
    }

    private static void addInto(INDArray target, double[] values) {
        target.addi(Nd4j.createFromArray(values).castTo(target.dataType()));
    }
}
