package dev.constrained4j.runners.spark;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.runners.mnist.FusedMnistModel;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistMode;
import dev.constrained4j.runners.mnist.MnistTask;
import dev.constrained4j.runners.run.RecordJson;
import dev.constrained4j.runners.run.RunFolder;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the executors need to know of one stage, broadcast once per stage: the mode, the run's configuration (as its
 * {@code run.json} text, so that executors build the method, the engine and Adam exactly as the single-machine
 * {@code MnistTask} does), the partitioning and averaging period, and the run folder (on a file system the executors
 * share with the driver: checkpoints and per-sample files are written there).
 */
final class StageSpec implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The stream of the partitions' data-order seeds (EpochOrder.mix). */
    private static final long PARTITION_STREAM = 21;

    private final MnistMode mode;
    private final String configJson;
    private final int partitions;
    private final int averagingPeriod;
    private final String runDir;
    private transient MnistConfig config;

    StageSpec(MnistMode mode, MnistConfig config, SparkConfig spark, Path runDir) {
        this.mode = mode;
        this.configJson = RecordJson.toJson(config).toString();
        this.partitions = spark.partitions();
        this.averagingPeriod = spark.averagingPeriod();
        this.runDir = runDir.toAbsolutePath().toString();
    }

    MnistMode mode() {
        return mode;
    }

    synchronized MnistConfig config() {
        if (config == null) {
            try {
                config = RecordJson.fromJson(RunFolder.JSON.readTree(configJson), MnistConfig.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return config;
    }

    int partitions() {
        return partitions;
    }

    int averagingPeriod() {
        return averagingPeriod;
    }

    Path runDir() {
        return Path.of(runDir);
    }

    /**
     * The seed of partition {@code p}'s data order: the master seed for partition 0 (so that one partition visits
     * its samples, the whole training set, exactly as the single-machine run does), one split from it for the others.
     */
    long partitionSeed(int p) {
        long seed = config().seed();
        return p == 0 ? seed : EpochOrder.mix(seed, PARTITION_STREAM, p);
    }

    /**
     * The minibatch of partition {@code p}'s replica: its share of the global minibatch {@code b} (the configured
     * batch size), {@code ⌊b/P⌋} or one more, so that the replicas' batches of one step add up to {@code b} and an
     * epoch takes as many (averaged) steps as on one machine.
     */
    int replicaBatch(int p) {
        int b = config().batchSize();
        return b / partitions + (p < b % partitions ? 1 : 0);
    }

    /** The minibatch steps of partition {@code p}'s epoch over {@code size} samples. */
    int steps(int p, int size) {
        int b = replicaBatch(p);
        return (size + b - 1) / b;
    }

    /** The layers the mode trains: the encoder-classifier, and the decoder if the mode has one. */
    List<String> layers() {
        List<String> layers = new ArrayList<>(MnistClassifierDecoder.ENCODER_LAYERS);
        if (mode.hasDecoder()) {
            layers.addAll(MnistClassifierDecoder.DECODER_LAYERS);
        }
        return layers;
    }

    /** A model of the mode with zero weights, to be set from a {@link ReplicaWeights}. */
    FusedMnistModel newModel() {
        MnistModelConfig modelConfig = MnistModelConfig.reference();
        Map<String, long[]> shapes = MnistClassifierDecoder.layerShapes(modelConfig);
        Map<String, INDArray> zeros = new LinkedHashMap<>();
        for (String layer : layers()) {
            long[] shape = shapes.get(layer);
            zeros.put(layer + "_W", Nd4j.zeros(DataType.FLOAT, shape));
            zeros.put(layer + "_b", Nd4j.zeros(DataType.FLOAT, 1, shape[1]));
        }
        return new FusedMnistModel(mode, modelConfig, zeros);
    }

    /** The stage's Adam, as the single-machine task makes it. */
    AdamOptimizer newOptimizer() {
        return MnistTask.optimizer(mode, config());
    }
}
