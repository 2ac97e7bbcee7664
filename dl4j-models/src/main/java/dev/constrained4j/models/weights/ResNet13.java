package dev.constrained4j.models.weights;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seed 002's "ResNet13" (§5, Tables 2 and 3) for 32×32 images, NCHW, as published in {@code dlavado/SAL},
 * {@code core/models/resnet.py}: torchvision's ResNet with basic blocks, its stem replaced for 32-pixel images
 * (a 3×3 conv, stride 1, padding 1, no bias, and no max-pool), then BN → ReLU, four stages of basic blocks of widths
 * {@code w, 2w, 4w, 8w} (strides 1, 2, 2, 2), a global average pool and {@code Linear(8w, classes)}. A basic block is
 * {@code conv3×3(stride) → BN → ReLU → conv3×3 → BN}, plus the input (through {@code conv1×1(stride) → BN} where the
 * shape changes), then ReLU. Convolutions have no bias.
 *
 * <p>Where this differs from the paper: the code builds {@code torchvision.models.resnet18} (two blocks per stage,
 * 17 convolutions and a linear layer); neither the paper nor the code defines a 13-layer ResNet, so the default
 * {@code blocksPerStage} is the code's {@code [2, 2, 2, 2]}. Other depths can be asked for (e.g. {@code [2, 2, 1, 1]}
 * gives 13 convolutions on the main path). The code's configs set {@code pretrained: True}, but its
 * {@code create_model} replaces {@code conv1} after loading, and ImageNet weights cannot be had here: training
 * starts from torchvision's initialisation (conv weights kaiming-normal {@code N(0, 2/fan_out)}, γ = 1, β = 0, the
 * linear layer PyTorch's default {@code U(±1/√fan_in)}).
 *
 * <p>Layers: {@code conv1}, {@code bn1}; block {@code b} of stage {@code s} (from 1): {@code s<s>b<b>_conv1},
 * {@code _bn1}, {@code _conv2}, {@code _bn2}, where needed {@code _down} (1×1 conv) and {@code _downbn}, then the
 * sum {@code _add} and {@code _relu}; {@code pool}; {@code fc} ({@code fc_W [8w, classes]}).
 *
 * <p>Trainable parameters with {@code width = 64} and {@code [2, 2, 2, 2]}: <b>11,173,962</b> for 10 classes,
 * 11,220,132 for 100 (torchvision's CIFAR-stem resnet18, as the code builds it); DL4J also stores 9,600 running
 * statistics.
 *
 * @param channels       input channels (3)
 * @param size           input height and width (32)
 * @param classes        output classes
 * @param width          the first stage's width (64)
 * @param blocksPerStage basic blocks in each of the four stages
 */
public record ResNet13(int channels, int size, int classes, int width, int[] blocksPerStage) {

    public static final String INPUT = "image";
    public static final String OUTPUT = "fc";

    public ResNet13 {
        Graphs.requirePositive("channels", channels);
        Graphs.requirePositive("size", size);
        Graphs.requirePositive("width", width);
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (blocksPerStage == null || blocksPerStage.length != 4 || Arrays.stream(blocksPerStage).anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("blocksPerStage must be four counts >= 1, got "
                    + Arrays.toString(blocksPerStage));
        }
        if (size < 8) {
            throw new IllegalArgumentException("three stride-2 stages need an image of at least 8×8, got " + size);
        }
        blocksPerStage = blocksPerStage.clone();
    }

    /** The published network: 32×32×3, width 64, {@code [2, 2, 2, 2]}. */
    public static ResNet13 of(int classes) {
        return new ResNet13(3, 32, classes, 64, new int[]{2, 2, 2, 2});
    }

    @Override
    public int[] blocksPerStage() {
        return blocksPerStage.clone();
    }

    public ResNet13 withWidth(int w) {
        return new ResNet13(channels, size, classes, w, blocksPerStage);
    }

    public ResNet13 withSize(int s) {
        return new ResNet13(channels, s, classes, width, blocksPerStage);
    }

    public ResNet13 withBlocksPerStage(int... blocks) {
        return new ResNet13(channels, size, classes, width, blocks);
    }

    /** Trainable parameters (conv weights, γ and β, the linear layer). */
    public long trainableParameters() {
        long n = 9L * channels * width + 2L * width;
        int in = width;
        for (int s = 0; s < 4; s++) {
            int out = width << s;
            for (int b = 0; b < blocksPerStage[s]; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                n += 9L * in * out + 2L * out + 9L * out * out + 2L * out;
                if (stride != 1 || in != out) {
                    n += (long) in * out + 2L * out;
                }
                in = out;
            }
        }
        return n + (long) in * classes + classes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNet13 r && r.channels == channels && r.size == size && r.classes == classes
                && r.width == width && Arrays.equals(r.blocksPerStage, blocksPerStage);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(channels, size, classes, width) + Arrays.hashCode(blocksPerStage);
    }

    @Override
    public String toString() {
        return "ResNet13[channels=" + channels + ", size=" + size + ", classes=" + classes + ", width=" + width
                + ", blocksPerStage=" + Arrays.toString(blocksPerStage) + "]";
    }

    /** Builds the graph ({@link #build}) and wraps it for an optimiser. */
    public GraphClassifier classifier(long seed) {
        return new GraphClassifier(build(seed), channels, size, size);
    }

    /** Builds and initialises the graph. */
    public ComputationGraph build(long seed) {
        ComputationGraphConfiguration.GraphBuilder g = Graphs.builder(seed).addInputs(INPUT)
                .setInputTypes(InputType.convolutional(size, size, channels));
        g.addLayer("conv1", Graphs.conv(channels, width, 3, 1, 1, false), INPUT);
        g.addLayer("bn1", Graphs.batchNorm(width), "conv1");
        g.addLayer("relu1", Graphs.relu(), "bn1");
        String last = "relu1";
        int in = width;
        for (int s = 0; s < 4; s++) {
            int out = width << s;
            for (int b = 0; b < blocksPerStage[s]; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                last = block(g, "s" + (s + 1) + "b" + (b + 1), last, in, out, stride);
                in = out;
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
        g.addLayer(OUTPUT, Graphs.softmaxOutput(in, classes), "pool");
        g.setOutputs(OUTPUT);
        ComputationGraph graph = Graphs.init(g);
        SplittableRandom random = new SplittableRandom(seed);
        for (Map.Entry<String, INDArray> e : graph.paramTable().entrySet()) {
            INDArray p = e.getValue();
            if (e.getKey().endsWith("_W") && p.rank() == 4) {
                Init.normal(p, Init.kaimingFanOutStd(p), random);
            }
        }
        Map<String, INDArray> p = graph.paramTable();
        double limit = Init.fanInLimit(p.get(OUTPUT + "_W"));
        Init.uniform(p.get(OUTPUT + "_W"), limit, random);
        Init.uniform(p.get(OUTPUT + "_b"), limit, random);
        return graph;
    }

    private static String block(ComputationGraphConfiguration.GraphBuilder g, String name, String input, int in,
                                int out, int stride) {
        g.addLayer(name + "_conv1", Graphs.conv(in, out, 3, stride, 1, false), input);
        g.addLayer(name + "_bn1", Graphs.batchNorm(out), name + "_conv1");
        g.addLayer(name + "_relu1", Graphs.relu(), name + "_bn1");
        g.addLayer(name + "_conv2", Graphs.conv(out, out, 3, 1, 1, false), name + "_relu1");
        g.addLayer(name + "_bn2", Graphs.batchNorm(out), name + "_conv2");
        String shortcut = input;
        if (stride != 1 || in != out) {
            g.addLayer(name + "_down", Graphs.conv(in, out, 1, stride, 0, false), input);
            g.addLayer(name + "_downbn", Graphs.batchNorm(out), name + "_down");
            shortcut = name + "_downbn";
        }
        g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_bn2", shortcut);
        g.addLayer(name + "_relu", Graphs.relu(), name + "_add");
        return name + "_relu";
    }
}
