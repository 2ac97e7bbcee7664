package dev.constrained4j.models.weights;

import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seed 002's CNN (§5, Table 1), as published in {@code dlavado/SAL}, {@code core/models/cnn.py}
 * ({@code CNN_Classifier} with {@code hidden_dim = 128}, {@code kernel_size = 3} from
 * {@code experiments/cnn_mnist/*.yml}): one block {@code conv k×k (stride 1, no padding) → BatchNorm → ReLU →
 * max-pool 2×2}, flattened in {@code (c, h, w)} order, then one linear layer to the classes (softmax
 * cross-entropy). Input {@code [b, channels, height, width]} (NCHW).
 *
 * <p>Layers and parameter keys: {@code conv1} ({@code conv1_W [hidden, channels, k, k]}, {@code conv1_b}),
 * {@code bn1} ({@code bn1_gamma}, {@code bn1_beta}; state {@code bn1_mean}, {@code bn1_var}), {@code relu1},
 * {@code pool1}, {@code fc} ({@code fc_W [in, classes]}, DL4J's layout, the transpose of PyTorch's; {@code fc_b}).
 *
 * <p>Parameters: 28×28×1, 10 classes: 1,280 (conv) + 256 (γ, β) + 216,330 (fc) = <b>217,866</b> trainable (plus 256
 * running statistics). The paper says "approximately 100K" for this CNN; the published code gives 218K: we follow
 * the code. With {@code hiddenChannels = 64} the count is 108,938, which would match the paper's figure; the paper
 * does not say it used 64.
 *
 * <p>Initialisation: PyTorch's defaults, {@code U(±1/√fan_in)} for conv and linear weights and biases, γ = 1,
 * β = 0, running mean 0, variance 1, from a generator seeded with {@code seed}.
 *
 * @param channels       input channels (1 for MNIST)
 * @param height         input height
 * @param width          input width
 * @param hiddenChannels the conv block's output channels ({@code hidden_dim})
 * @param kernel         the conv kernel size
 * @param classes        output classes
 */
public record WeightsCnn(int channels, int height, int width, int hiddenChannels, int kernel, int classes) {

    public static final String CONV = "conv1";
    public static final String BN = "bn1";
    public static final String OUTPUT = "fc";
    public static final String INPUT = "image";

    public WeightsCnn {
        Graphs.requirePositive("channels", channels);
        Graphs.requirePositive("height", height);
        Graphs.requirePositive("width", width);
        Graphs.requirePositive("hiddenChannels", hiddenChannels);
        Graphs.requirePositive("kernel", kernel);
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (height - kernel + 1 < 2 || width - kernel + 1 < 2) {
            throw new IllegalArgumentException("a " + kernel + "×" + kernel + " kernel and a 2×2 pool need an image"
                    + " of at least " + (kernel + 1) + "×" + (kernel + 1) + ", got " + height + "×" + width);
        }
    }

    /** The published CNN for 28×28 grey images (MNIST, Fashion-MNIST). */
    public static WeightsCnn grey28(int classes) {
        return new WeightsCnn(1, 28, 28, 128, 3, classes);
    }

    /** The same CNN for 32×32 colour images (seed 002's Table 3: CIFAR-10). */
    public static WeightsCnn colour32(int classes) {
        return new WeightsCnn(3, 32, 32, 128, 3, classes);
    }

    public WeightsCnn withHiddenChannels(int hidden) {
        return new WeightsCnn(channels, height, width, hidden, kernel, classes);
    }

    public WeightsCnn withImage(int c, int h, int w) {
        return new WeightsCnn(c, h, w, hiddenChannels, kernel, classes);
    }

    /** The inputs of the linear layer: {@code hidden · ⌊(h−k+1)/2⌋ · ⌊(w−k+1)/2⌋}. */
    public int flatFeatures() {
        return hiddenChannels * ((height - kernel + 1) / 2) * ((width - kernel + 1) / 2);
    }

    /** Trainable parameters: conv weights and biases, γ and β, linear weights and biases. */
    public long trainableParameters() {
        return (long) hiddenChannels * channels * kernel * kernel + hiddenChannels + 2L * hiddenChannels
                + (long) flatFeatures() * classes + classes;
    }

    /** Builds the graph ({@link #build}) and wraps it for an optimiser. */
    public GraphClassifier classifier(long seed) {
        return new GraphClassifier(build(seed), channels, height, width);
    }

    /** Builds and initialises the graph. */
    public ComputationGraph build(long seed) {
        ComputationGraphConfiguration.GraphBuilder g = Graphs.builder(seed).addInputs(INPUT)
                .setInputTypes(InputType.convolutional(height, width, channels));
        g.addLayer(CONV, Graphs.conv(channels, hiddenChannels, kernel, 1, 0, true), INPUT);
        g.addLayer(BN, Graphs.batchNorm(hiddenChannels), CONV);
        g.addLayer("relu1", Graphs.relu(), BN);
        g.addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2).stride(2, 2).build(), "relu1");
        g.addLayer(OUTPUT, Graphs.softmaxOutput(flatFeatures(), classes), "pool1");
        g.setOutputs(OUTPUT);
        ComputationGraph graph = Graphs.init(g);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, INDArray> p = graph.paramTable();
        for (String layer : new String[]{CONV, OUTPUT}) {
            double limit = Init.fanInLimit(p.get(layer + "_W"));
            Init.uniform(p.get(layer + "_W"), limit, random);
            Init.uniform(p.get(layer + "_b"), limit, random);
        }
        return graph;
    }
}
