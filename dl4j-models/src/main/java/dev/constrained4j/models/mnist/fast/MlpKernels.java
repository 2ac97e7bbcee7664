package dev.constrained4j.models.mnist.fast;

import static dev.constrained4j.models.simd.FloatMemory.get;
import static dev.constrained4j.models.simd.FloatMemory.load;
import static dev.constrained4j.models.simd.FloatMemory.put;
import static dev.constrained4j.models.simd.FloatMemory.store;

import dev.constrained4j.models.simd.FloatMemory;
import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise passes of the float MNIST model between its matrix products, with the JDK's vector API, on the
 * memory where ND4J keeps the activations (native byte order, an element offset per array): bias + ReLU, the
 * decoder's sigmoid + per-image squared error + its gradient, the rows' scaling by {@code ∂L/∂c_i}, and the ReLU
 * masks, each fused with the column sums of the bias gradients. Each was one to four ND4J ops (a native call and a
 * full pass over the array each) or a scalar Java loop around {@code Math.exp}.
 *
 * <p>Reproducible: every element goes through the same sequence of IEEE additions, multiplications and divisions
 * whether it falls in a SIMD register or in the scalar rest of a row (no fused multiply-add, no library {@code exp}
 * whose vector and scalar versions round differently), so a value does not depend on the register width nor on
 * whether the JIT has compiled the loop yet. Sums over a row keep one float partial sum per lane and add the lanes
 * in lane order in double; sums over rows (the bias gradients) add the rows in order.
 */
final class MlpKernels {

