package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.mnist.MnistData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model and optimiser state of one MNIST stage, as an {@link MnistEngine} computes them. {@link MnistTask}
 * drives it: data order, evaluation metrics and files are the task's, the arithmetic is the engine's.
 */
interface TrainableMnistModel {

    /** Observes every optimiser step. */
    interface StepObserver {
        void onStep(double objective, int batchSize);
    }

    /**
     * One epoch of minibatches of {@code batchSize} training images taken in {@code order}, the penalty
     * coefficient fixed at {@code coefficient}.
     *
     * @return the mean of the minibatch objectives
     */
    double trainEpoch(MnistData train, int[] order, int batchSize, double coefficient, StepObserver observer);

    /**
     * Forward pass over all of {@code data} in batches: per-sample cross-entropy into {@code ce}, reconstruction
     * MSE into {@code recon} (null when the model has no decoder).
     *
     * @return the number of correctly classified images
     */
    int evaluate(MnistData data, int batchSize, double[] ce, double[] recon);

    /** Copies of the parameters of the given layers, keyed {@code <layer>_W}/{@code <layer>_b}. */
    Map<String, INDArray> parameters(List<String> layers);

    /** Reconstructions of some images (the model must have a decoder). */
    INDArray reconstruct(INDArray features);

    /** Writes weights and optimiser state, enough to continue bit for bit, to {@code file}. */
    void save(Path file) throws IOException;

    /** Restores what {@link #save} wrote. */
    void load(Path file) throws IOException;
}
