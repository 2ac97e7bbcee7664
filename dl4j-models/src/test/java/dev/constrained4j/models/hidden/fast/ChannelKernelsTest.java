package dev.constrained4j.models.hidden.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The vector loops against plain double arithmetic, with a channel count that is not a multiple of the SIMD width,
 * and bit-identical results whether one thread or two run them.
 */
class ChannelKernelsTest {

    private static final int ROWS = 1000;
    private static final int CHANNELS = 21;

    private static ByteBuffer buffer(float[] values) {
        ByteBuffer b = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(values);
        return b;
    }

    private static float[] floats(ByteBuffer b, int n) {
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return v;
    }

    /** Everything the loops compute, flattened, with ND4J (and so the loops) on {@code threads} threads. */
    private static double[] runAll(int threads) {
        int previous = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(threads);
        try {
            return runAll();
        } finally {
            Nd4j.getEnvironment().setMaxThreads(previous);
        }
    }

    /** The loops' inputs: activations, gradients and per-channel values, seeded. */
    private record Inputs(float[] y, float[] g, float[] mean, float[] rstd, float[] gamma, float[] beta) {
        static Inputs seeded() {
            SplittableRandom r = new SplittableRandom(5);
            return new Inputs(random(r, ROWS * CHANNELS), random(r, ROWS * CHANNELS), random(r, CHANNELS),
                    random(r, CHANNELS), random(r, CHANNELS), random(r, CHANNELS));
        }
    }

    /** Everything the loops compute, flattened. */
    private static double[] runAll() {
        Inputs in = Inputs.seeded();
        float[] y = in.y();
        float[] g = in.g();
        float[] mean = in.mean();
        float[] rstd = in.rstd();
        float[] gamma = in.gamma();
        float[] beta = in.beta();
        float[] normalised = new float[ROWS * CHANNELS];
        ByteBuffer a = buffer(new float[ROWS * CHANNELS]);
        double[] sums = ChannelKernels.sums(buffer(y), 0, ROWS, CHANNELS, null);
        double[] squares = ChannelKernels.sums(buffer(y), 0, ROWS, CHANNELS, mean);
        ChannelKernels.normaliseRelu(buffer(y), normalised, a, ROWS, CHANNELS, mean, rstd, gamma, beta);
        ByteBuffer gb = buffer(g);
        double[][] masked = ChannelKernels.reluMaskAndSums(gb, normalised, ROWS, CHANNELS, gamma, beta);
        ChannelKernels.batchNormInputGradient(gb, normalised, ROWS, CHANNELS, rstd, mean, beta);
        double[] all = new double[2 * CHANNELS + 2 * CHANNELS + 3 * ROWS * CHANNELS];
        int k = 0;
        for (double[] part : new double[][]{sums, squares, masked[0], masked[1]}) {
            for (double x : part) {
                all[k++] = x;
            }
        }
        for (float[] part : new float[][]{normalised, floats(a, ROWS * CHANNELS), floats(gb, ROWS * CHANNELS)}) {
            for (float x : part) {
                all[k++] = x;
            }
        }
        return all;
    }

    @Test
    void twoThreadsGiveBitIdenticalResults() {
        assertArrayEquals(runAll(1), runAll(2));
    }

    @Test
    void loopsEqualPlainArithmetic() {
        Inputs in = Inputs.seeded();
        double[] all = runAll();
        for (int c = 0; c < CHANNELS; c++) {
            double sum = 0;
            double squares = 0;
            double maskedSum = 0;
            for (int row = 0; row < ROWS; row++) {
                int i = row * CHANNELS + c;
                sum += in.y()[i];
                squares += (in.y()[i] - in.mean()[c]) * (in.y()[i] - in.mean()[c]);
                double h = (in.y()[i] - in.mean()[c]) * in.rstd()[c];
                double gz = in.gamma()[c] * h + in.beta()[c] > 0 ? in.g()[i] : 0;
                maskedSum += gz;
                // batchNormInputGradient was called with factor = rstd, meanG = mean, meanGx = beta
                assertEquals(in.rstd()[c] * (gz - in.mean()[c] - h * in.beta()[c]),
                        all[4 * CHANNELS + 2 * ROWS * CHANNELS + i], 1e-4, "input gradient");
                assertEquals(h, all[4 * CHANNELS + i], 1e-5, "x̂");
                assertEquals(Math.max(0, in.gamma()[c] * h + in.beta()[c]), all[4 * CHANNELS + ROWS * CHANNELS + i],
                        1e-5, "a");
            }
            assertEquals(sum, all[c], 1e-3, "sum");
            assertEquals(squares, all[CHANNELS + c], 1e-2, "squares");
            assertEquals(maskedSum, all[2 * CHANNELS + c], 1e-3, "masked gradient sum");
        }
    }
}
