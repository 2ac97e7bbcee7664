package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.DataException;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.MappedMultipliers;
import dev.constrained4j.losses.method.MultiplierStore;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.runners.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MnistStages#local}: both splits in this JVM's memory, one {@link MnistTask} per stage. */
final class LocalMnistStages implements MnistStages {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMnistStages.class);

    private final MnistConfig config;
    private final MnistData train;
    private final MnistData test;

    LocalMnistStages(MnistConfig config) {
        this.config = config;
        long start = System.nanoTime();
        this.train = MnistData.load(config.dataDir(), true, config.trainLimit(), DataType.FLOAT);
        this.test = MnistData.load(config.dataDir(), false, config.testLimit(), DataType.FLOAT);
        for (MnistData split : new MnistData[]{train, test}) {
            if (split.rows() * split.cols() != MnistModelConfig.reference().inputs()) {
                throw new DataException(config.dataDir() + " holds " + split.rows() + "x" + split.cols()
                        + (split == test ? " test" : "") + " images; the model expects 28x28 MNIST images");
            }
        }
        LOG.info("MNIST: {} training and {} test images from {} ({} ms)", train.size(), test.size(), config.dataDir(),
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public StageTask open(MnistMode mode, RunFolder folder, MnistOutputs outputs, Map<String, INDArray> initial,
                          Map<String, INDArray> decoderInit) {
        MultiplierStore multipliers = multipliers(mode, folder, train.size());
        return new MnistTask(mode, config, train, test, MnistModelConfig.reference(), initial, decoderInit, outputs,
                config.method(mode, multipliers));
    }

    /**
     * The store of the alm mode's multipliers, one per training image: on the heap, or mapped onto
     * {@link MnistExperiment#MAPPED_MULTIPLIERS} in the run folder; null for the other modes.
     */
    private MultiplierStore multipliers(MnistMode mode, RunFolder folder, int size) {
        if (mode != MnistMode.ALM) {
            return null;
        }
        if (!config.alm().mapped()) {
            return new HeapMultipliers(size);
        }
        Path file = folder.resolve(MnistExperiment.MAPPED_MULTIPLIERS);
        try {
            Files.createDirectories(file.getParent());
            // a fresh (sparse, zero) file: a resumed stage gets its multipliers from its checkpoint
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
        return new MappedMultipliers(file, size);
    }
}
