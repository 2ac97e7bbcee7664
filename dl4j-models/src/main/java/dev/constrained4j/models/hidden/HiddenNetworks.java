package dev.constrained4j.models.hidden;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The layer structure, parameters and DL4J {@link ComputationGraph} forms of the three HiDDeN networks
 * (docs/experiments.md, "The HiDDeN experiment"; reference {@code HiDDeN/model/encoder.py}, {@code decoder.py},
 * {@code discriminator.py}, {@code conv_bn_relu.py}). The SameDiff twins are built by {@link HiddenSameDiff} from the
 * same parameters.
 *
 * <p>Parameters are kept in one canonical layout, keyed by block name ({@code enc0}, {@code enc_cat},
 * {@code dec3}, {@code dis_linear}…) and suffix: {@code _W} (conv {@code [out, in, k, k]}, PyTorch's and DL4J's
 * layout; linear {@code [in, out]}), {@code _b}, {@code _gamma}, {@code _beta} (vectors of length out).
 * Batch-norm running statistics ({@code _mean}, {@code _var}) are state, not trainable parameters.
 * Initialisation follows PyTorch's defaults: conv and linear weights and biases from
 * {@code U(−1/√fan_in, 1/√fan_in)} (kaiming-uniform with a = √5), γ = 1, β = 0, running mean 0, variance 1.
 */
public final class HiddenNetworks {

    /** Batch-norm ε of PyTorch's {@code BatchNorm2d}. */
    public static final double BN_EPS = 1e-5;
    /** Batch-norm momentum of PyTorch ({@code running = (1−m)·running + m·batch}). */
    public static final double BN_MOMENTUM = 0.1;

    /** ComputationGraph input and output names. */
    public static final String IMAGE = "image";
    public static final String MESSAGE = "message";
    public static final String CONCAT = "concat";
    public static final String ENCODER_OUT = "enc_out";
    public static final String DECODER_OUT = "dec_linear";
    public static final String DISCRIMINATOR_OUT = "dis_linear";
    public static final String ENCODER_FINAL = "enc_final";

    /** One ConvBNReLU block: 3×3 conv (padding 1), batch norm, ReLU. */
    public record Block(String name, int in, int out) {
    }

    /** Which network a parameter belongs to. */
    public enum Network {
        ENCODER("enc"), DECODER("dec"), DISCRIMINATOR("dis");

        private final String prefix;

        Network(String prefix) {
            this.prefix = prefix;
        }

        /** Whether a canonical parameter or state name belongs to this network. */
        public boolean owns(String name) {
            return name.startsWith(prefix);
        }
    }

    private HiddenNetworks() {
    }

