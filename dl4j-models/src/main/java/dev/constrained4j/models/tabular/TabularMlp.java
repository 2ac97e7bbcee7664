package dev.constrained4j.models.tabular;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A multilayer perceptron {@code sizes[0] → sizes[1] → … → 1} with ReLU hidden layers and one logit out (the seed
 * paper's fairness network is {@code d → 64 → 32 → 1}), with a forward pass that keeps its activations and a backward
 * pass from {@code ∂L/∂z_i}, the derivative of the objective by each row's logit. Parameters and gradients are views of
 * two flat ND4J vectors (so that any optimiser of the project updates them), named {@code l<k>_W}
 * ({@code [nIn, nOut]}) and {@code l<k>_b} ({@code [1, nOut]}), the layout of a DL4J {@code DenseLayer}'s {@code W} and
 * {@code b}; it is tested to give the loss and gradient of the equivalent DL4J {@code MultiLayerNetwork}.
 *
 * <p>The passes are plain Java loops in double precision over row-major arrays: at these sizes (a few thousand
 * parameters, batches of about a hundred rows) one ND4J operation costs more in call overhead than its arithmetic, and
 * a step of about twenty of them took 13 ms where these loops take well under one. Initialisation as PyTorch's
 * {@code nn.Linear}: weights and biases uniform in {@code ±1/√nIn}, from a seeded {@link SplittableRandom}. Not
 * thread-safe.
 */
public final class TabularMlp {

    private final int[] sizes;
    private final DataType type;
    private final INDArray params;
    private final INDArray grads;
    private final int[] weightAt;
    private final int[] biasAt;
    private final Map<String, INDArray> paramMap = new LinkedHashMap<>();
    private final Map<String, INDArray> gradMap = new LinkedHashMap<>();
    private final double[] w;
    private final double[] g;
    private double[][] activations;
    private int rows;

    /**
     * @param sizes the input width, the hidden widths and 1 (at least one hidden layer)
     * @param seed  the seed of the initialisation
     * @param type  the type of the parameter vectors (FLOAT or DOUBLE; the passes compute in double)
     */
    public TabularMlp(int[] sizes, long seed, DataType type) {
        if (sizes.length < 3 || sizes[sizes.length - 1] != 1 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("layer sizes must be input, hidden…, 1 (all >= 1), got "
                    + Arrays.toString(sizes));
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("the parameters are FLOAT or DOUBLE, got " + type);
        }
        this.sizes = sizes.clone();
        this.type = type;
        int layers = sizes.length - 1;
        int total = 0;
        for (int k = 0; k < layers; k++) {
            total += sizes[k] * sizes[k + 1] + sizes[k + 1];
        }
        params = Nd4j.create(type, total);
        grads = Nd4j.create(type, total);
        w = new double[total];
        g = new double[total];
        weightAt = new int[layers];
        biasAt = new int[layers];
        SplittableRandom random = new SplittableRandom(seed);
        int at = 0;
        for (int k = 0; k < layers; k++) {
            int in = sizes[k];
            int out = sizes[k + 1];
            double limit = 1 / Math.sqrt(in);
            for (int i = at; i < at + in * out + out; i++) {
                w[i] = (2 * random.nextDouble() - 1) * limit;
            }
            weightAt[k] = at;
            paramMap.put("l" + k + "_W", params.get(NDArrayIndex.interval(at, at + in * out)).reshape('c', in, out));
            gradMap.put("l" + k + "_W", grads.get(NDArrayIndex.interval(at, at + in * out)).reshape('c', in, out));
            at += in * out;
            biasAt[k] = at;
            paramMap.put("l" + k + "_b", params.get(NDArrayIndex.interval(at, at + out)).reshape('c', 1, out));
            gradMap.put("l" + k + "_b", grads.get(NDArrayIndex.interval(at, at + out)).reshape('c', 1, out));
            at += out;
        }
        DataBuffer buffer = params.data();
        for (int i = 0; i < total; i++) {
            buffer.put(i, w[i]);
        }
    }

    /** The layer sizes. */
    public int[] sizes() {
        return sizes.clone();
    }

    public DataType dataType() {
        return type;
    }

    /** The parameters by name (live views: an optimiser updates them in place). */
    public Map<String, INDArray> parameters() {
        return paramMap;
    }

    /** The gradients of the last {@link #backward}, keyed as {@link #parameters()} (live). */
    public Map<String, INDArray> gradients() {
        return gradMap;
    }

    /** All parameters as one flat vector (live). */
    public INDArray flatParameters() {
        return params;
    }

    /** The gradient, flat, laid out as {@link #flatParameters()}. */
    public INDArray flatGradients() {
        return grads;
    }

    /**
     * The logits of the given rows of {@code features} (row-major, {@code sizes[0]} values per row), keeping the
     * activations for {@link #backward}.
     */
    public double[] forward(double[] features, int[] rowsOf) {
        readParameters();
        rows = rowsOf.length;
        activations = new double[sizes.length][];
        activations[0] = gather(features, rowsOf);
        for (int k = 0; k + 1 < sizes.length; k++) {
            activations[k + 1] = layer(k, activations[k], rows);
        }
        return activations[sizes.length - 1].clone();
    }

    /** The logits of every row of {@code features}, without keeping anything (evaluation). */
    public double[] predict(double[] features) {
        readParameters();
        return logits(features, features.length / sizes[0]);
    }

    /** The logits of the given rows of {@code features}, without keeping anything. */
    public double[] predict(double[] features, int[] rowsOf) {
        readParameters();
        return logits(gather(features, rowsOf), rowsOf.length);
    }

    private double[] logits(double[] x, int n) {
        double[] h = x;
        for (int k = 0; k + 1 < sizes.length; k++) {
            h = layer(k, h, n);
        }
        return h;
    }

    private double[] gather(double[] features, int[] rowsOf) {
        int width = sizes[0];
        double[] x = new double[rowsOf.length * width];
        for (int r = 0; r < rowsOf.length; r++) {
            System.arraycopy(features, rowsOf[r] * width, x, r * width, width);
        }
        return x;
    }

    /** {@code relu(h·W_k + b_k)} (no ReLU on the last layer) for {@code n} rows. */
    private double[] layer(int k, double[] h, int n) {
        int in = sizes[k];
        int out = sizes[k + 1];
        int wAt = weightAt[k];
        int bAt = biasAt[k];
        boolean last = k + 2 == sizes.length;
        double[] next = new double[n * out];
        for (int r = 0; r < n; r++) {
            int o0 = r * out;
            System.arraycopy(w, bAt, next, o0, out);
            for (int i = 0; i < in; i++) {
                double v = h[r * in + i];
                if (v == 0) {
                    continue;
                }
                int wi = wAt + i * out;
                for (int o = 0; o < out; o++) {
                    next[o0 + o] += v * w[wi + o];
                }
            }
            if (!last) {
                for (int o = 0; o < out; o++) {
                    if (next[o0 + o] < 0) {
                        next[o0 + o] = 0;
                    }
                }
            }
        }
        return next;
    }

    /** Fills {@link #gradients()} with {@code Σ_i dLogits[i]·∇z_i} for the rows of the last {@link #forward}. */
    public void backward(double[] dLogits) {
        if (activations == null) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        if (dLogits.length != rows) {
            throw new IllegalArgumentException(dLogits.length + " logit derivatives for " + rows + " rows");
        }
        Arrays.fill(g, 0);
        double[] delta = dLogits;
        for (int k = sizes.length - 2; k >= 0; k--) {
            int in = sizes[k];
            int out = sizes[k + 1];
            int wAt = weightAt[k];
            int bAt = biasAt[k];
            double[] input = activations[k];
            double[] back = k > 0 ? new double[rows * in] : null;
            for (int r = 0; r < rows; r++) {
                int d0 = r * out;
                for (int o = 0; o < out; o++) {
                    g[bAt + o] += delta[d0 + o];
                }
                for (int i = 0; i < in; i++) {
                    double v = input[r * in + i];
                    int wi = wAt + i * out;
                    if (v != 0) {
                        for (int o = 0; o < out; o++) {
                            g[wi + o] += v * delta[d0 + o];
                        }
                    }
                    // input = relu(pre-activation) for k > 0: its derivative is 1 where the activation is positive
                    if (back != null && v > 0) {
                        double s = 0;
                        for (int o = 0; o < out; o++) {
                            s += delta[d0 + o] * w[wi + o];
                        }
                        back[r * in + i] = s;
                    }
                }
            }
            delta = back;
        }
        DataBuffer buffer = grads.data();
        for (int i = 0; i < g.length; i++) {
            buffer.put(i, g[i]);
        }
    }

    private void readParameters() {
        DataBuffer buffer = params.data();
        for (int i = 0; i < w.length; i++) {
            w[i] = buffer.getDouble(i);
        }
    }
}
