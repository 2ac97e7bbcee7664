package dev.constrained4j.models.hidden.fast;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stride-1 convolutions on channels-last ({@code NHWC}) activations with weights in the canonical
 * {@code [out, in, k, k]} layout, run as libnd4j's {@code conv2d}/{@code conv2d_bp} ops (oneDNN with the
 * {@code -onednn} natives). Measured on this machine for 64→64 channels, 3×3, 64 px, batch 4: forward 7.6 ms in
 * NHWC against 10.5–13.9 ms in NCHW; {@code conv2d_bp} 22 ms in either layout.
 */
final class ConvOps {

    private ConvOps() {
    }

    /** conv2d integer arguments: kernel, stride 1, padding, dilation 1, explicit padding, NHWC, OIYX weights. */
    private static int[] arguments(int kernel, int padding) {
        return new int[]{kernel, kernel, 1, 1, padding, padding, 1, 1, 0, 1, 1};
    }

    /** {@code y = conv(x, w) + b}. */
    static void forward(INDArray x, INDArray w, INDArray b, INDArray y, int kernel, int padding) {
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(y)
                .addIntegerArguments(arguments(kernel, padding)).build());
    }

    /**
     * Images of at least this many pixels go through {@code conv2d_bp} one at a time. Measured for 64→64 channels,
     * one thread (ms per image, whole batch against one image per call): 128 px, batch 8: 30.7 against 20.0;
     * batch 2 and 4: 23.4 against 20.0; 64 px, batch 16: 3.8 against 5.7 (so smaller images stay batched). The
     * rule depends on the shape only, so results are reproducible run to run.
     */
    static final long PER_IMAGE_PIXELS = 128 * 128;

    /** The gradients of {@code conv(x, w) + b} given the output gradient {@code gy}: into {@code gx, gw, gb}. */
    static void backward(INDArray x, INDArray w, INDArray b, INDArray gy, INDArray gx, INDArray gw, INDArray gb,
                         int kernel, int padding) {
        long n = x.size(0);
        if (n == 1 || x.size(1) * x.size(2) < PER_IMAGE_PIXELS) {
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, gy).addOutputs(gx, gw, gb)
                    .addIntegerArguments(arguments(kernel, padding)).build());
            return;
        }
        INDArray imageW = gw.ulike();
        INDArray imageB = gb.ulike();
        for (long i = 0; i < n; i++) {
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(image(x, i), w, b, image(gy, i)).addOutputs(image(gx, i), imageW, imageB)
                    .addIntegerArguments(arguments(kernel, padding)).build());
            if (i == 0) {
                gw.assign(imageW);
                gb.assign(imageB);
            } else {
                gw.addi(imageW);
                gb.addi(imageB);
            }
        }
    }

    /** Image {@code i} of a c-ordered {@code [n, h, w, c]} array, as a {@code [1, h, w, c]} view. */
    private static INDArray image(INDArray a, long i) {
        long[] shape = {1, a.size(1), a.size(2), a.size(3)};
        long length = shape[1] * shape[2] * shape[3];
        return Nd4j.create(a.data(), shape, Nd4j.getStrides(shape, 'c'), a.offset() + i * length, 'c',
                a.dataType());
    }

    /**
     * The input gradient alone, as a forward convolution of {@code gy} with the {@link #flip flipped} weights
     * (exact for stride 1 and "same" padding {@code (k−1)/2}); about a third of the cost of {@code conv2d_bp},
     * which always computes the weight gradient too.
     */
    static void inputGradient(INDArray gy, INDArray flipped, INDArray gx, int kernel, int padding) {
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(gy, flipped).addOutputs(gx)
                .addIntegerArguments(arguments(kernel, padding)).build());
    }

    /** {@code flipped[i][o][ky][kx] = w[o][i][k−1−ky][k−1−kx]}: the weights of the transposed convolution. */
    static void flip(INDArray w, INDArray flipped) {
        int out = (int) w.size(0);
        int in = (int) w.size(1);
        int k = (int) w.size(2);
        float[] src = w.data().asFloat();
        float[] dst = new float[src.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                int s = (o * in + i) * k * k;
                int d = (i * out + o) * k * k;
                for (int j = 0; j < k * k; j++) {
                    dst[d + k * k - 1 - j] = src[s + j];
                }
            }
        }
        flipped.data().asNioFloat().put(0, dst);
    }

    /**
     * The weight and bias gradients of a 3×3, padding-1 convolution with few input channels, as one GEMM of the
     * image columns (im2col, plus a column of ones for the bias) with the output gradient. {@code conv2d_bp} with
     * 3 input channels took 27.8 ms at 64 px, batch 16, 12× its forward, mostly for an input gradient that the
     * first blocks of the encoder and discriminator never need.
     *
     * @param x  {@code [n, h, w, in]}; {@code gy} {@code [n, h, w, out]} (both plain c-ordered arrays)
     * @param gw receives {@code [out, in, 3, 3]}; {@code gb} receives {@code [out]}
     */
    static void smallInputGradients(INDArray x, INDArray gy, Workspace workspace, INDArray gw, INDArray gb) {
        int n = (int) x.size(0);
        int h = (int) x.size(1);
        int w = (int) x.size(2);
        int in = (int) x.size(3);
        int out = (int) gy.size(3);
        int pixels = n * h * w;
        int width = 9 * in + 1;
        float[] image = workspace.second(pixels * in);
        Buffer.read(x, image, pixels * in);
        float[] columns = workspace.third(pixels * width);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int base = ((i * h + y) * w + xx) * width;
                    for (int ky = 0; ky < 3; ky++) {
                        int sy = y + ky - 1;
                        for (int kx = 0; kx < 3; kx++) {
                            int sx = xx + kx - 1;
                            int at = base + (ky * 3 + kx) * in;
                            if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
                                java.util.Arrays.fill(columns, at, at + in, 0f);
                            } else {
                                System.arraycopy(image, ((i * h + sy) * w + sx) * in, columns, at, in);
                            }
                        }
                    }
                    columns[base + width - 1] = 1f;
                }
            }
        }
        INDArray columnView = workspace.columns.view(pixels, width);
        Buffer.write(columns, columnView, pixels * width);
        INDArray gyRows = Nd4j.create(gy.data(), new long[]{pixels, out}, new long[]{out, 1}, 0, 'c',
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray product = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT, width, out);
        Nd4j.gemm(columnView, gyRows, product, true, false, 1.0, 0.0);
        float[] p = product.data().asFloat();
        float[] weights = new float[out * in * 9];
        for (int o = 0; o < out; o++) {
            for (int ci = 0; ci < in; ci++) {
                for (int k = 0; k < 9; k++) {
                    weights[(o * in + ci) * 9 + k] = p[(k * in + ci) * out + o];
                }
            }
        }
        float[] bias = new float[out];
        System.arraycopy(p, (width - 1) * out, bias, 0, out);
        gw.data().asNioFloat().put(0, weights);
        gb.data().asNioFloat().put(0, bias);
    }
}
