package dev.constrained4j.models.weights.fast;

import dev.constrained4j.models.weights.GraphClassifier;
import dev.constrained4j.models.weights.ImageClassifier;
import dev.constrained4j.models.weights.WeightsCnn;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seed 002's CNN ({@link WeightsCnn}: conv → BatchNorm → ReLU → max-pool 2 → dense → softmax cross-entropy) as a
 * fused engine: the same network, parameters and batch-norm bookkeeping as the ComputationGraph that
 * {@link GraphClassifier} trains, 7–8× faster on one CPU thread for MNIST at batch 128 (0.12–0.13 s against
 * 1.00–1.03 s per batch, {@code FusedWeightsCnnBenchmark}, on a shared 2-core machine at load 1.8–1.9). It is built from such a graph (or from the record and a seed) and starts from its parameters.
 *
 * <p><b>Parameters.</b> {@link #parameters()} are this engine's own arrays (copies of the graph's at construction),
 * live, with the graph's names, shapes and order: {@code conv1_W [hidden, channels, k, k]}, {@code conv1_b},
 * {@code bn1_gamma}, {@code bn1_beta}, {@code fc_W [in, classes]} (inputs in the graph's {@code (c, h, w)} flattening
 * order), {@code fc_b}; their data type is the graph's. An optimiser updates them in place. {@link #runningStatistics()}
 * holds {@code bn1_mean} and {@code bn1_var}, moved as DL4J M2.1's {@code BatchNormalization} layer and
 * {@link GraphClassifier} move them: {@code running ← running − (running − batch)·(1 − decay)}, with the biased
 * batch variance and the layer's own decay and ε.
 *
 * <p><b>Computation.</b> Double precision in Java vector loops whatever the parameters' type (inputs, parameters
 * and gradients are converted at the boundary): {@link ConvBnReluPoolDense} takes the batch statistics from the
 * patches' scatter matrix, folds batch norm into the convolution and runs conv, BN, ReLU, pool and the dense layer
 * as one loop over pooling windows that stores neither the full-resolution nor the pooled activations; its backward
 * pass recomputes the windows. No ND4J op runs in a step: the dense layer's GEMMs ({@code [b, 21632] × [21632, 10]}
 * and its transposes) measured 25–50 ms per step in ND4J (see the class Javadoc there).
 *
 * <p><b>Gradients.</b> Those of the minibatch's mean cross-entropy (DL4J's clipped softmax probabilities in the loss,
 * {@code p − y} in the gradient, as {@code LossMCXENT}), for every parameter; no input gradient. The conv bias
 * gradient is exactly 0: batch norm in training mode subtracts the batch mean, which contains the bias (the graph
 * reports rounding noise there, about 1e-17 in double).
 *
 * <p>Not thread-safe; the arrays returned by {@link #lossAndGradient} are reused by the next call.
 */
public final class FusedWeightsCnn implements ImageClassifier {

    /** Evaluation runs in chunks of at most this many images, whatever the batch size asked for. */
    static final int EVALUATION_ROWS = 256;

    private static final String CONV_W = WeightsCnn.CONV + "_W";
    private static final String CONV_B = WeightsCnn.CONV + "_b";
    private static final String GAMMA = WeightsCnn.BN + "_gamma";
    private static final String BETA = WeightsCnn.BN + "_beta";
    private static final String MEAN = WeightsCnn.BN + "_mean";
    private static final String VAR = WeightsCnn.BN + "_var";
    private static final String FC_W = WeightsCnn.OUTPUT + "_W";
    private static final String FC_B = WeightsCnn.OUTPUT + "_b";

    private final WeightsCnn cnn;
    private final DataType type;
    private final double decay;
    private final double eps;
    private final Map<String, INDArray> parameters;
    private final Map<String, INDArray> statistics;
    private final Map<String, INDArray> gradients;
    private final ConvBnReluPoolDense block;
    private final int hidden;
    private final int patch;
    private final int classes;

    // Java-side copies of the parameters, read at the start of every pass
    private final double[] convWeights;
    private final double[] convBias;
    private final double[] gammaValues;
    private final double[] betaValues;
    private final double[] denseWeights;
    private final double[] denseBias;
    private final double[] runningMean;
    private final double[] runningVar;

    // per-channel scratch
    private final double[] batchMean;
    private final double[] batchVar;
    private final double[] rstd;
    private final double[] offset;
    private final double[] convGradient;
    private final double[] denseGradient;
    private final double[] denseBiasGradient;
    private int capacity;
    private double[] input = new double[0];
    private double[] logits = new double[0];

    /** Builds {@code cnn}'s graph with {@code seed} ({@link WeightsCnn#classifier}) and copies its parameters. */
    public static FusedWeightsCnn of(WeightsCnn cnn, long seed) {
        return new FusedWeightsCnn(cnn, cnn.classifier(seed));
    }

    /**
     * An engine with the current parameters and running statistics of {@code graph}, which must be {@code cnn}'s.
     *
     * @throws IllegalArgumentException if the graph's parameters are not those of {@code cnn}
     */
    public FusedWeightsCnn(WeightsCnn cnn, GraphClassifier graph) {
        this.cnn = Objects.requireNonNull(cnn, "cnn");
        Objects.requireNonNull(graph, "graph");
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put(CONV_W, new long[]{cnn.hiddenChannels(), cnn.channels(), cnn.kernel(), cnn.kernel()});
        expected.put(CONV_B, null);
        expected.put(GAMMA, null);
        expected.put(BETA, null);
        expected.put(FC_W, new long[]{cnn.flatFeatures(), cnn.classes()});
        expected.put(FC_B, null);
        if (!graph.parameters().keySet().equals(expected.keySet())
                || !graph.runningStatistics().keySet().equals(Set.of(MEAN, VAR))) {
            throw new IllegalArgumentException("expected the parameters " + expected.keySet() + " and statistics ["
                    + MEAN + ", " + VAR + "] of a WeightsCnn graph, got " + graph.parameters().keySet() + " and "
                    + graph.runningStatistics().keySet());
        }
        Map<String, INDArray> own = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : graph.parameters().entrySet()) {
            long[] shape = expected.get(e.getKey());
            INDArray p = e.getValue();
            long length = e.getKey().equals(CONV_B) || e.getKey().equals(GAMMA) || e.getKey().equals(BETA)
                    ? cnn.hiddenChannels() : e.getKey().equals(FC_B) ? cnn.classes() : -1;
            if (shape != null ? !Arrays.equals(shape, p.shape()) : p.length() != length) {
                throw new IllegalArgumentException(e.getKey() + " has shape " + Arrays.toString(p.shape())
                        + ", expected " + (shape != null ? Arrays.toString(shape) : length + " values") + " for "
                        + cnn);
            }
            own.put(e.getKey(), p.dup('c'));
        }
        Map<String, INDArray> stats = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : graph.runningStatistics().entrySet()) {
            stats.put(e.getKey(), e.getValue().dup('c'));
        }
        this.parameters = Collections.unmodifiableMap(own);
        this.statistics = Collections.unmodifiableMap(stats);
        this.type = own.get(CONV_W).dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("parameters must be FLOAT or DOUBLE, got " + type);
        }
        if (!(graph.graph().getLayer(WeightsCnn.BN).conf().getLayer() instanceof BatchNormalization bn)) {
            throw new IllegalArgumentException("layer " + WeightsCnn.BN + " is not a BatchNormalization layer");
        }
        if (bn.isUseLogStd() || bn.isLockGammaBeta()) {
            throw new IllegalArgumentException("batch norm with log-std or locked γ/β is not supported: " + bn);
        }
        this.decay = bn.getDecay();
        this.eps = bn.getEps();
        Map<String, INDArray> g = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : own.entrySet()) {
            g.put(e.getKey(), e.getValue().ulike().assign(0));
        }
        this.gradients = Collections.unmodifiableMap(g);

        this.block = new ConvBnReluPoolDense(cnn.channels(), cnn.height(), cnn.width(), cnn.kernel(),
                cnn.hiddenChannels(), cnn.classes());
        this.hidden = cnn.hiddenChannels();
        this.patch = block.patch;
        this.classes = cnn.classes();
        this.convWeights = new double[hidden * patch];
        this.convBias = new double[hidden];
        this.gammaValues = new double[hidden];
        this.betaValues = new double[hidden];
        this.denseWeights = new double[cnn.flatFeatures() * classes];
        this.denseBias = new double[classes];
        this.runningMean = new double[hidden];
        this.runningVar = new double[hidden];
        this.batchMean = new double[hidden];
        this.batchVar = new double[hidden];
        this.rstd = new double[hidden];
        this.offset = new double[hidden];
        this.convGradient = new double[hidden * patch];
        this.denseGradient = new double[denseWeights.length];
        this.denseBiasGradient = new double[classes];
    }

    public WeightsCnn cnn() {
        return cnn;
    }

    /** Trainable parameters, live, named and shaped as the graph's. */
    @Override
    public Map<String, INDArray> parameters() {
        return parameters;
    }

    /** Batch-norm running means and variances ({@code bn1_mean}, {@code bn1_var}), live. */
    public Map<String, INDArray> runningStatistics() {
        return statistics;
    }

    /** Copies this engine's parameters and running statistics into {@code graph} (a graph of the same network). */
    public void writeTo(GraphClassifier graph) {
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            graph.parameters().get(e.getKey()).assign(e.getValue());
        }
        for (Map.Entry<String, INDArray> e : statistics.entrySet()) {
            graph.runningStatistics().get(e.getKey()).assign(e.getValue());
        }
    }

    /**
     * One training-mode forward and backward pass: batch norm on the batch's statistics, which then move the running
     * statistics one step.
     *
     * @param features {@code [b, channels, height, width]}
     * @param labels   the class of each image
     * @return the mean cross-entropy and its gradient for every parameter, keyed as {@link #parameters()} (arrays
     *         reused by the next call)
     */
    @Override
    public GraphClassifier.LossAndGradient lossAndGradient(INDArray features, int[] labels) {
        int n = checkBatch(features, labels);
        ensureCapacity(n);
        readInput(features, 0, n);
        readParameters();
        block.statistics(input, n);
        int pixels = block.pixels(n);
        for (int c = 0; c < hidden; c++) {
            double shift = 0;
            for (int p = 0; p < patch; p++) {
                shift += convWeights[c * patch + p] * block.patchMean[p];
            }
            batchMean[c] = convBias[c] + shift;
            batchVar[c] = block.quadraticForm(convWeights, c * patch) / pixels;
            rstd[c] = 1 / Math.sqrt(batchVar[c] + eps);
            offset[c] = -shift;
        }
        block.fold(convWeights, offset, rstd, gammaValues, betaValues);
        Arrays.fill(logits, 0, n * classes, 0.0);
        block.forward(input, n, logits);
        double loss = 0;
        Arrays.fill(denseBiasGradient, 0);
        for (int i = 0; i < n; i++) {
            softmax(i);
            int at = i * classes;
            loss -= Math.log(clip(logits[at + labels[i]]));
            logits[at + labels[i]] -= 1;
            for (int k = 0; k < classes; k++) {
                logits[at + k] /= n;
                denseBiasGradient[k] += logits[at + k];
            }
        }
        block.backward(input, n, logits);
        writeGradients(pixels);
        updateRunning();
        return new GraphClassifier.LossAndGradient(loss / n, gradients);
    }

    /** Accuracy and mean loss over {@code features} in inference mode (running statistics); changes nothing. */
    @Override
    public GraphClassifier.Evaluation evaluate(INDArray features, int[] labels, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int total = checkBatch(features, labels);
        int chunk = Math.min(batchSize, EVALUATION_ROWS);
        ensureCapacity(Math.min(chunk, total));
        readParameters();
        for (int c = 0; c < hidden; c++) {
            rstd[c] = 1 / Math.sqrt(runningVar[c] + eps);
            offset[c] = convBias[c] - runningMean[c];
        }
        block.fold(convWeights, offset, rstd, gammaValues, betaValues);
        int correct = 0;
        double loss = 0;
        for (int start = 0; start < total; start += chunk) {
            int n = Math.min(chunk, total - start);
            readInput(features, start, n);
            Arrays.fill(logits, 0, n * classes, 0.0);
            block.forward(input, n, logits);
            for (int i = 0; i < n; i++) {
                softmax(i);
                int at = i * classes;
                int best = 0;
                for (int k = 1; k < classes; k++) {
                    if (logits[at + k] > logits[at + best]) {
                        best = k;
                    }
                }
                int label = labels[start + i];
                correct += best == label ? 1 : 0;
                loss -= Math.log(clip(logits[at + label]));
            }
        }
        return new GraphClassifier.Evaluation(total, (double) correct / total, loss / total);
    }

    /** DL4J's clipping of softmax outputs in the loss ({@code LossMCXENT}'s default ε = 1e-10). */
    private static double clip(double p) {
        return Math.min(Math.max(p, 1e-10), 1 - 1e-10);
    }

    /** Adds the dense bias to row {@code i} of {@link #logits} and replaces it by its softmax. */
    private void softmax(int i) {
        int at = i * classes;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            logits[at + k] += denseBias[k];
            max = Math.max(max, logits[at + k]);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            logits[at + k] = Math.exp(logits[at + k] - max);
            sum += logits[at + k];
        }
        for (int k = 0; k < classes; k++) {
            logits[at + k] /= sum;
        }
    }

    /** The gradients of every parameter from the block's accumulators and the dense GEMM's output. */
    private void writeGradients(int pixels) {
        int ph = block.paddedHidden;
        double[] conv = convGradient;
        for (int c = 0; c < hidden; c++) {
            double factor = gammaValues[c] * rstd[c];
            double meanGx = block.gradientGamma[c] / pixels * rstd[c];
            for (int p = 0; p < patch; p++) {
                conv[c * patch + p] = factor * (block.gradientPatch[p * ph + c]
                        - block.gradientBeta[c] * block.patchMean[p]
                        - meanGx * block.scatterTimes(convWeights, c * patch, p));
            }
        }
        write(conv, gradients.get(CONV_W));
        gradients.get(CONV_B).assign(0);
        write(block.gradientGamma, hidden, gradients.get(GAMMA));
        write(block.gradientBeta, hidden, gradients.get(BETA));
        block.denseGradientTo(denseGradient);
        write(denseGradient, gradients.get(FC_W));
        write(denseBiasGradient, gradients.get(FC_B));
    }

    /** DL4J's moving-average step with the batch mean and biased batch variance. */
    private void updateRunning() {
        double rate = 1 - decay;
        for (int c = 0; c < hidden; c++) {
            runningMean[c] -= (runningMean[c] - batchMean[c]) * rate;
            runningVar[c] -= (runningVar[c] - batchVar[c]) * rate;
        }
        write(runningMean, statistics.get(MEAN));
        write(runningVar, statistics.get(VAR));
    }

    /** Reads every parameter and statistic into the Java arrays and {@code fc_W} into the block's layout. */
    private void readParameters() {
        read(parameters.get(CONV_W), convWeights);
        read(parameters.get(CONV_B), convBias);
        read(parameters.get(GAMMA), gammaValues);
        read(parameters.get(BETA), betaValues);
        read(parameters.get(FC_W), denseWeights);
        read(parameters.get(FC_B), denseBias);
        read(statistics.get(MEAN), runningMean);
        read(statistics.get(VAR), runningVar);
        block.setDense(denseWeights);
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        capacity = n;
        input = new double[n * cnn.channels() * cnn.height() * cnn.width()];
        logits = new double[n * classes];
    }

    /** Images {@code [start, start + n)} of {@code features} into {@link #input} as doubles (NCHW). */
    private void readInput(INDArray features, int start, int n) {
        int perImage = cnn.channels() * cnn.height() * cnn.width();
        int length = n * perImage;
        if (plain(features)) {
            int from = Math.toIntExact(features.offset()) + start * perImage;
            if (features.dataType() == DataType.DOUBLE) {
                features.data().asNioDouble().get(from, input, 0, length);
                return;
            }
            if (features.dataType() == DataType.FLOAT) {
                var floats = features.data().asNioFloat();
                for (int i = 0; i < length; i++) {
                    input[i] = floats.get(from + i);
                }
                return;
            }
        }
        INDArray flat = features.reshape('c', features.size(0), perImage);
        for (int i = 0; i < n; i++) {
            INDArray row = flat.getRow(start + i).castTo(DataType.DOUBLE).dup('c');
            row.data().asNioDouble().get(0, input, i * perImage, perImage);
        }
    }

    /** Reads a parameter-like array (any shape) in c order. */
    private static void read(INDArray a, double[] into) {
        int n = into.length;
        if (plain(a) && a.dataType() == DataType.DOUBLE) {
            a.data().asNioDouble().get(Math.toIntExact(a.offset()), into, 0, n);
        } else if (plain(a) && a.dataType() == DataType.FLOAT) {
            var floats = a.data().asNioFloat();
            int from = Math.toIntExact(a.offset());
            for (int i = 0; i < n; i++) {
                into[i] = floats.get(from + i);
            }
        } else {
            double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            System.arraycopy(v, 0, into, 0, n);
        }
    }

    /** Writes {@code values} into one of this engine's own c-ordered arrays. */
    private static void write(double[] values, INDArray a) {
        write(values, values.length, a);
    }

    /** Writes the first {@code n} of {@code values}. */
    private static void write(double[] values, int n, INDArray a) {
        if (a.dataType() == DataType.DOUBLE) {
            a.data().asNioDouble().put(0, values, 0, n);
        } else {
            var floats = a.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                floats.put(i, (float) values[i]);
            }
        }
    }

    private static boolean plain(INDArray a) {
        return a.ordering() == 'c' && isDense(a);
    }

    /** A c-ordered array whose elements are contiguous from its offset. */
    private static boolean isDense(INDArray a) {
        long expected = 1;
        long[] shape = a.shape();
        long[] stride = a.stride();
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Checks {@code [b, channels, height, width]} and the labels; returns b. */
    private int checkBatch(INDArray features, int[] labels) {
        List<Long> shape = List.of(features.rank() == 4 ? features.size(1) : -1L,
                features.rank() == 4 ? features.size(2) : -1L, features.rank() == 4 ? features.size(3) : -1L);
        if (features.rank() != 4 || features.size(0) < 1 || !shape.equals(List.of((long) cnn.channels(),
                (long) cnn.height(), (long) cnn.width()))) {
            throw new IllegalArgumentException("features must be [b, " + cnn.channels() + ", " + cnn.height() + ", "
                    + cnn.width() + "] (NCHW) with b >= 1, got " + Arrays.toString(features.shape()));
        }
        int n = Math.toIntExact(features.size(0));
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", expected 0.."
                        + (classes - 1));
            }
        }
        return n;
    }
}
