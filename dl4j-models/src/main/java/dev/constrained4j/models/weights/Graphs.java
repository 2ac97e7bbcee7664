package dev.constrained4j.models.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * What the three builders share: the graph defaults (ND4J's default float type, no updater of its own, explicit
 * PyTorch-style padding) and the layers written PyTorch's way.
 */
final class Graphs {

    /** Batch-norm ε and momentum of PyTorch's {@code BatchNorm2d} (DL4J's decay is 1 − momentum). */
    static final double BN_EPS = 1e-5;
    static final double BN_MOMENTUM = 0.1;

    private Graphs() {
    }

    /**
     * A graph builder with no updater (an external optimiser moves the parameters; {@code fit} would only move the
     * batch-norm statistics), {@link ConvolutionMode#Truncate} so padding is PyTorch's symmetric one, workspaces on.
     */
    static ComputationGraphConfiguration.GraphBuilder builder(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(Nd4j.defaultFloatingPointType())
                .updater(new NoOp())
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder();
    }

    /** A {@code k×k} convolution with PyTorch's {@code padding}, identity activation. */
    static ConvolutionLayer conv(int in, int out, int k, int stride, int padding, boolean bias) {
        return new ConvolutionLayer.Builder(k, k).stride(stride, stride).padding(padding, padding)
                .nIn(in).nOut(out).hasBias(bias).activation(Activation.IDENTITY).build();
    }

    /** PyTorch's {@code BatchNorm2d}/{@code BatchNorm1d}: running mean and variance (not log-std), ε 1e-5. */
    static BatchNormalization batchNorm(int channels) {
        return new BatchNormalization.Builder().nIn(channels).nOut(channels).eps(BN_EPS).decay(1 - BN_MOMENTUM)
                .useLogStd(false).build();
    }

    static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    /** The softmax output layer with the mean multi-class cross-entropy ({@code nn.CrossEntropyLoss}). */
    static OutputLayer softmaxOutput(int in, int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes)
                .activation(Activation.SOFTMAX).build();
    }

    static ComputationGraph init(ComputationGraphConfiguration.GraphBuilder g) {
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
