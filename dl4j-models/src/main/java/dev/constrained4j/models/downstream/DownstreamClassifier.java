package dev.constrained4j.models.downstream;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The project's analogue of the paper's downstream check (docs/experiments.md, "The HiDDeN experiment": a DenseNet-121
 * trained on clean X-rays, its per-pathology ROC AUC compared on clean and watermarked images): a small CNN trained on
 * clean images of the default data set (the MRI plane, 3 classes), then evaluated on clean and on watermarked versions
 * of the same test images. A drop in accuracy or AUC measures how much the watermark damages the image content.
 *
 * <p>Network ({@link MultiLayerNetwork}, NCHW input {@code [n, 3, size, size]} in [0, 1]): 3×3 conv (same padding)
 * {@code 3→width}, ReLU, 2×2 max-pool; 3×3 conv {@code width→2·width}, ReLU, 2×2 max-pool; flatten; dense softmax
 * over the classes, cross-entropy. No global pooling: the plane shows in the outline's shape and position, which
 * an average pool throws away (with it, 15 epochs reached 72–80% on the MRI slices; without, 100%). Kept small
 * because DL4J's convolution layers take the slow built-in CPU path (M2.1's oneDNN layer helpers never load: their
 * check looks for a class that M2.1 renamed): on the 273 training slices at
 * 32 px, 10 epochs take about 20 s on this 2-core machine (measured under load).
 *
 * <p>Seeds: the weights come from DL4J's initialisation with the configuration's seed (DL4J seeds ND4J's
 * generator from it in {@code init()}); the order of the training images per epoch is a Fisher-Yates shuffle from
 * a {@link SplittableRandom} derived from the seed and the epoch. Same seed and data, same network.
 */
public final class DownstreamClassifier {

    private final DownstreamClassifierConfig config;
    private final MultiLayerNetwork network;

    private DownstreamClassifier(DownstreamClassifierConfig config, MultiLayerNetwork network) {
        this.config = config;
        this.network = network;
    }

    /** A new, untrained classifier. */
    public static DownstreamClassifier create(DownstreamClassifierConfig config) {
        return new DownstreamClassifier(config, network(config));
    }

    /** The network configuration described in the class Javadoc, initialised with the configuration's seed. */
    public static MultiLayerNetwork network(DownstreamClassifierConfig config) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(config.width()).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2 * config.width()).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(config.classes())
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(config.size(), config.size(), 3, CNN2DFormat.NCHW))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    public DownstreamClassifierConfig config() {
        return config;
    }

    /** The underlying network (for saving with {@code ModelSerializer}). */
    public MultiLayerNetwork network() {
        return network;
    }

    /**
     * Trains for {@code config.epochs()} epochs on clean images.
     *
     * @param images {@code [n, 3, size, size]} in [0, 1]
     * @param labels one-hot {@code [n, classes]}
     * @return the mean training loss of the last epoch
     */
    public double fit(INDArray images, INDArray labels) {
        checkShapes(images, labels);
        int n = (int) images.size(0);
        double lastLoss = Double.NaN;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            int[] order = permutation(n, new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + epoch + 1));
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < n; start += config.batchSize()) {
                int[] rows = Arrays.copyOfRange(order, start, Math.min(n, start + config.batchSize()));
                INDArray x = images.get(new SpecifiedIndex(rows), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                INDArray y = labels.get(new SpecifiedIndex(rows), NDArrayIndex.all());
                network.fit(x.castTo(DataType.FLOAT), y.castTo(DataType.FLOAT));
                sum += network.score();
                batches++;
            }
            lastLoss = sum / batches;
            if (!Double.isFinite(lastLoss)) {
                throw new IllegalStateException("downstream classifier diverged in epoch " + epoch + " (loss " + lastLoss
                        + "); lower the learning rate " + config.learningRate());
            }
        }
        return lastLoss;
    }

    /** Class probabilities {@code [n, classes]} for images {@code [n, 3, size, size]}. */
    public INDArray predict(INDArray images) {
        checkImages(images);
        INDArray out = Nd4j.create(DataType.FLOAT, images.size(0), config.classes());
        int n = (int) images.size(0);
        for (int start = 0; start < n; start += 256) {
            int end = Math.min(n, start + 256);
            INDArray batch = images.get(NDArrayIndex.interval(start, end));
            out.get(NDArrayIndex.interval(start, end),
                    NDArrayIndex.all()).assign(network.output(batch.castTo(DataType.FLOAT), false));
        }
        return out;
    }

    /** Accuracy and per-class one-vs-rest ROC AUC on images with one-hot labels. */
    public DownstreamResult evaluate(INDArray images, INDArray labels) {
        return scores(images, labels).result();
    }

    /** The class probabilities and labels of images with one-hot labels, for scores and their bootstrap. */
    public DownstreamScores scores(INDArray images, INDArray labels) {
        checkShapes(images, labels);
        int n = (int) images.size(0);
        double[][] probabilities = n == 0 ? new double[0][config.classes()]
                : predict(images).castTo(DataType.DOUBLE).toDoubleMatrix();
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = labels.getRow(i).argMax().getInt(0);
        }
        return new DownstreamScores(truth, probabilities);
    }

    /**
     * The area under the ROC curve of {@code scores} for the {@code positive} examples: the probability that a random
     * positive scores above a random negative, ties counting one half (Mann-Whitney U / (P·N)). NaN without
     * positives or negatives.
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("scores and positive must have the same length, got " + scores.length
                    + " and " + positive.length);
        }
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPositive = 0;
        long positives = 0;
        for (int i = 0; i < idx.length; ) {
            int j = i;
            while (j < idx.length && scores[idx[j]] == scores[idx[i]]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
            for (int k = i; k < j; k++) {
                if (positive[idx[k]]) {
                    rankSumPositive += midRank;
                    positives++;
                }
            }
            i = j;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private void checkImages(INDArray images) {
        if (images.rank() != 4 || images.size(1) != 3 || images.size(2) != config.size()
                || images.size(3) != config.size()) {
            throw new IllegalArgumentException("images must be [n, 3, " + config.size() + ", " + config.size()
                    + "], got " + Arrays.toString(images.shape()));
        }
    }

    private void checkShapes(INDArray images, INDArray labels) {
        checkImages(images);
        if (labels.rank() != 2 || labels.size(0) != images.size(0) || labels.size(1) != config.classes()) {
            throw new IllegalArgumentException("labels must be one-hot [" + images.size(0) + ", " + config.classes()
                    + "], got " + Arrays.toString(labels.shape()));
        }
    }
}
