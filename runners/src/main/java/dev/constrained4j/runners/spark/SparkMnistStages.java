package dev.constrained4j.runners.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistEngine;
import dev.constrained4j.runners.mnist.MnistMode;
import dev.constrained4j.runners.mnist.MnistOutputs;
import dev.constrained4j.runners.mnist.MnistStages;
import dev.constrained4j.runners.run.RunFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of an MNIST run on a Spark cluster: the training and test sets as RDDs of {@link MnistShard}s, each
 * partition read from the IDX files by its executor and kept there (cached in memory; read again from the files if
 * Spark evicts it), shared by every stage of the run; one {@link SparkMnistTask} per stage.
 */
final class SparkMnistStages implements MnistStages {

    private static final Logger LOG = LoggerFactory.getLogger(SparkMnistStages.class);

    private final SparkCluster cluster;
    private final MnistConfig config;
    private final JavaRDD<MnistShard> train;
    private final JavaRDD<MnistShard> test;
    private final List<Integer> trainSizes;
    private Path runDir;

    /**
     * @throws IllegalArgumentException for an engine other than the fused one
     */
    SparkMnistStages(SparkCluster cluster, MnistConfig config) {
        check(config, cluster.config());
        this.cluster = cluster;
        this.config = config;
        long start = System.nanoTime();
        this.train = shards(true, config.trainLimit());
        this.test = shards(false, config.testLimit());
        List<Integer> trainSizes = Jobs.run(() -> train.map(MnistShard::size).collect());
        List<Integer> testSizes = Jobs.run(() -> test.map(MnistShard::size).collect());
        this.trainSizes = List.copyOf(trainSizes);
        if (trainSizes.contains(0)) {
            throw new IllegalArgumentException("--spark-partitions " + spark().partitions() + " leaves a partition"
                    + " without training images (" + trainSizes.stream().mapToInt(Integer::intValue).sum()
                    + "); use fewer partitions");
        }
        LOG.info("MNIST on {} partitions: {} training images ({} per partition), {} test images, read by the"
                        + " executors from {} ({} ms)", spark().partitions(),
                trainSizes.stream().mapToInt(Integer::intValue).sum(), trainSizes,
                testSizes.stream().mapToInt(Integer::intValue).sum(), config.dataDir(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Refuses a configuration the Spark mode cannot train, before any cluster starts.
     *
     * @throws IllegalArgumentException for another engine than the fused one, or fewer samples per step than partitions
     */
    static void check(MnistConfig config, SparkConfig spark) {
        if (config.batchSize() < spark.partitions()) {
            throw new IllegalArgumentException("--batch-size " + config.batchSize() + " is split over the "
                    + spark.partitions() + " partitions' replicas: give at least one sample per partition");
        }
        if (config.engine() != MnistEngine.FUSED) {
            throw new IllegalArgumentException("--spark trains with the fused engine; drop --engine "
                    + config.engine().key() + " or run without --spark");
        }
    }

    /** One split as an RDD of shards, each read by its executor and cached there. */
    private JavaRDD<MnistShard> shards(boolean trainSplit, int limit) {
        int partitions = spark().partitions();
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ids.add(p);
        }
        String dir = config.dataDir().toAbsolutePath().toString();
        return context().parallelize(ids, partitions)
                .map(p -> MnistShard.read(Path.of(dir), trainSplit, limit, p, partitions))
                .persist(StorageLevel.MEMORY_ONLY());
    }

    JavaSparkContext context() {
        return cluster.context();
    }

    SparkConfig spark() {
        return cluster.config();
    }

    MnistConfig config() {
        return config;
    }

    JavaRDD<MnistShard> train() {
        return train;
    }

    JavaRDD<MnistShard> test() {
        return test;
    }

    /** The number of training images of each partition. */
    List<Integer> trainSizes() {
        return trainSizes;
    }

    /** The run folder of the last stage opened (null before). */
    Path runDir() {
        return runDir;
    }

    /** Adds the {@code spark} block and a deviation. */
    @Override
    public void describe(ObjectNode record) {
        record.set("spark", spark().toJson());
        record.withArray("deviations").add("Trained data-parallel on Spark (" + spark().master() + "): "
                + spark().partitions() + " partitions, one model replica each, whose parameters and Adam moments are"
                + " averaged every " + spark().averagingPeriod() + " local steps; each partition's multipliers stay"
                + " beside its data (docs/scale-out.md). With one partition the numbers are the single-machine run's.");
    }

    /** With more than one partition the warm model is not the single-machine one: its settings say how it was made. */
    @Override
    public void describeWarmModel(ObjectNode settings) {
        if (spark().partitions() > 1) {
            ObjectNode s = settings.putObject("spark");
            s.put("partitions", spark().partitions());
            s.put("averagingPeriod", spark().averagingPeriod());
        }
    }

    @Override
    public StageTask open(MnistMode mode, RunFolder folder, MnistOutputs outputs, Map<String, INDArray> initial,
                          Map<String, INDArray> decoderInit) {
        runDir = folder.dir();
        return new SparkMnistTask(this, mode, folder.dir(), outputs, initial, decoderInit);
    }

    /** Releases the cached shards (the cluster stays up). */
    @Override
    public void close() {
        train.unpersist(false);
        test.unpersist(false);
    }
}
