package dev.constrained4j.models.weights.fast;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Seed 002's CNN after the input, {@code conv k×k (stride 1, no padding) → BatchNorm → ReLU → max-pool 2×2 → dense},
 * as one loop over pooling windows in double precision (the JDK's vector API over channels): neither the
 * convolution's full-resolution output nor the pooled activations are ever stored.
 *
 * <p><b>Batch statistics from the patches.</b> The convolution output is {@code y = W·u + b} for the input patch
 * {@code u} of each pixel, so its batch mean and biased variance per channel follow from the mean {@code m} and the
 * scatter matrix {@code S = Σ (u − m)(u − m)ᵀ} of the patches over all {@code N} output pixels:
 * {@code mean = W·m + b}, {@code var = WᵀSW / N} ({@link #statistics}). Batch norm then folds into the convolution:
 * {@code x̂ = scale·u + shift} ({@link #fold}), {@code z = γ·x̂ + β}, and the pooled activation of a window is
 * {@code a = max(0, max z)}; the dense layer adds {@code a·W_fc} to the logits window by window.
 *
 * <p><b>Backward.</b> Given the logits' gradient {@code δ}, the loop recomputes every window, adds {@code a·δ} to the
 * dense weights' gradient, and takes the pooled gradient {@code δ·W_fcᵀ}. Only a window's maximum carries it on, and
 * only where positive: {@code g}. It accumulates {@code Σg} (β's gradient), {@code Σ g·x̂} (γ's) and
 * {@code G = Σ g·u_argmax} per channel; the convolution's weight gradient follows from these, {@code m} and {@code S}
 * without visiting the pixels again ({@code FusedWeightsCnn}).
 *
 * <p>Windows are the outer loop and images the inner one, so a window's slice of the dense weights and of their
 * gradient stays in the L1 cache over the batch. Channels are padded to a multiple of the SIMD width with zero
 * weights, γ and β (their activations and gradients are 0). Ties inside a window go to the first maximum in
 * row-major order (the pixels of a window differ almost surely; ties at 0 carry no gradient through the ReLU).
 *
 * <p>Why the dense layer is here and not a GEMM: at batch 128 on this 2-core machine under load, ND4J's three GEMMs of
 * the dense layer alone ({@code [128, 21632] × [21632, 10]} and its two transposes) took 35–50 ms in double and
 * 25–50 ms in float, and needed the pooled activations and their gradient (22 MB each) in memory. The whole fused
 * step now takes 0.12–0.13 s; a clean A/B against the GEMM variant of this loop was not measured.
 */
final class ConvBnReluPoolDense {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    final int channels;
    final int height;
    final int width;
    final int kernel;
    final int hidden;
    /**
     * {@link #hidden} rounded up to four SIMD registers (the dense layer's sums run in four independent chains): the
     * channel stride of every per-channel array.
     */
    final int paddedHidden;
    final int outHeight;
    final int outWidth;
    final int poolWidth;
    /** Pooling windows per image. */
    final int windows;
    /** Values per input patch: {@code channels·kernel²}. */
    final int patch;
    final int classes;
    /** {@link #classes} rounded up to an even number: the dense layout's rows per window (extra rows are 0). */
    private final int pairedClasses;
    private final double[] deltaRow;

    /** {@code scale[p·paddedHidden + c]}: the folded weight of patch value p for channel c. */
    private final double[] scale;
    private final double[] shift;
    private final double[] gamma;
    private final double[] beta;
    /** The dense weights {@code [windows][pairedClasses][paddedHidden]}, and their gradient in the same layout. */
    final double[] dense;
    final double[] denseGradient;
    /** The patches' mean {@code [patch]} and scatter matrix {@code [patch][patch]} of the last statistics. */
    final double[] patchMean;
    final double[] scatter;
    /** Backward accumulators: {@code Σg}, {@code Σg·x̂} per channel and {@code G[p·paddedHidden + c]}. */
    final double[] gradientBeta;
    final double[] gradientGamma;
    final double[] gradientPatch;
    private final double[] columns;
    private final double[] windowMax;
    private final double[] windowNormalised;
    private final double[] windowArgmax;
    private final double[] moments;

    ConvBnReluPoolDense(int channels, int height, int width, int kernel, int hidden, int classes) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kernel = kernel;
        this.hidden = hidden;
        this.classes = classes;
        int block = 4 * SPECIES.length();
        this.paddedHidden = (hidden + block - 1) / block * block;
        this.outHeight = height - kernel + 1;
        this.outWidth = width - kernel + 1;
        this.poolWidth = outWidth / 2;
        this.windows = outHeight / 2 * poolWidth;
        this.patch = channels * kernel * kernel;
        this.scale = new double[patch * paddedHidden];
        this.shift = new double[paddedHidden];
        this.gamma = new double[paddedHidden];
        this.beta = new double[paddedHidden];
        this.pairedClasses = (classes + 1) / 2 * 2;
        this.deltaRow = new double[pairedClasses];
        this.dense = new double[windows * pairedClasses * paddedHidden];
        this.denseGradient = new double[dense.length];
        this.patchMean = new double[patch];
        this.scatter = new double[patch * patch];
        this.gradientBeta = new double[paddedHidden];
        this.gradientGamma = new double[paddedHidden];
        this.gradientPatch = new double[patch * paddedHidden];
        this.columns = new double[4 * patch];
        this.windowMax = new double[paddedHidden];
        this.windowNormalised = new double[paddedHidden];
        this.windowArgmax = new double[paddedHidden];
        this.moments = new double[patch * patch];
    }

    /** Pixels of the convolution output over a batch of {@code n} images. */
    int pixels(int n) {
        return n * outHeight * outWidth;
    }

    /**
     * Mean and scatter matrix of the input patches of all output pixels of {@code n} images (NCHW in {@code x}), in
     * one pass: {@code S = Σ uuᵀ − N·m·mᵀ} (for inputs of a sane scale, such as pixels in [0, 1], the cancellation
     * costs about one digit of the double precision).
     */
    void statistics(double[] x, int n) {
        Arrays.fill(patchMean, 0);
        Arrays.fill(moments, 0);
        double[] u = columns;
        for (int i = 0; i < n; i++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    gather(x, i, oy, ox, u, 0);
                    for (int p = 0; p < patch; p++) {
                        double v = u[p];
                        patchMean[p] += v;
                        int row = p * patch;
                        for (int q = p; q < patch; q++) {
                            moments[row + q] += v * u[q];
                        }
                    }
                }
            }
        }
        int count = pixels(n);
        for (int p = 0; p < patch; p++) {
            patchMean[p] /= count;
        }
        for (int p = 0; p < patch; p++) {
            for (int q = p; q < patch; q++) {
                double s = moments[p * patch + q] - count * patchMean[p] * patchMean[q];
                scatter[p * patch + q] = s;
                scatter[q * patch + p] = s;
            }
        }
    }

    /** {@code Σ_pq w[p]·S[p][q]·w[q]} for one channel's weights {@code w[offset .. offset + patch)}. */
    double quadraticForm(double[] w, int offset) {
        double total = 0;
        for (int p = 0; p < patch; p++) {
            total += w[offset + p] * scatterTimes(w, offset, p);
        }
        return total;
    }

    /** {@code (S·w)[p]} for one channel's weights. */
    double scatterTimes(double[] w, int offset, int p) {
        double s = 0;
        for (int q = 0; q < patch; q++) {
            s += scatter[p * patch + q] * w[offset + q];
        }
        return s;
    }

    /**
     * Sets {@code x̂ = rstd·(W·u + offset)} and {@code z = γ·x̂ + β} for every channel.
     *
     * @param weights {@code [hidden][patch]} (conv1_W's c order)
     */
    void fold(double[] weights, double[] offset, double[] rstd, double[] gammaValues, double[] betaValues) {
        for (int c = 0; c < hidden; c++) {
            for (int p = 0; p < patch; p++) {
                scale[p * paddedHidden + c] = rstd[c] * weights[c * patch + p];
            }
            shift[c] = rstd[c] * offset[c];
            gamma[c] = gammaValues[c];
            beta[c] = betaValues[c];
        }
    }

    /**
     * Sets the dense weights from {@code fc_W} ({@code [hidden·windows, classes]} in c order, inputs in the graph's
     * {@code (c, h, w)} order).
     */
    void setDense(double[] fcWeights) {
        for (int w = 0; w < windows; w++) {
            for (int k = 0; k < classes; k++) {
                int row = (w * pairedClasses + k) * paddedHidden;
                for (int c = 0; c < hidden; c++) {
                    dense[row + c] = fcWeights[(c * windows + w) * classes + k];
                }
            }
        }
    }

    /** {@link #denseGradient} in {@code fc_W}'s layout, into {@code into}. */
    void denseGradientTo(double[] into) {
        for (int w = 0; w < windows; w++) {
            for (int k = 0; k < classes; k++) {
                int row = (w * pairedClasses + k) * paddedHidden;
                for (int c = 0; c < hidden; c++) {
                    into[(c * windows + w) * classes + k] = denseGradient[row + c];
                }
            }
        }
    }

    /** Adds {@code a·W_fc} of every window of {@code n} images to {@code logits} ({@code [n][classes]}). */
    void forward(double[] x, int n, double[] logits) {
        int lanes = SPECIES.length();
        for (int w = 0; w < windows; w++) {
            for (int i = 0; i < n; i++) {
                gatherWindow(x, i, w);
                computeWindow();
                for (int c = 0; c < paddedHidden; c += lanes) {
                    DoubleVector.fromArray(SPECIES, windowMax, c).max(0.0).intoArray(windowMax, c);
                }
                for (int k = 0; k < classes; k++) {
                    int row = (w * pairedClasses + k) * paddedHidden;
                    DoubleVector s0 = DoubleVector.zero(SPECIES);
                    DoubleVector s1 = s0;
                    DoubleVector s2 = s0;
                    DoubleVector s3 = s0;
                    for (int c = 0; c < paddedHidden; c += 4 * lanes) {
                        s0 = DoubleVector.fromArray(SPECIES, windowMax, c)
                                .fma(DoubleVector.fromArray(SPECIES, dense, row + c), s0);
                        s1 = DoubleVector.fromArray(SPECIES, windowMax, c + lanes)
                                .fma(DoubleVector.fromArray(SPECIES, dense, row + c + lanes), s1);
                        s2 = DoubleVector.fromArray(SPECIES, windowMax, c + 2 * lanes)
                                .fma(DoubleVector.fromArray(SPECIES, dense, row + c + 2 * lanes), s2);
                        s3 = DoubleVector.fromArray(SPECIES, windowMax, c + 3 * lanes)
                                .fma(DoubleVector.fromArray(SPECIES, dense, row + c + 3 * lanes), s3);
                    }
                    logits[i * classes + k] += s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
                }
            }
        }
    }

    /**
     * Recomputes the windows of {@code n} images and, from the logits' gradient {@code delta} ({@code [n][classes]}),
     * sets {@link #denseGradient}, {@link #gradientBeta}, {@link #gradientGamma} and {@link #gradientPatch}.
     */
    void backward(double[] x, int n, double[] delta) {
        Arrays.fill(denseGradient, 0);
        Arrays.fill(gradientBeta, 0);
        Arrays.fill(gradientGamma, 0);
        Arrays.fill(gradientPatch, 0);
        int lanes = SPECIES.length();
        for (int w = 0; w < windows; w++) {
            int slice = w * pairedClasses * paddedHidden;
            for (int i = 0; i < n; i++) {
                System.arraycopy(delta, i * classes, deltaRow, 0, classes);
                gatherWindow(x, i, w);
                computeWindow();
                for (int c = 0; c < paddedHidden; c += lanes) {
                    DoubleVector max = DoubleVector.fromArray(SPECIES, windowMax, c);
                    DoubleVector a = max.max(0.0);
                    // two independent chains over the classes (padded to an even count with zero rows)
                    DoubleVector even = DoubleVector.zero(SPECIES);
                    DoubleVector odd = even;
                    for (int k = 0; k < pairedClasses; k += 2) {
                        int at = slice + k * paddedHidden + c;
                        DoubleVector d0 = DoubleVector.broadcast(SPECIES, deltaRow[k]);
                        DoubleVector d1 = DoubleVector.broadcast(SPECIES, deltaRow[k + 1]);
                        even = d0.fma(DoubleVector.fromArray(SPECIES, dense, at), even);
                        odd = d1.fma(DoubleVector.fromArray(SPECIES, dense, at + paddedHidden), odd);
                        a.fma(d0, DoubleVector.fromArray(SPECIES, denseGradient, at)).intoArray(denseGradient, at);
                        a.fma(d1, DoubleVector.fromArray(SPECIES, denseGradient, at + paddedHidden))
                                .intoArray(denseGradient, at + paddedHidden);
                    }
                    DoubleVector g = even.add(odd).blend(0.0, max.compare(VectorOperators.LE, 0.0));
                    DoubleVector.fromArray(SPECIES, gradientBeta, c).add(g).intoArray(gradientBeta, c);
                    g.fma(DoubleVector.fromArray(SPECIES, windowNormalised, c),
                            DoubleVector.fromArray(SPECIES, gradientGamma, c)).intoArray(gradientGamma, c);
                    DoubleVector arg = DoubleVector.fromArray(SPECIES, windowArgmax, c);
                    DoubleVector g0 = g.blend(0.0, arg.compare(VectorOperators.NE, 0.0));
                    DoubleVector g1 = g.blend(0.0, arg.compare(VectorOperators.NE, 1.0));
                    DoubleVector g2 = g.blend(0.0, arg.compare(VectorOperators.NE, 2.0));
                    DoubleVector g3 = g.blend(0.0, arg.compare(VectorOperators.NE, 3.0));
                    for (int p = 0; p < patch; p++) {
                        int at = p * paddedHidden + c;
                        g0.fma(DoubleVector.broadcast(SPECIES, columns[p]),
                                        DoubleVector.fromArray(SPECIES, gradientPatch, at))
                                .add(g1.mul(columns[patch + p]))
                                .add(g2.mul(columns[2 * patch + p]))
                                .add(g3.mul(columns[3 * patch + p]))
                                .intoArray(gradientPatch, at);
                    }
                }
            }
        }
    }

    /**
     * For the gathered window and every channel: the largest {@code z} of its four pixels, {@code x̂} there and which
     * pixel it is (0..3, row-major), into {@link #windowMax}, {@link #windowNormalised}, {@link #windowArgmax}.
     */
    private void computeWindow() {
        int lanes = SPECIES.length();
        for (int c = 0; c < paddedHidden; c += lanes) {
            DoubleVector s = DoubleVector.fromArray(SPECIES, shift, c);
            DoubleVector x0 = s;
            DoubleVector x1 = s;
            DoubleVector x2 = s;
            DoubleVector x3 = s;
            for (int p = 0; p < patch; p++) {
                DoubleVector a = DoubleVector.fromArray(SPECIES, scale, p * paddedHidden + c);
                x0 = a.fma(DoubleVector.broadcast(SPECIES, columns[p]), x0);
                x1 = a.fma(DoubleVector.broadcast(SPECIES, columns[patch + p]), x1);
                x2 = a.fma(DoubleVector.broadcast(SPECIES, columns[2 * patch + p]), x2);
                x3 = a.fma(DoubleVector.broadcast(SPECIES, columns[3 * patch + p]), x3);
            }
            DoubleVector g = DoubleVector.fromArray(SPECIES, gamma, c);
            DoubleVector b = DoubleVector.fromArray(SPECIES, beta, c);
            DoubleVector max = x0.mul(g).add(b);
            DoubleVector atMax = x0;
            DoubleVector arg = DoubleVector.zero(SPECIES);
            DoubleVector z = x1.mul(g).add(b);
            VectorMask<Double> higher = z.compare(VectorOperators.GT, max);
            max = max.blend(z, higher);
            atMax = atMax.blend(x1, higher);
            arg = arg.blend(1.0, higher);
            z = x2.mul(g).add(b);
            higher = z.compare(VectorOperators.GT, max);
            max = max.blend(z, higher);
            atMax = atMax.blend(x2, higher);
            arg = arg.blend(2.0, higher);
            z = x3.mul(g).add(b);
            higher = z.compare(VectorOperators.GT, max);
            max.blend(z, higher).intoArray(windowMax, c);
            atMax.blend(x3, higher).intoArray(windowNormalised, c);
            arg.blend(3.0, higher).intoArray(windowArgmax, c);
        }
    }

    /** The patches of the four pixels of window {@code w} of image {@code i}, into {@link #columns}. */
    private void gatherWindow(double[] x, int i, int w) {
        int oy = 2 * (w / poolWidth);
        int ox = 2 * (w % poolWidth);
        gather(x, i, oy, ox, columns, 0);
        gather(x, i, oy, ox + 1, columns, patch);
        gather(x, i, oy + 1, ox, columns, 2 * patch);
        gather(x, i, oy + 1, ox + 1, columns, 3 * patch);
    }

    /** The patch of output pixel {@code (oy, ox)} of image {@code i} in conv1_W's order {@code (c, ky, kx)}. */
    private void gather(double[] x, int i, int oy, int ox, double[] into, int at) {
        for (int c = 0; c < channels; c++) {
            int plane = (i * channels + c) * height;
            for (int ky = 0; ky < kernel; ky++) {
                int row = (plane + oy + ky) * width + ox;
                for (int kx = 0; kx < kernel; kx++) {
                    into[at++] = x[row + kx];
                }
            }
        }
    }
}
