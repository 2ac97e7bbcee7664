package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.method.SampleModel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model of one MNIST stage as an {@link MnistEngine} computes it: per-image cross-entropy {@code ℓ_i} and
 * reconstruction MSE {@code c_i} forward, the method's derivative weights backward ({@link SampleModel}).
 * {@link MnistTask} drives it through the minibatch loop: data order, method, optimiser, evaluation metrics and
 * files are the task's, the arithmetic is the engine's.
 */
interface TrainableMnistModel extends SampleModel<MnistData> {

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

    /** Writes the trained parameters (enough, with the optimiser's state, to continue bit for bit). */
    void write(DataOutputStream out) throws IOException;

    /** Restores what {@link #write} wrote. */
    void read(DataInputStream in) throws IOException;
}