    /** The encoder's blocks before the concatenation, then the block after it ({@code enc_cat}). */
    public static List<Block> encoderBlocks(HiddenConfig c) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.encoderBlocks(); i++) {
            blocks.add(new Block("enc" + i, i == 0 ? 3 : c.channels(), c.channels()));
        }
        blocks.add(new Block("enc_cat", c.channels() + 3 + c.messageBits(), c.channels()));
        return blocks;
    }

    /** The decoder's ConvBNReLU blocks: 3→C, (decoderBlocks−1) × C→C, C→L. */
    public static List<Block> decoderBlocks(HiddenConfig c) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.decoderBlocks(); i++) {
            blocks.add(new Block("dec" + i, i == 0 ? 3 : c.channels(), c.channels()));
        }
        blocks.add(new Block("dec" + c.decoderBlocks(), c.channels(), c.messageBits()));
        return blocks;
    }

    /** The discriminator's ConvBNReLU blocks: 3→C, (discriminatorBlocks−1) × C→C. */
    public static List<Block> discriminatorBlocks(HiddenConfig c) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.discriminatorBlocks(); i++) {
            blocks.add(new Block("dis" + i, i == 0 ? 3 : c.channels(), c.channels()));
        }
        return blocks;
    }

    /**
     * PyTorch-default initial parameters of all three networks (encoder, decoder, discriminator in that order),
     * drawn from one generator seeded with {@code seed}.
     */
    public static Map<String, INDArray> initialParameters(HiddenConfig c, long seed, DataType type) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (Block b : encoderBlocks(c)) {
            block(p, random, b, type);
        }
        conv(p, random, ENCODER_FINAL, c.channels(), 3, 1, type);
        for (Block b : decoderBlocks(c)) {
            block(p, random, b, type);
        }
        linear(p, random, DECODER_OUT, c.messageBits(), c.messageBits(), type);
        for (Block b : discriminatorBlocks(c)) {
            block(p, random, b, type);
        }
        linear(p, random, DISCRIMINATOR_OUT, c.channels(), 1, type);
        return p;
    }

    /** Initial batch-norm running statistics of all blocks: mean 0, variance 1. */
    public static Map<String, INDArray> initialRunningStats(HiddenConfig c, DataType type) {
        Map<String, INDArray> s = new LinkedHashMap<>();
        List<Block> all = new ArrayList<>(encoderBlocks(c));
        all.addAll(decoderBlocks(c));
        all.addAll(discriminatorBlocks(c));
        for (Block b : all) {
            s.put(b.name() + "_mean", Nd4j.zeros(type, b.out()));
            s.put(b.name() + "_var", Nd4j.ones(type, b.out()));
        }
        return s;
    }

    private static void block(Map<String, INDArray> p, SplittableRandom r, Block b, DataType type) {
        conv(p, r, b.name(), b.in(), b.out(), 3, type);
        p.put(b.name() + "_gamma", Nd4j.ones(type, b.out()));
        p.put(b.name() + "_beta", Nd4j.zeros(type, b.out()));
    }

    private static void conv(Map<String, INDArray> p, SplittableRandom r, String name, int in, int out, int k,
                             DataType type) {
        double limit = 1.0 / Math.sqrt((double) in * k * k);
        p.put(name + "_W", uniform(r, limit, type, out, in, k, k));
        p.put(name + "_b", uniform(r, limit, type, out));
    }

    private static void linear(Map<String, INDArray> p, SplittableRandom r, String name, int in, int out,
                               DataType type) {
        double limit = 1.0 / Math.sqrt(in);
        p.put(name + "_W", uniform(r, limit, type, in, out));
        p.put(name + "_b", uniform(r, limit, type, out));
    }

    private static INDArray uniform(SplittableRandom random, double limit, DataType type, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] values = new double[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * limit;
        }
        return Nd4j.create(values, shape, 'c').castTo(type);
    }

    // ---------------------------------------------------------------- ComputationGraph forms

    private static ComputationGraphConfiguration.GraphBuilder builder(DataType type) {
        return new NeuralNetConfiguration.Builder()
                .dataType(type)
                .updater(new NoOp())
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder();
    }

    /** Adds conv → batch norm → ReLU layers named {@code <block>}, {@code <block>_bn}, {@code <block>_relu}. */
    private static String addBlock(ComputationGraphConfiguration.GraphBuilder g, Block b, String input) {
        g.addLayer(b.name(), new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1)
                .nIn(b.in()).nOut(b.out()).activation(Activation.IDENTITY).build(), input);
        g.addLayer(b.name() + "_bn", new BatchNormalization.Builder().nIn(b.out()).nOut(b.out())
                .eps(BN_EPS).decay(1 - BN_MOMENTUM).useLogStd(false).build(), b.name());
        g.addLayer(b.name() + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(),
                b.name() + "_bn");
        return b.name() + "_relu";
    }

    /**
     * The encoder graph: inputs {@value #IMAGE} {@code [mb, 3, H, W]} and {@value #MESSAGE} {@code [mb, L]},
     * output {@value #ENCODER_OUT}, the watermarked image (no residual, no clamp). The message broadcast and the
     * concatenation {@code [message, features, image]} are a {@link MessageConcatVertex}.
     */
    public static ComputationGraph encoderGraph(HiddenConfig c, DataType type) {
        ComputationGraphConfiguration.GraphBuilder g = builder(type).addInputs(IMAGE, MESSAGE);
        List<Block> blocks = encoderBlocks(c);
        String last = IMAGE;
        for (Block b : blocks.subList(0, blocks.size() - 1)) {
            last = addBlock(g, b, last);
        }
        g.addVertex(CONCAT, new MessageConcatVertex(), MESSAGE, last, IMAGE);
        last = addBlock(g, blocks.get(blocks.size() - 1), CONCAT);
        g.addLayer(ENCODER_FINAL, new ConvolutionLayer.Builder(1, 1).stride(1, 1).nIn(c.channels()).nOut(3)
                .activation(Activation.IDENTITY).build(), last);
        // a parameter-free loss layer, so the graph has an output layer; the HiDDeN losses live in SameDiff
        g.addLayer(ENCODER_OUT, new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY).build(), ENCODER_FINAL);
        g.setOutputs(ENCODER_OUT);
        return init(g);
    }

    /** The decoder graph: input {@value #IMAGE} of any height and width, output {@value #DECODER_OUT} {@code [mb, L]}. */
    public static ComputationGraph decoderGraph(HiddenConfig c, DataType type) {
        ComputationGraphConfiguration.GraphBuilder g = builder(type).addInputs(IMAGE);
        String last = IMAGE;
        for (Block b : decoderBlocks(c)) {
            last = addBlock(g, b, last);
        }
        g.addLayer("dec_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
        g.addLayer(DECODER_OUT, new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(c.messageBits())
                .nOut(c.messageBits()).activation(Activation.IDENTITY).build(), "dec_pool");
        g.setOutputs(DECODER_OUT);
        return init(g);
    }

    /** The discriminator graph: input {@value #IMAGE}, output {@value #DISCRIMINATOR_OUT}, one logit per image. */
    public static ComputationGraph discriminatorGraph(HiddenConfig c, DataType type) {
        ComputationGraphConfiguration.GraphBuilder g = builder(type).addInputs(IMAGE);
        String last = IMAGE;
        for (Block b : discriminatorBlocks(c)) {
            last = addBlock(g, b, last);
        }
        g.addLayer("dis_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
        // identity output: the logit; the BCE-with-logits losses are defined in SameDiff
        g.addLayer(DISCRIMINATOR_OUT, new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(c.channels())
                .nOut(1).activation(Activation.IDENTITY).build(), "dis_pool");
        g.setOutputs(DISCRIMINATOR_OUT);
        return init(g);
    }

    private static ComputationGraph init(ComputationGraphConfiguration.GraphBuilder g) {
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /**
     * Copies canonical parameters and running statistics into a graph built by this class: every entry whose
     * block exists in the graph is set, reshaped to DL4J's layout ({@code [1, n]} vectors).
     */
    public static void copyInto(Map<String, INDArray> params, Map<String, INDArray> runningStats,
                                ComputationGraph graph) {
        Map<String, INDArray> table = graph.paramTable();
        Map<String, INDArray> all = new LinkedHashMap<>(params);
        all.putAll(runningStats);
        for (Map.Entry<String, INDArray> e : all.entrySet()) {
            String key = dl4jKey(e.getKey());
            INDArray target = table.get(key);
            if (target == null) {
                continue;
            }
            graph.setParam(key, e.getValue().reshape(target.shape()).castTo(target.dataType()));
        }
    }

    /** Canonical name → DL4J parameter key: batch-norm entries live in the {@code <block>_bn} layer. */
    static String dl4jKey(String canonical) {
        for (String bn : new String[]{"_gamma", "_beta", "_mean", "_var"}) {
            if (canonical.endsWith(bn)) {
                return canonical.substring(0, canonical.length() - bn.length()) + "_bn" + bn;
            }
        }
        return canonical;
    }

    /** The three graphs of a trained system. */
    public record Graphs(ComputationGraph encoder, ComputationGraph decoder, ComputationGraph discriminator) {
    }

    /** Builds the three graphs and copies the given parameters and running statistics into them. */
    public static Graphs graphs(HiddenConfig c, Map<String, INDArray> params, Map<String, INDArray> runningStats,
                                DataType type) {
        Graphs g = new Graphs(encoderGraph(c, type), decoderGraph(c, type), discriminatorGraph(c, type));
        copyInto(params, runningStats, g.encoder());
        copyInto(params, runningStats, g.decoder());
        copyInto(params, runningStats, g.discriminator());
        return g;
    }
}
