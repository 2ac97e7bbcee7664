package dev.constrained4j.models.weights;

import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * VGG11 (Simonyan and Zisserman's configuration "A"; seed 002, §5, Tables 2 and 3) for 32×32×3 images, NCHW:
 * eight 3×3 convolutions (padding 1) with ReLU, channels 64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M
 * (M a 2×2 max-pool), then the classifier {@code Linear(512, 4096) → ReLU → Dropout(0.5) → Linear(4096, 4096) →
 * ReLU → Dropout(0.5) → Linear(4096, classes)} with softmax cross-entropy.
 *
 * <p>Where this differs from the published code ({@code dlavado/SAL}, {@code core/models/vgg13.py}), and why:
 * <ul>
 *   <li>The code's "VGG11" is torchvision's {@code vgg13} (configuration "B": two convolutions in each of the first
 *       two stages, ten in all). We build the VGG11 the paper names; a VGG13 would add 64→64 and 128→128 convs.</li>
 *   <li>The code loads ImageNet weights ({@code pretrained: True} in {@code experiments/vgg11_cifar*}); none can be
 *       had here, so training starts from torchvision's initialisation: conv weights kaiming-normal
 *       {@code N(0, 2/fan_out)}, conv biases 0, linear weights {@code N(0, 0.01²)}, linear biases 0.</li>
 *   <li>torchvision's head is ImageNet's: an adaptive average pool to 7×7 and {@code Linear(25088, 4096)}. On a
 *       32×32 input the last feature map is 1×1, which that pool copies 49 times, so its first linear layer is
 *       exactly a {@code Linear(512, 4096)} whose weights are the sums over the 49 copies: same functions, 49×
 *       fewer weights in that layer (2.1M instead of 102.8M). Norm constraints on that layer's weights are not
 *       equal under the two forms; this one is the layer that really acts.</li>
 *   <li>No batch norm by default (torchvision's {@code vgg11}); {@code batchNorm = true} gives {@code vgg11_bn}
 *       (conv → BN → ReLU).</li>
 * </ul>
 *
 * <p>Layers: {@code conv1..conv8} ({@code convN_W [out, in, 3, 3]}, {@code convN_b}), {@code bn1..bn8} when
 * batch-normalised, {@code pool1..pool5}, {@code fc1}, {@code fc2}, {@code fc3} ({@code fcN_W [in, out]}). DL4J's
 * dropout is set on the input of {@code fc2} and {@code fc3}, which is where torchvision's dropout layers act.
 *
 * <p>Trainable parameters at {@code widthDivisor = 1}: 9,220,480 in the convolutions + 18,882,560 in the first two
 * linear layers + {@code 4097·classes}: <b>28,144,010</b> for 10 classes, 28,512,740 for 100 (torchvision's
 * ImageNet-headed {@code vgg11} with 100 classes: 129,176,036; the code's {@code vgg13}: 129,360,548).
 *
 * @param classes      output classes
 * @param widthDivisor every width (channels and the 4096 of the head) divided by this; 1 is VGG11, larger values
 *                     give small networks of the same shape for tests
 * @param batchNorm    whether each conv is followed by batch norm
 * @param dropout      the probability of dropping an input of {@code fc2} and {@code fc3} (torchvision: 0.5)
 */
public record Vgg11(int classes, int widthDivisor, boolean batchNorm, double dropout) {

    /** Conv widths, 0 marking a max-pool (configuration "A"). */
    private static final int[] LAYOUT = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
    private static final int HEAD = 4096;
    public static final int SIZE = 32;
    public static final String INPUT = "image";
    public static final String OUTPUT = "fc3";

    public Vgg11 {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (widthDivisor < 1 || 64 % widthDivisor != 0) {
            throw new IllegalArgumentException("widthDivisor must divide 64, got " + widthDivisor);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** torchvision's {@code vgg11} (no batch norm, dropout 0.5) with the 32-pixel head. */
    public static Vgg11 of(int classes) {
        return new Vgg11(classes, 1, false, 0.5);
    }

    public Vgg11 withBatchNorm(boolean bn) {
        return new Vgg11(classes, widthDivisor, bn, dropout);
    }

    public Vgg11 withWidthDivisor(int divisor) {
        return new Vgg11(classes, divisor, batchNorm, dropout);
    }

    public Vgg11 withDropout(double p) {
        return new Vgg11(classes, widthDivisor, batchNorm, p);
    }

    /** Trainable parameters (weights, biases, γ and β). */
    public long trainableParameters() {
        long n = 0;
        int in = 3;
        for (int w : LAYOUT) {
            if (w > 0) {
                int out = w / widthDivisor;
                n += 9L * in * out + out + (batchNorm ? 2L * out : 0);
                in = out;
            }
        }
        int head = HEAD / widthDivisor;
        return n + (long) in * head + head + (long) head * head + head + (long) head * classes + classes;
    }

    /** Builds the graph ({@link #build}) and wraps it for an optimiser. */
    public GraphClassifier classifier(long seed) {
        return new GraphClassifier(build(seed), 3, SIZE, SIZE);
    }

    /** Builds and initialises the graph. */
    public ComputationGraph build(long seed) {
        ComputationGraphConfiguration.GraphBuilder g = Graphs.builder(seed).addInputs(INPUT)
                .setInputTypes(InputType.convolutional(SIZE, SIZE, 3));
        String last = INPUT;
        int in = 3;
        int conv = 0;
        int pool = 0;
        for (int w : LAYOUT) {
            if (w == 0) {
                String name = "pool" + (++pool);
                g.addLayer(name, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), last);
                last = name;
                continue;
            }
            int out = w / widthDivisor;
            String name = "conv" + (++conv);
            g.addLayer(name, Graphs.conv(in, out, 3, 1, 1, true), last);
            last = name;
            if (batchNorm) {
                g.addLayer("bn" + conv, Graphs.batchNorm(out), last);
                last = "bn" + conv;
            }
            g.addLayer("relu" + conv, Graphs.relu(), last);
            last = "relu" + conv;
            in = out;
        }
        int head = HEAD / widthDivisor;
        g.addLayer("fc1", new DenseLayer.Builder().nIn(in).nOut(head).activation(Activation.RELU).build(), last);
        DenseLayer.Builder fc2 = new DenseLayer.Builder().nIn(head).nOut(head).activation(Activation.RELU);
        OutputLayer.Builder fc3 = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(head).nOut(classes).activation(Activation.SOFTMAX);
        if (dropout > 0) {
            // DL4J's argument is the probability of keeping an input
            fc2.dropOut(1 - dropout);
            fc3.dropOut(1 - dropout);
        }
        g.addLayer("fc2", fc2.build(), "fc1");
        g.addLayer(OUTPUT, fc3.build(), "fc2");
        g.setOutputs(OUTPUT);
        ComputationGraph graph = Graphs.init(g);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, INDArray> p = graph.paramTable();
        for (int i = 1; i <= conv; i++) {
            INDArray weight = p.get("conv" + i + "_W");
            Init.normal(weight, Init.kaimingFanOutStd(weight), random);
            p.get("conv" + i + "_b").assign(0);
        }
        for (String fc : new String[]{"fc1", "fc2", OUTPUT}) {
            Init.normal(p.get(fc + "_W"), 0.01, random);
            p.get(fc + "_b").assign(0);
        }
        return graph;
    }
}
