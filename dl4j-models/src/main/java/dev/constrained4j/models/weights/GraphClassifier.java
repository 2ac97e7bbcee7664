package dev.constrained4j.models.weights;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * A single-input, softmax-output {@link ComputationGraph} (the builders of this package) seen as what a constrained
 * optimiser needs (seed 002, eq. 1: the data-fidelity loss {@code F(θ)} is the mean cross-entropy): the value and
 * gradient of {@code F} on a minibatch, live views of {@code θ}, and an evaluation pass. It knows no optimiser and
 * no constraint; the graph's own updater is never used.
 *
 * <p><b>Parameters.</b> {@link #parameters()} holds the trainable parameters, keyed as in the graph's
 * {@code paramTable()} ({@code conv1_W}, {@code bn1_gamma}, {@code fc_b}…), in the graph's order. Each entry is a
 * live view of the graph's parameter buffer: an optimiser that updates it in place ({@code subi}, {@code assign})
 * changes the network. Batch-norm running means and variances are not trainable; they are in
 * {@link #runningStatistics()} (also live).
 *
 * <p><b>Gradients.</b> DL4J's {@code computeGradientAndScore()} gives the mean loss as score but the gradient of the
 * <em>sum</em> over the minibatch (its updater divides by the minibatch size later).
 * {@link #lossAndGradient} divides by the batch size, so its gradients are those of the mean, the score that it
 * returns (checked against central differences in {@code GraphClassifierGradientCheckTest}). For batch-norm
 * statistics the "gradient" DL4J computes is the moving-average step; it is applied here, as DL4J's updater would
 * ({@code running ← 0.9·running + 0.1·batch}), so a training step moves them as PyTorch's training-mode forward does
 * (one difference, tested: DL4J's running variance takes the biased batch variance, PyTorch's the unbiased one).
 *
 * <p><b>Layouts.</b> Conv weights are {@code [out, in, kh, kw]} ('c' order); dense weights are {@code [in, out]},
 * the transpose of PyTorch's, and their views are 'f'-ordered: index them with sub-indices
 * ({@code getDouble(row, col)}), not with one linear index: in the gradient check, entry {@code i} of such a view
 * (read and written with {@code getDouble(long)}/{@code putScalar(long, double)}) and entry {@code i} of a
 * {@code dup()} of its gradient were different weights.
 */
public final class GraphClassifier implements ImageClassifier {

    /** DL4J's clipping of softmax outputs in {@link LossMCXENT} (its default ε), applied in {@link #evaluate}. */
    static final double SOFTMAX_CLIP = 1e-10;

    private final ComputationGraph graph;
    private final String input;
    private final int classes;
    private final long[] inputShape;
    private final Map<String, INDArray> parameters;
    private final Map<String, INDArray> statistics;

    /** The loss and gradients of one minibatch. */
    public record LossAndGradient(double loss, Map<String, INDArray> gradients) {
    }

    /**
     * Accuracy and mean cross-entropy over a data set, in inference mode.
     *
     * @param count    the examples evaluated
     * @param accuracy the fraction whose most probable class is the label
     * @param meanLoss the mean cross-entropy {@code −log p_label} (p clipped to [1e-10, 1 − 1e-10], as DL4J)
     */
    public record Evaluation(int count, double accuracy, double meanLoss) {
    }

    /**
     * @param graph                  the network
     * @param channels               the input's channels (features are checked against {@code [b, c, h, w]})
     * @param height                 the input's height
     * @param width                  the input's width
     * @throws IllegalArgumentException if the graph has more than one input or output, or its output is not a
     *                                  softmax layer with the multi-class cross-entropy
     */
    public GraphClassifier(ComputationGraph graph, int channels, int height, int width) {
        this.graph = Objects.requireNonNull(graph, "graph");
        var conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("GraphClassifier needs one input and one output, got "
                    + conf.getNetworkInputs() + " and " + conf.getNetworkOutputs());
        }
        this.input = conf.getNetworkInputs().get(0);
        Layer out = graph.getOutputLayer(0);
        if (!(out.conf().getLayer() instanceof BaseOutputLayer o)
                || !(o.getLossFn() instanceof LossMCXENT) || !(o.getActivationFn() instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("GraphClassifier needs a softmax output layer with LossMCXENT, got "
                    + out.conf().getLayer());
        }
        this.classes = Math.toIntExact(o.getNOut());
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("input shape must be positive, got " + channels + "×" + height + "×"
                    + width);
        }
        this.inputShape = new long[]{channels, height, width};
        Map<String, INDArray> trainable = new LinkedHashMap<>();
        Map<String, INDArray> state = new LinkedHashMap<>();
        Map<String, INDArray> table = graph.paramTable();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (String param : layer.paramTable().keySet()) {
                String key = name + "_" + param;
                (layer.updaterDivideByMinibatch(param) ? trainable : state).put(key, table.get(key));
            }
        }
        // paramTable()'s order, which is the order of the flattened parameter vector
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        Map<String, INDArray> orderedState = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            (trainable.containsKey(e.getKey()) ? ordered : orderedState).put(e.getKey(), e.getValue());
        }
        this.parameters = Collections.unmodifiableMap(ordered);
        this.statistics = Collections.unmodifiableMap(orderedState);
    }

    public ComputationGraph graph() {
        return graph;
    }

    public int classes() {
        return classes;
    }

    /** Trainable parameters, live views keyed like {@code paramTable()}. */
    @Override
    public Map<String, INDArray> parameters() {
        return parameters;
    }

    /** Batch-norm running means and variances, live views ({@code bn1_mean}, {@code bn1_var}…). */
    @Override
    public Map<String, INDArray> runningStatistics() {
        return statistics;
    }

    /** The number of trainable parameters. */
    public long trainableParameterCount() {
        long n = 0;
        for (INDArray p : parameters.values()) {
            n += p.length();
        }
        return n;
    }

    /** {@link #lossAndGradient(INDArray, INDArray)} with class indices. */
    @Override
    public LossAndGradient lossAndGradient(INDArray features, int[] labels) {
        return lossAndGradient(features, oneHot(labels, features.dataType()));
    }

    /**
     * One training-mode forward and backward pass (batch norm on batch statistics, dropout on) on a minibatch.
     * Afterwards the batch-norm running statistics have taken one moving-average step.
     *
     * @param features {@code [b, c, h, w]}
     * @param oneHot   {@code [b, classes]}
     * @return the mean cross-entropy over the batch and its gradient with respect to every trainable parameter,
     *         keyed as {@link #parameters()}; the arrays are views of the graph's gradient buffer, overwritten by
     *         the next call (copy them to keep them)
     */
    public LossAndGradient lossAndGradient(INDArray features, INDArray oneHot) {
        long b = checkBatch(features);
        if (oneHot.rank() != 2 || oneHot.size(0) != b || oneHot.size(1) != classes) {
            throw new IllegalArgumentException("labels must be [" + b + ", " + classes + "], got "
                    + Arrays.toString(oneHot.shape()));
        }
        graph.setInputs(features);
        graph.setLabels(oneHot);
        graph.computeGradientAndScore();
        double loss = graph.score();
        Gradient gradient = graph.gradient();
        Map<String, INDArray> all = gradient.gradientForVariable();
        Map<String, INDArray> mean = new LinkedHashMap<>();
        for (String key : parameters.keySet()) {
            INDArray g = all.get(key);
            if (g == null) {
                throw new IllegalStateException("DL4J gave no gradient for " + key);
            }
            mean.put(key, g.divi(b));
        }
        for (Map.Entry<String, INDArray> e : statistics.entrySet()) {
            INDArray step = all.get(e.getKey());
            if (step != null) {
                e.getValue().subi(step);
            }
        }
        graph.clearLayersStates();
        return new LossAndGradient(loss, Collections.unmodifiableMap(mean));
    }

    /**
     * The mean cross-entropy of a minibatch without a backward pass and without changing anything; {@code training}
     * chooses batch statistics (as {@link #lossAndGradient}) or running statistics. For line searches and checks.
     */
    public double loss(INDArray features, int[] labels, boolean training) {
        checkBatch(features);
        return graph.score(new DataSet(features, oneHot(labels, features.dataType())),
                training);
    }

    /**
     * Accuracy and mean loss over {@code features} ({@code [n, c, h, w]}) in batches of {@code batchSize}, in
     * inference mode: batch norm uses its running statistics, no dropout, and nothing in the graph changes.
     */
    @Override
    public Evaluation evaluate(INDArray features, int[] labels, int batchSize) {
        long n = checkBatch(features);
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " images but " + labels.length + " labels");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        checkLabels(labels);
        int correct = 0;
        double loss = 0;
        for (long start = 0; start < n; start += batchSize) {
            long end = Math.min(n, start + batchSize);
            INDArray batch = features.get(NDArrayIndex.interval(start, end), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            double[][] p = graph.output(false, batch)[0].toDoubleMatrix();
            for (int i = 0; i < p.length; i++) {
                int label = labels[Math.toIntExact(start + i)];
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (p[i][c] > p[i][best]) {
                        best = c;
                    }
                }
                correct += best == label ? 1 : 0;
                loss -= Math.log(Math.min(Math.max(p[i][label], SOFTMAX_CLIP), 1 - SOFTMAX_CLIP));
            }
        }
        graph.clearLayersStates();
        return new Evaluation(Math.toIntExact(n), (double) correct / n, loss / n);
    }

    /** One-hot rows {@code [b, classes]} of class indices. */
    public INDArray oneHot(int[] labels, DataType type) {
        checkLabels(labels);
        INDArray y = Nd4j.zeros(type, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1.0);
        }
        return y;
    }

    private void checkLabels(int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", expected 0.."
                        + (classes - 1));
            }
        }
    }

    /** Checks {@code [b, c, h, w]} against the graph's input type; returns b. */
    private long checkBatch(INDArray features) {
        if (features.rank() != 4 || features.size(0) < 1) {
            throw new IllegalArgumentException("features must be [b, c, h, w] (NCHW) with b >= 1, got "
                    + Arrays.toString(features.shape()));
        }
        for (int d = 0; d < 3; d++) {
            if (features.size(d + 1) != inputShape[d]) {
                throw new IllegalArgumentException("features must be [b, " + inputShape[0] + ", "
                        + inputShape[1] + ", " + inputShape[2] + "] for input '" + input + "', got "
                        + Arrays.toString(features.shape()));
            }
        }
        return features.size(0);
    }
}
