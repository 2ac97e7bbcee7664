package dev.constrained4j.models.hidden.fast;

import static dev.constrained4j.models.simd.FloatMemory.get;
import static dev.constrained4j.models.simd.FloatMemory.load;
import static dev.constrained4j.models.simd.FloatMemory.put;
import static dev.constrained4j.models.simd.FloatMemory.store;

import dev.constrained4j.models.simd.FloatMemory;
import java.nio.ByteBuffer;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The element-wise loops of batch norm, ReLU and pooling over channels-last rows {@code [rows, channels]}, written
 * with the JDK's vector API ({@code jdk.incubator.vector}, enabled by {@code --add-modules} in the build and in
 * {@code .mvn/jvm.config}): the channels of a row are processed a full SIMD register at a time, the rest of the row
 * (when {@code channels} is not a multiple of the register width) one by one. Activations and gradients are read
 * and written where ND4J keeps them ({@link Buffer#bytes}, native byte order), without copies; the normalised
 * activations {@code x̂} stay on the Java heap between the forward and the backward pass.
 *
 * <p>Measured on this machine (AVX-512, 1M elements): the ReLU mask and both channel sums of the backward pass took
 * 8.6 ms as a plain loop with a branch, 2.0 ms branch-free, 0.39 ms vectorised. A channel sum over 4.2M floats read
 * in place took 1.2 ms, against 0.8 ms from a Java array plus 1.5 ms to copy it there.
 *
 * <p>Channel sums accumulate in float over blocks of {@value #BLOCK_ROWS} rows and in double across blocks, in
 * block order. With {@code --threads N > 1} the blocks are split between N threads (the convolutions already use
 * N OpenMP threads); the arithmetic of every block, and the order of the final additions, stay the same.
 * {@code z = γ·x̂ + β} is computed as a product then a sum (no fused multiply-add), the same way in every loop.
 */
final class ChannelKernels {

    static final int BLOCK_ROWS = 256;
    private static final VectorSpecies<Float> SPECIES = FloatMemory.SPECIES;

    private ChannelKernels() {
    }

    /** Per-channel sums of {@code v} over rows {@code [from, to)}, or of {@code (v − centre)²} when given. */
    static double[] sums(ByteBuffer v, int from, int to, int channels, float[] centre) {
        float[][] partial = new float[blocks(to - from)][channels];
        int bound = SPECIES.loopBound(channels);
        int lanes = SPECIES.length();
        inParallel(partial.length, (firstBlock, lastBlock) -> {
            for (int block = firstBlock; block < lastBlock; block++) {
                float[] p = partial[block];
                int start = from + block * BLOCK_ROWS;
                int end = Math.min(to, start + BLOCK_ROWS);
                for (int r = start; r < end; r++) {
                    int base = r * channels;
                    int c = 0;
                    if (centre == null) {
                        for (; c < bound; c += lanes) {
                            FloatVector.fromArray(SPECIES, p, c).add(load(v, base + c)).intoArray(p, c);
                        }
                        for (; c < channels; c++) {
                            p[c] += get(v, base + c);
                        }
                    } else {
                        for (; c < bound; c += lanes) {
                            FloatVector d = load(v, base + c).sub(FloatVector.fromArray(SPECIES, centre, c));
                            FloatVector.fromArray(SPECIES, p, c).add(d.mul(d)).intoArray(p, c);
                        }
                        for (; c < channels; c++) {
                            float d = get(v, base + c) - centre[c];
                            p[c] += d * d;
                        }
                    }
                }
            }
        });
        return inOrder(partial, channels);
    }

    /** {@code x̂ = (y − mean)·rstd} into {@code normalised}, and {@code a = max(0, γ·x̂ + β)}. */
    static void normaliseRelu(ByteBuffer y, float[] normalised, ByteBuffer a, int rows, int channels, float[] mean,
                              float[] rstd, float[] gamma, float[] beta) {
        inParallel(blocks(rows), (firstBlock, lastBlock) -> normaliseRelu(y, normalised, a, firstBlock * BLOCK_ROWS,
                Math.min(rows, lastBlock * BLOCK_ROWS), channels, mean, rstd, gamma, beta));
    }

    private static void normaliseRelu(ByteBuffer y, float[] normalised, ByteBuffer a, int from, int to, int channels,
                                      float[] mean, float[] rstd, float[] gamma, float[] beta) {
        int bound = SPECIES.loopBound(channels);
        int lanes = SPECIES.length();
        for (int r = from; r < to; r++) {
            int base = r * channels;
            int c = 0;
            for (; c < bound; c += lanes) {
                FloatVector h = load(y, base + c).sub(FloatVector.fromArray(SPECIES, mean, c))
                        .mul(FloatVector.fromArray(SPECIES, rstd, c));
                h.intoArray(normalised, base + c);
                store(h.mul(FloatVector.fromArray(SPECIES, gamma, c)).add(FloatVector.fromArray(SPECIES, beta, c))
                        .max(0f), a, base + c);
            }
            for (; c < channels; c++) {
                float h = (get(y, base + c) - mean[c]) * rstd[c];
                normalised[base + c] = h;
                put(a, base + c, Math.max(0f, gamma[c] * h + beta[c]));
            }
        }
    }

    /**
     * Masks the output gradient {@code g} in place by {@code γ·x̂ + β > 0} (ReLU's gradient, 0 at 0) and returns
     * {@code [Σ g, Σ g·x̂]} per channel over all rows: the gradients of β and γ.
     */
    static double[][] reluMaskAndSums(ByteBuffer g, float[] normalised, int rows, int channels, float[] gamma,
                                      float[] beta) {
        int blocks = blocks(rows);
        float[][] partialG = new float[blocks][channels];
        float[][] partialGx = new float[blocks][channels];
        int bound = SPECIES.loopBound(channels);
        int lanes = SPECIES.length();
        inParallel(blocks, (firstBlock, lastBlock) -> {
            for (int block = firstBlock; block < lastBlock; block++) {
                float[] pg = partialG[block];
                float[] pgx = partialGx[block];
                int end = Math.min(rows, (block + 1) * BLOCK_ROWS);
                for (int r = block * BLOCK_ROWS; r < end; r++) {
                    int base = r * channels;
                    int c = 0;
                    for (; c < bound; c += lanes) {
                        FloatVector h = FloatVector.fromArray(SPECIES, normalised, base + c);
                        FloatVector z = h.mul(FloatVector.fromArray(SPECIES, gamma, c))
                                .add(FloatVector.fromArray(SPECIES, beta, c));
                        FloatVector gz = load(g, base + c).blend(0f, z.compare(VectorOperators.LE, 0f));
                        store(gz, g, base + c);
                        FloatVector.fromArray(SPECIES, pg, c).add(gz).intoArray(pg, c);
                        FloatVector.fromArray(SPECIES, pgx, c).add(gz.mul(h)).intoArray(pgx, c);
                    }
                    for (; c < channels; c++) {
                        float h = normalised[base + c];
                        float gz = gamma[c] * h + beta[c] > 0f ? get(g, base + c) : 0f;
                        put(g, base + c, gz);
                        pg[c] += gz;
                        pgx[c] += gz * h;
                    }
                }
            }
        });
        return new double[][]{inOrder(partialG, channels), inOrder(partialGx, channels)};
    }

    /** Batch norm's input gradient in place: {@code g = factor·(g − meanG − x̂·meanGx)}. */
    static void batchNormInputGradient(ByteBuffer g, float[] normalised, int rows, int channels, float[] factor,
                                       float[] meanG, float[] meanGx) {
        inParallel(blocks(rows), (firstBlock, lastBlock) -> batchNormInputGradient(g, normalised,
                firstBlock * BLOCK_ROWS, Math.min(rows, lastBlock * BLOCK_ROWS), channels, factor, meanG, meanGx));
    }

    private static void batchNormInputGradient(ByteBuffer g, float[] normalised, int from, int to, int channels,
                                               float[] factor, float[] meanG, float[] meanGx) {
        int bound = SPECIES.loopBound(channels);
        int lanes = SPECIES.length();
        for (int r = from; r < to; r++) {
            int base = r * channels;
            int c = 0;
            for (; c < bound; c += lanes) {
                FloatVector h = FloatVector.fromArray(SPECIES, normalised, base + c);
                store(load(g, base + c).sub(FloatVector.fromArray(SPECIES, meanG, c))
                        .sub(h.mul(FloatVector.fromArray(SPECIES, meanGx, c)))
                        .mul(FloatVector.fromArray(SPECIES, factor, c)), g, base + c);
            }
            for (; c < channels; c++) {
                put(g, base + c, factor[c] * (get(g, base + c) - meanG[c] - normalised[base + c] * meanGx[c]));
            }
        }
    }

    /** Number of {@value #BLOCK_ROWS}-row blocks covering {@code rows} rows. */
    private static int blocks(int rows) {
        return (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    }

    /** Per-channel totals of per-block partial sums, added in block order (the same for any thread count). */
    private static double[] inOrder(float[][] partial, int channels) {
        double[] total = new double[channels];
        for (float[] p : partial) {
            for (int c = 0; c < channels; c++) {
                total[c] += p[c];
            }
        }
        return total;
    }

    /** Work on a range of blocks {@code [first, last)}. */
    private interface BlockRange {
        void run(int first, int last);
    }

    /**
     * Runs {@code work} over {@code blocks} blocks split into as many contiguous ranges as ND4J has threads
     * ({@code --threads}), on the common fork-join pool and the calling thread; one thread runs it in place. Every
     * block is computed the same way whatever the split, so results do not depend on the thread count.
     */
    private static void inParallel(int blocks, BlockRange work) {
        int parts = Math.min(blocks, Math.max(1, Nd4j.getEnvironment().maxThreads()));
        if (parts <= 1) {
            work.run(0, blocks);
            return;
        }
        IntStream.range(0, parts).parallel().forEach(p -> work.run(p * blocks / parts, (p + 1) * blocks / parts));
    }
}
