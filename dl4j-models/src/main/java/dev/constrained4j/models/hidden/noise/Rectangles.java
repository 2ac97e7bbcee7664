package dev.constrained4j.models.hidden.noise;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers shared by the noise layers: random rectangles, selection matrices and pixel masks. */
final class Rectangles {

    /** Placeholder names. */
    static final String ROWS = "noise_rows";
    static final String COLUMNS = "noise_columns";
    static final String MASK = "noise_mask";

    private Rectangles() {
    }

    /** A rectangle {@code [top, top+height) × [left, left+width)}. */
    record Rectangle(int top, int height, int left, int width) {
    }

    static double uniform(SplittableRandom r, double min, double max) {
        return min + r.nextDouble() * (max - min);
    }

    /**
     * The reference's {@code get_random_rectangle_inside}: remaining height {@code rint(U(hmin,hmax)·H)}, start
     * uniform in {@code [0, H − height)} (0 when nothing is cut); the same for the width with its own range.
     * (The reference draws the width from {@code (wmin, wmin)}, a bug that is not copied.)
     */
    static Rectangle random(long height, long width, double[] heightRange, double[] widthRange, SplittableRandom r) {
        int h = (int) Math.max(1, Math.rint(uniform(r, heightRange[0], heightRange[1]) * height));
        int w = (int) Math.max(1, Math.rint(uniform(r, widthRange[0], widthRange[1]) * width));
        int top = h >= height ? 0 : r.nextInt((int) height - h);
        int left = w >= width ? 0 : r.nextInt((int) width - w);
        return new Rectangle(top, Math.min(h, (int) height), left, Math.min(w, (int) width));
    }

    /** A {@code [count, size]} matrix whose row {@code i} selects index {@code source[i]}. */
    static INDArray selection(int[] source, long size, DataType type) {
        INDArray m = Nd4j.zeros(type, source.length, size);
        for (int i = 0; i < source.length; i++) {
            m.putScalar(i, source[i], 1.0);
        }
        return m;
    }

    /**
     * {@code x[..., rows, :][..., :, columns]} as {@code R·x·Cᵀ} with placeholder selection matrices. Written with
     * 2-D matrix products and reshapes to runtime shapes, because {@code tensormmul_bp} fails on rank-4 inputs
     * in M2.1.
     */
    static SDVariable select(SameDiff sd, SDVariable x, long height, long width, DataType type) {
        SDVariable rows = sd.placeHolder(ROWS, type, -1, height);
        SDVariable columns = sd.placeHolder(COLUMNS, type, -1, width);
        SDVariable byColumns = productLastAxis(sd, x, columns, width);                    // [mb, 3, H, w']
        SDVariable byRows = productLastAxis(sd, byColumns.permute(0, 1, 3, 2), rows, height); // [mb, 3, w', h']
        return byRows.permute(0, 1, 3, 2);
    }

    /** {@code x [a, b, c, n] · selectionᵀ [n, m]} → {@code [a, b, c, m]}. */
    private static SDVariable productLastAxis(SameDiff sd, SDVariable x, SDVariable selection, long n) {
        SDVariable flat = sd.mmul(x.reshape(-1, n), selection, false, true, false);
        SDVariable shape = sd.concat(0, sd.slice(sd.shape(x), new int[]{0}, 3),
                sd.slice(sd.shape(selection), new int[]{0}, 1));
        return sd.reshape(flat, shape);
    }

    /** {@code cover + (encoded − cover)·mask}, mask {@code [1, 1, H, W]} placeholder: 1 keeps the encoded pixel. */
    static SDVariable mix(SameDiff sd, SDVariable encoded, SDVariable cover, long height, long width, DataType type) {
        SDVariable mask = sd.placeHolder(MASK, type, 1, 1, height, width);
        return cover.add(encoded.sub(cover).mul(mask));
    }

    static INDArray rectangleMask(Rectangle rect, long height, long width, DataType type) {
        INDArray mask = Nd4j.zeros(type, 1, 1, height, width);
        for (int i = rect.top(); i < rect.top() + rect.height(); i++) {
            for (int j = rect.left(); j < rect.left() + rect.width(); j++) {
                mask.putScalar(new long[]{0, 0, i, j}, 1.0);
            }
        }
        return mask;
    }

    static int[] range(int start, int count) {
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = start + i;
        }
        return idx;
    }

    static void checkRange(String layer, String what, double[] range, double maxAllowed) {
        if (range.length != 2 || !(range[0] > 0) || range[1] < range[0] || range[1] > maxAllowed) {
            throw new IllegalArgumentException(layer + ": " + what + " range must be (min,max) with 0 < min <= max <= "
                    + maxAllowed + ", got " + java.util.Arrays.toString(range));
        }
    }
}
