package dev.constrained4j.models.mnist;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The MNIST classifier whose hidden code must let a decoder reconstruct each image (docs/experiments.md,
 * "The MNIST experiment"), in two forms with the same parameters:
 * <ul>
 *   <li>a DL4J {@link ComputationGraph} with two outputs, {@code logits→softmax} ({@value #CLASSIFIER}) and the
 *       sigmoid reconstruction ({@value #DECODER_OUT}): the saved, portable form of the model;</li>
 *   <li>a {@link SameDiff} graph with placeholders {@value #INPUT} and {@value #LABELS}, in which the
 *       constrained objectives of {@code samediff-losses} are defined and trained.</li>
 * </ul>
 * Parameters are named {@code <layer>_W} ({@code [nIn, nOut]}) and {@code <layer>_b} ({@code [1, nOut]}) in
 * both, and {@link #copy} moves them either way. Initialisation follows PyTorch's {@code nn.Linear}:
 * weights and biases from {@code U(-1/√fan_in, 1/√fan_in)}.
 */
public final class MnistClassifierDecoder {

    public static final String INPUT = "input";
    public static final String LABELS = "labels";
    public static final String LOGITS = "logits";
    public static final String CODE = "code";
    public static final String RECONSTRUCTION = "reconstruction";
    /** Names of the ComputationGraph's output layers. */
    public static final String CLASSIFIER = "cls";
    public static final String DECODER_OUT = "dec2";

    /** Encoder and classifier layers, in order. */
    public static final List<String> ENCODER_LAYERS = List.of("enc1", "enc2", CLASSIFIER);
    /** Decoder layers, in order. */
    public static final List<String> DECODER_LAYERS = List.of("dec1", DECODER_OUT);

    /** The seed of DL4J's own initialisation in {@link #graph}, under the parameters the callers set. */
    private static final long GRAPH_SEED = 0;

    private MnistClassifierDecoder() {
    }

    /** Shapes {@code [nIn, nOut]} of every layer, encoder first. */
    public static Map<String, long[]> layerShapes(MnistModelConfig config) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("enc1", new long[]{config.inputs(), config.hidden()});
        shapes.put("enc2", new long[]{config.hidden(), config.code()});
        shapes.put(CLASSIFIER, new long[]{config.code(), config.classes()});
        shapes.put("dec1", new long[]{config.code(), config.hidden()});
        shapes.put(DECODER_OUT, new long[]{config.hidden(), config.inputs()});
        return shapes;
    }

    /**
     * PyTorch-style initial parameters of the given layers: {@code U(-1/√nIn, 1/√nIn)} for weights and
     * biases, drawn from a generator seeded with {@code seed} (so the decoder can be re-drawn alone).
     */
    public static Map<String, INDArray> initialParameters(MnistModelConfig config, List<String> layers,
                                                          long seed, DataType type) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, long[]> shapes = layerShapes(config);
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String layer : layers) {
            long[] shape = shapes.get(layer);
            if (shape == null) {
                throw new IllegalArgumentException("unknown layer '" + layer + "', expected one of " + shapes.keySet());
            }
            double limit = 1.0 / Math.sqrt(shape[0]);
            params.put(layer + "_W", uniform(random, limit, type, shape[0], shape[1]));
            params.put(layer + "_b", uniform(random, limit, type, 1, shape[1]));
        }
        return params;
    }

    private static INDArray uniform(SplittableRandom random, double limit, DataType type, long rows, long cols) {
        double[] values = new double[Math.toIntExact(rows * cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * limit;
        }
        return Nd4j.create(values, new long[]{rows, cols}, 'c').castTo(type);
    }

    /**
     * The two-output ComputationGraph: input {@value #INPUT}, outputs {@value #CLASSIFIER} (softmax,
     * cross-entropy) and {@value #DECODER_OUT} (sigmoid, MSE). Its built-in losses are only used when it is
     * fitted directly; the constrained objectives are trained in the SameDiff form.
     */
    public static ComputationGraph graph(MnistModelConfig config, DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                // DL4J's default seed is the clock: fixed, its initialisation (of any parameter a caller leaves) and
                // the configuration.json of every saved zip are the same from run to run
                .seed(GRAPH_SEED)
                .dataType(type)
                .updater(new NoOp())
                .graphBuilder()
                .addInputs(INPUT)
                .addLayer("enc1", new DenseLayer.Builder().nIn(config.inputs()).nOut(config.hidden())
                        .activation(Activation.RELU).build(), INPUT)
                .addLayer("enc2", new DenseLayer.Builder().nIn(config.hidden()).nOut(config.code())
                        .activation(Activation.IDENTITY).build(), "enc1")
                .addLayer(CLASSIFIER, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(config.code()).nOut(config.classes()).activation(Activation.SOFTMAX).build(), "enc2")
                .addLayer("dec1", new DenseLayer.Builder().nIn(config.code()).nOut(config.hidden())
                        .activation(Activation.RELU).build(), "enc2")
                .addLayer(DECODER_OUT, new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(config.hidden()).nOut(config.inputs()).activation(Activation.SIGMOID).build(), "dec1")
                .setOutputs(CLASSIFIER, DECODER_OUT)
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * The SameDiff form: placeholders {@value #INPUT} {@code [mb, inputs]} and {@value #LABELS}
     * {@code [mb, classes]} (one-hot), variables for every parameter, and the outputs {@value #LOGITS},
     * {@value #CODE} and, with the decoder, {@value #RECONSTRUCTION}.
     *
     * @param params      initial parameters, keyed {@code <layer>_W}/{@code <layer>_b}
     * @param withDecoder whether to add the decoder; without it the graph is the encoder-classifier alone
     */
    public static SameDiff sameDiff(MnistModelConfig config, Map<String, INDArray> params, boolean withDecoder,
                                    DataType type) {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(INPUT, type, -1, config.inputs());
        sd.placeHolder(LABELS, type, -1, config.classes());
        SDVariable hidden = sd.nn.relu(dense(sd, params, "enc1", input, type), 0.0);
        SDVariable code = dense(sd, params, "enc2", hidden, type).rename(CODE);
        dense(sd, params, CLASSIFIER, code, type).rename(LOGITS);
        if (withDecoder) {
            SDVariable decoded = sd.nn.relu(dense(sd, params, "dec1", code, type), 0.0);
            sd.nn.sigmoid(RECONSTRUCTION, dense(sd, params, DECODER_OUT, decoded, type));
        }
        return sd;
    }

    private static SDVariable dense(SameDiff sd, Map<String, INDArray> params, String layer, SDVariable in,
                                    DataType type) {
        SDVariable w = sd.var(layer + "_W", required(params, layer + "_W").castTo(type).dup());
        SDVariable b = sd.var(layer + "_b", required(params, layer + "_b").castTo(type).dup());
        return in.mmul(w).add(b);
    }

    private static INDArray required(Map<String, INDArray> params, String name) {
        INDArray value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return value;
    }

    /** The current parameters of the given layers of a SameDiff form, copied. */
    public static Map<String, INDArray> parameters(SameDiff sd, List<String> layers) {
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String layer : layers) {
            for (String suffix : new String[]{"_W", "_b"}) {
                SDVariable v = sd.getVariable(layer + suffix);
                if (v == null) {
                    throw new IllegalArgumentException("the SameDiff model has no parameter '" + layer + suffix + "'");
                }
                params.put(layer + suffix, v.getArr().dup());
            }
        }
        return params;
    }

    /**
     * The current parameters of the given layers of a ComputationGraph, copied, with the shapes of the SameDiff
     * form: DL4J M2.1 keeps a bias as a vector {@code [nOut]}, returned here as {@code [1, nOut]}.
     */
    public static Map<String, INDArray> parameters(ComputationGraph graph, List<String> layers) {
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String layer : layers) {
            params.put(layer + "_W", graph.getParam(layer + "_W").dup());
            params.put(layer + "_b", graph.getParam(layer + "_b").dup().reshape(1, -1));
        }
        return params;
    }

    /** Sets parameters, keyed {@code <layer>_W}/{@code <layer>_b}, into a ComputationGraph. */
    public static void copy(Map<String, INDArray> params, ComputationGraph graph) {
        params.forEach((name, value) -> graph.setParam(name, value.castTo(graph.getParam(name).dataType())));
    }

    /** Sets parameters, keyed {@code <layer>_W}/{@code <layer>_b}, into a SameDiff form (in place). */
    public static void copy(Map<String, INDArray> params, SameDiff sd) {
        params.forEach((name, value) -> {
            SDVariable v = sd.getVariable(name);
            if (v == null) {
                throw new IllegalArgumentException("the SameDiff model has no parameter '" + name + "'");
            }
            v.getArr().assign(value);
        });
    }
}