    private static final VectorSpecies<Float> SPECIES = FloatMemory.SPECIES;
    private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
    /** exp is evaluated on [−87, 87], where 2^n and the result stay normal floats. */
    private static final float EXP_LIMIT = 87f;
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two (Cody and Waite), so that {@code x − n·ln 2} loses no bits. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Minimax coefficients of (e^r − 1 − r)/r² on [−ln2/2, ln2/2] (Cephes' expf), highest degree first. */
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private MlpKernels() {
    }

    /** {@code y ← y + bias} row by row, then {@code max(y, 0)} when {@code relu}. */
    static void addBias(ByteBuffer y, int at, int rows, int cols, float[] bias, boolean relu) {
        int bound = SPECIES.loopBound(cols);
        int lanes = SPECIES.length();
        for (int i = 0; i < rows; i++) {
            int base = at + i * cols;
            int j = 0;
            for (; j < bound; j += lanes) {
                FloatVector v = load(y, base + j).add(FloatVector.fromArray(SPECIES, bias, j));
                store(relu ? v.max(0f) : v, y, base + j);
            }
            for (; j < cols; j++) {
                float v = get(y, base + j) + bias[j];
                put(y, base + j, relu ? Math.max(v, 0f) : v);
            }
        }
    }

    /**
     * The decoder's output and error: {@code a ← a + bias}, {@code x̂ = σ(a)}, {@code c_i·cols = Σ_j (x̂ − x)²} into
     * {@code sums[i]}, and, when {@code gradient} is not null, {@code (x̂ − x)·x̂(1 − x̂)} into it (what the backward
     * pass scales by {@code ∂L/∂c_i · 2/cols}). {@code a} itself is left as it was.
     */
    static void sigmoidSquaredError(ByteBuffer a, int aAt, ByteBuffer x, int xAt, int rows, int cols, float[] bias,
                                    double[] sums, ByteBuffer gradient, int gAt) {
        int bound = SPECIES.loopBound(cols);
        int lanes = SPECIES.length();
        float[] partial = new float[lanes];
        for (int i = 0; i < rows; i++) {
            int ab = aAt + i * cols;
            int xb = xAt + i * cols;
            int gb = gAt + i * cols;
            FloatVector acc = FloatVector.zero(SPECIES);
            int j = 0;
            for (; j < bound; j += lanes) {
                FloatVector pre = load(a, ab + j).add(FloatVector.fromArray(SPECIES, bias, j));
                FloatVector xh = ONE.div(exp(pre.neg()).add(1f));
                FloatVector d = xh.sub(load(x, xb + j));
                acc = acc.add(d.mul(d));
                if (gradient != null) {
                    store(d.mul(xh).mul(xh.neg().add(1f)), gradient, gb + j);
                }
            }
            acc.intoArray(partial, 0);
            double sum = 0;
            for (float p : partial) {
                sum += p;
            }
            for (; j < cols; j++) {
                float xh = 1f / (exp(-(get(a, ab + j) + bias[j])) + 1f);
                float d = xh - get(x, xb + j);
                sum += d * d;
                if (gradient != null) {
                    put(gradient, gb + j, d * xh * (-xh + 1f));
                }
            }
            sums[i] = sum;
        }
    }

    /** {@code out ← σ(a + bias)} row by row (the decoder's reconstructions, as {@link #sigmoidSquaredError} sees them). */
    static void sigmoid(ByteBuffer a, int aAt, int rows, int cols, float[] bias, ByteBuffer out, int outAt) {
        int bound = SPECIES.loopBound(cols);
        int lanes = SPECIES.length();
        for (int i = 0; i < rows; i++) {
            int ab = aAt + i * cols;
            int ob = outAt + i * cols;
            int j = 0;
            for (; j < bound; j += lanes) {
                FloatVector pre = load(a, ab + j).add(FloatVector.fromArray(SPECIES, bias, j));
                store(ONE.div(exp(pre.neg()).add(1f)), out, ob + j);
            }
            for (; j < cols; j++) {
                put(out, ob + j, 1f / (exp(-(get(a, ab + j) + bias[j])) + 1f));
            }
        }
    }

    /**
     * {@code g_ij ← g_ij·scale_i}, magnitudes below {@code flush} stored as zero, and the column sums of the result
     * into {@code columnSums} (rows added in order, in float).
     */
    static void scaleRows(ByteBuffer g, int at, int rows, int cols, float[] scale, float flush, float[] columnSums) {
        java.util.Arrays.fill(columnSums, 0, cols, 0f);
        int bound = SPECIES.loopBound(cols);
        int lanes = SPECIES.length();
        for (int i = 0; i < rows; i++) {
            int base = at + i * cols;
            float s = scale[i];
            int j = 0;
            for (; j < bound; j += lanes) {
                FloatVector v = load(g, base + j).mul(s);
                v = v.blend(0f, v.abs().compare(VectorOperators.LT, flush));
                store(v, g, base + j);
                FloatVector.fromArray(SPECIES, columnSums, j).add(v).intoArray(columnSums, j);
            }
            for (; j < cols; j++) {
                float v = get(g, base + j) * s;
                v = Math.abs(v) < flush ? 0f : v;
                put(g, base + j, v);
                columnSums[j] += v;
            }
        }
    }

    /**
     * The ReLU's backward pass: {@code g ← h > 0 ? g : 0} (h the ReLU's output), and the column sums of the result
     * into {@code columnSums}.
     */
    static void reluBackward(ByteBuffer g, int gAt, ByteBuffer h, int hAt, int rows, int cols, float[] columnSums) {
        java.util.Arrays.fill(columnSums, 0, cols, 0f);
        int bound = SPECIES.loopBound(cols);
        int lanes = SPECIES.length();
        for (int i = 0; i < rows; i++) {
            int gb = gAt + i * cols;
            int hb = hAt + i * cols;
            int j = 0;
            for (; j < bound; j += lanes) {
                VectorMask<Float> off = load(h, hb + j).compare(VectorOperators.LE, 0f);
                FloatVector v = load(g, gb + j).blend(0f, off);
                store(v, g, gb + j);
                FloatVector.fromArray(SPECIES, columnSums, j).add(v).intoArray(columnSums, j);
            }
            for (; j < cols; j++) {
                float v = get(h, hb + j) > 0f ? get(g, gb + j) : 0f;
                put(g, gb + j, v);
                columnSums[j] += v;
            }
        }
    }

    /** Column sums of {@code g} (rows added in order, in float). */
    static void columnSums(ByteBuffer g, int at, int rows, int cols, float[] columnSums) {
        java.util.Arrays.fill(columnSums, 0, cols, 0f);
        for (int i = 0; i < rows; i++) {
            int base = at + i * cols;
            for (int j = 0; j < cols; j++) {
                columnSums[j] += get(g, base + j);
            }
        }
    }

    /**
     * e^x for every lane: x = n·ln 2 + r with n = round(x·log2(e)) and |r| ≤ ln2/2, e^r from a degree-7 polynomial,
     * 2^n from the exponent bits. n is rounded by adding {@value #ROUNDER} (1.5·2²³, where a float's unit in the
     * last place is 1), which also leaves n in the low bits of the sum: no float-to-int conversion, which JDK 17's
     * vector API does not compile to one instruction on every CPU. Within 2 ulp of the exact value on [−87, 87];
     * arguments outside are clamped to it (σ's result is then below 1e−37 or 1 − 1e−37).
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-EXP_LIMIT).min(EXP_LIMIT);
        FloatVector t = x.mul(LOG2E).add(ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
        FloatVector er = p.mul(r).mul(r).add(r).add(1f);
        FloatVector scale = t.reinterpretAsInts().sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return er.mul(scale);
    }

    /** {@link #exp(FloatVector)} for one value, operation for operation. */
    static float exp(float x) {
        x = Math.min(Math.max(x, -EXP_LIMIT), EXP_LIMIT);
        float t = x * LOG2E + ROUNDER;
        float n = t - ROUNDER;
        float r = x - n * LN2_HI - n * LN2_LO;
        float p = ((((r * P0 + P1) * r + P2) * r + P3) * r + P4) * r + P5;
        float er = p * r * r + r + 1f;
        return er * Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUNDER_BITS - 127)) << 23);
    }
}
