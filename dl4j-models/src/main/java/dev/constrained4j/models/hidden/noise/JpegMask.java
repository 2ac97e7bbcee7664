package dev.constrained4j.models.hidden.noise;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The differentiable JPEG approximation of the original HiDDeN, "JPEG-Mask" (reference
 * {@code noise_layers/jpeg_compression.py}): zero-pad to a multiple of 8, RGB → YUV, 8×8 block DCT, keep the
 * first {@code keep} coefficients in zigzag order per channel (Y 25, U 9, V 9), inverse DCT, YUV → RGB, un-pad.
 * The DCT and its inverse are fixed 64×64 matrices applied to every block (the reference's stride-8
 * convolutions); the reference's (unnormalised DCT, scaled inverse) pair is kept, which is an exact inverse.
 */
public record JpegMask(int keepY, int keepU, int keepV) implements NoiseLayer {

    private static final int BLOCK = 8;
    private static final double[][] RGB_TO_YUV = {
            {0.299, 0.587, 0.114}, {-0.14713, -0.28886, 0.436}, {0.615, -0.51499, -0.10001}};
    private static final double[][] YUV_TO_RGB = {
            {1.0, 0.0, 1.13983}, {1.0, -0.39465, -0.58060}, {1.0, 2.03211, 0.0}};

    public JpegMask {
        for (int k : new int[]{keepY, keepU, keepV}) {
            if (k < 0 || k > BLOCK * BLOCK) {
                throw new IllegalArgumentException("jpeg: coefficients kept per channel must be in [0, 64], got " + k);
            }
        }
    }

    /** The reference's setting: keep 25, 9, 9 coefficients of Y, U, V. */
    public JpegMask() {
        this(25, 9, 9);
    }

    @Override
    public String name() {
        return "jpeg";
    }

    @Override
    public String spec() {
        return keepY == 25 && keepU == 9 && keepV == 9 ? "jpeg()" : "jpeg(" + keepY + "," + keepU + "," + keepV + ")";
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable encoded, SDVariable cover, int imageSize) {
        DataType type = encoded.dataType();
        int padded = (imageSize + BLOCK - 1) / BLOCK * BLOCK;
        int pad = padded - imageSize;
        SDVariable x = encoded;
        if (pad > 0) {
            INDArray paddings = Nd4j.createFromArray(new int[][]{{0, 0}, {0, 0}, {0, pad}, {0, pad}});
            x = sd.nn.pad(x, sd.constant(paddings), 0.0);
        }
        int blocks = padded / BLOCK;
        SDVariable yuv = channelMix(sd, x, RGB_TO_YUV, padded, type);
        // [mb, 3, H, W] → [mb, 3, blocks_h, blocks_w, 64] with pixel index n_y·8 + n_x
        SDVariable tiles = yuv.reshape(-1, 3, blocks, BLOCK, blocks, BLOCK).permute(0, 1, 2, 4, 3, 5)
                .reshape(-1, BLOCK * BLOCK);
        // 2-D products only: tensormmul_bp fails on higher ranks in M2.1
        SDVariable coefficients = sd.mmul(tiles, sd.constant(dctMatrix(type)), false, true, false)
                .reshape(-1, 3, blocks, blocks, BLOCK * BLOCK);
        SDVariable masked = coefficients.mul(sd.constant(mask(type))).reshape(-1, BLOCK * BLOCK);
        SDVariable pixels = sd.mmul(masked, sd.constant(idctMatrix(type)), false, true, false);
        SDVariable image = pixels.reshape(-1, 3, blocks, blocks, BLOCK, BLOCK).permute(0, 1, 2, 4, 3, 5)
                .reshape(-1, 3, padded, padded);
        SDVariable rgb = channelMix(sd, image, YUV_TO_RGB, padded, type);
        if (pad > 0) {
            rgb = sd.slice(rgb, new int[]{0, 0, 0, 0}, -1, 3, imageSize, imageSize);
        }
        return rgb;
    }

    /** {@code out[:, i] = Σ_j m[i][j] · x[:, j]}. */
    private static SDVariable channelMix(SameDiff sd, SDVariable x, double[][] m, int size, DataType type) {
        INDArray matrix = Nd4j.createFromArray(m).castTo(type);
        SDVariable pixels = x.permute(0, 2, 3, 1).reshape(-1, 3);
        return sd.mmul(pixels, sd.constant(matrix), false, true, false).reshape(-1, size, size, 3)
                .permute(0, 3, 1, 2);
    }

    /** {@code D[k, n] = cos(π/8 (n_y+½) k_y) · cos(π/8 (n_x+½) k_x)}: coefficients from pixels. */
    static INDArray dctMatrix(DataType type) {
        double[][] d = new double[64][64];
        for (int k = 0; k < 64; k++) {
            for (int n = 0; n < 64; n++) {
                d[k][n] = dct(n / 8, k / 8) * dct(n % 8, k % 8);
            }
        }
        return Nd4j.createFromArray(d).castTo(type);
    }

    /** {@code I[p, k] = idct(k_y, p_y) · idct(k_x, p_x)}: pixels from coefficients. */
    static INDArray idctMatrix(DataType type) {
        double[][] d = new double[64][64];
        for (int p = 0; p < 64; p++) {
            for (int k = 0; k < 64; k++) {
                d[p][k] = idct(k / 8, p / 8) * idct(k % 8, p % 8);
            }
        }
        return Nd4j.createFromArray(d).castTo(type);
    }

    private static double dct(int n, int k) {
        return Math.cos(Math.PI / BLOCK * (n + 0.5) * k);
    }

    private static double idct(int n, int k) {
        return ((n == 0 ? -0.5 : 0.0) + Math.cos(Math.PI / BLOCK * (k + 0.5) * n)) * Math.sqrt(1.0 / (2 * BLOCK));
    }

    /** {@code [1, 3, 1, 1, 64]}: 1 for the first {@code keep} coefficients in zigzag order of each channel. */
    INDArray mask(DataType type) {
        List<int[]> order = new ArrayList<>();
        for (int i = 0; i < BLOCK; i++) {
            for (int j = 0; j < BLOCK; j++) {
                order.add(new int[]{i, j});
            }
        }
        // the reference's key: (i + j, −j if (i + j) odd else j)
        order.sort(Comparator.<int[]>comparingInt(p -> p[0] + p[1])
                .thenComparingInt(p -> (p[0] + p[1]) % 2 == 1 ? -p[1] : p[1]));
        INDArray mask = Nd4j.zeros(type, 1, 3, 1, 1, BLOCK * BLOCK);
        int[] keep = {keepY, keepU, keepV};
        for (int c = 0; c < 3; c++) {
            for (int[] p : order.subList(0, keep[c])) {
                mask.putScalar(new long[]{0, c, 0, 0, p[0] * BLOCK + p[1]}, 1.0);
            }
        }
        return mask;
    }

    @Override
    public Map<String, INDArray> placeholders(long[] imageShape, SplittableRandom random, DataType type) {
        return Map.of();
    }
}
