package dev.constrained4j.runners.spark;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.method.StatefulMethod;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.mnist.FusedMnistModel;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistMode;
import dev.constrained4j.runners.mnist.MnistOutputs;
import dev.constrained4j.runners.mnist.MnistStages;
import dev.constrained4j.runners.mnist.MnistTask;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One MNIST stage trained data-parallel on Spark (docs/scale-out.md), driven by the same {@code ConstrainedTrainer}
 * as the single-machine {@link MnistTask}: every epoch is a sequence of rounds; in each round the driver broadcasts
 * its model and Adam state, every partition's replica takes at most k steps of the epoch over its shard in a job
 * ({@link PartitionTrainer#round}), its multipliers updated beside its data, and the driver averages the replicas
 * ({@link ParameterAveraging}). The method's schedule is the driver's; the per-sample metrics are sums over the
 * partitions ({@link SplitSums}, {@link MultiplierSummary}); checkpoints hold the averaged model and Adam state and
 * list the partitions' own checkpoint files with their SHA-256.
 */
final class SparkMnistTask implements MnistStages.StageTask {

    private static final String MAGIC = "constrained4j-spark-mnist";
    private static final int VERSION = 1;

    private final JavaSparkContext context;
    private final MnistMode mode;
    private final MnistConfig config;
    private final StageSpec spec;
    private final Broadcast<StageSpec> specs;
    private final JavaRDD<MnistShard> train;
    private final JavaRDD<MnistShard> test;
    private final List<Integer> shardSizes;
    private final Map<String, INDArray> decoderInit;
    private final MnistOutputs outputs;
    private final FusedMnistModel model;
    private final AdamOptimizer optimizer;
    private final PartitionedMethod method;
    private IterationListener iterations = IterationListener.NONE;
    /** The partitions' method states; its elements are produced by the last round and never leave the executors. */
    private JavaRDD<ShardState> states;
    /** The localCheckpointed output of the last round (null before the first), which {@link #states} reads. */
    private JavaRDD<PartitionStep> lastRound;
    private int epoch = -1;
    /** The partitions' checkpoint files of the last evaluated epoch. */
    private List<PartitionTrainer.StateFile> stateFiles = List.of();

    SparkMnistTask(SparkMnistStages stages, MnistMode mode, Path runDir, MnistOutputs outputs,
                   Map<String, INDArray> initial, Map<String, INDArray> decoderInit) {
        this.context = stages.context();
        this.mode = mode;
        this.config = stages.config();
        this.spec = new StageSpec(mode, config, stages.spark(), runDir);
        this.specs = context.broadcast(spec);
        this.train = stages.train();
        this.test = stages.test();
        this.shardSizes = stages.trainSizes();
        this.decoderInit = decoderInit;
        this.outputs = outputs;
        this.model = new FusedMnistModel(mode, MnistModelConfig.reference(), initial);
        this.optimizer = MnistTask.optimizer(mode, config);
        this.method = new PartitionedMethod(mode, config);
        Broadcast<StageSpec> s = specs;
        this.states = train.map(shard -> PartitionTrainer.initialState(s.value(), shard));
    }

    @Override
    public void setIterationListener(IterationListener listener) {
        this.iterations = listener;
    }

    @Override
    public StatefulMethod method() {
        return method;
    }

    /** Rounds of an epoch: the most minibatch steps of a partition, k per round. */
    private int rounds() {
        int steps = 0;
        for (int p = 0; p < shardSizes.size(); p++) {
            steps = Math.max(steps, spec.steps(p, shardSizes.get(p)));
        }
        return (steps + spec.averagingPeriod() - 1) / spec.averagingPeriod();
    }

    @Override
    public void trainEpoch(int e) {
        epoch = e;
        method.beginEpoch(e);
        Broadcast<StageSpec> s = specs;
        for (int r = 0; r < rounds(); r++) {
            int round = r;
            Broadcast<ReplicaWeights> weights = context.broadcast(ReplicaWeights.of(model, optimizer));
            JavaRDD<PartitionStep> next = train.zipPartitions(states, (shards, state) -> List.of(
                    PartitionTrainer.round(s.value(), weights.value(), e, round, shards.next(), state.next())).iterator());
            // the new states stay on the executors, without the lineage of every earlier round
            next.rdd().localCheckpoint();
            List<Replica> replicas = Jobs.run(() -> next.map(PartitionStep::replica).collect());
            weights.destroy();
            if (lastRound != null) {
                lastRound.unpersist(false);
            }
            lastRound = next;
            states = next.map(PartitionStep::state);
            long samples = ParameterAveraging.average(replicas, model, optimizer);
            double objectives = 0;
            int steps = 0;
            long dualSteps = 0;
            for (Replica replica : replicas) {
                objectives += replica.objectiveSum();
                steps += replica.steps();
                dualSteps += replica.dualSteps();
            }
            method.setDualSteps(dualSteps);
            if (steps > 0) {
                iterations.onIteration(mode.key(), e, objectives / steps, (int) samples, this::portableParameters);
            }
        }
    }

    /**
     * {@inheritDoc} One job: every training partition's sums with its multipliers (and their first statistics pass,
     * and its method state written to its checkpoint file, the state the checkpoint of this epoch lists), every test
     * partition's sums; then, for alm, the statistics' second pass.
     */
    @Override
    public Map<String, Double> evaluate() {
        Broadcast<StageSpec> s = specs;
        Broadcast<ReplicaWeights> weights = context.broadcast(ReplicaWeights.of(model, optimizer));
        int e = epoch;
        JavaRDD<EvaluationPart> trainParts = train.zipPartitions(states, (shards, state) -> List.of(
                PartitionTrainer.evaluateTraining(s.value(), weights.value(), e, shards.next(), state.next())).iterator());
        JavaRDD<EvaluationPart> testParts = test.map(shard -> new EvaluationPart(
                PartitionTrainer.sums(s.value(), weights.value(), shard, null), null, null));
        List<EvaluationPart> parts = Jobs.run(() -> trainParts.union(testParts).collect());
        weights.destroy();
        List<EvaluationPart> trainResults = parts.subList(0, spec.partitions());
        stateFiles = trainResults.stream().map(EvaluationPart::stateFile).toList();
        if (mode == MnistMode.ALM) {
            List<MultiplierSummary.First> firsts = trainResults.stream().map(EvaluationPart::multipliers).toList();
            method.setStatistics(Jobs.run(() -> MultiplierSummary.of(firsts, high -> states
                    .map(state -> MultiplierSummary.Second.of(state.multipliers(), high))
                    .treeReduce(MultiplierSummary.Second::plus, 2))));
        }
        SplitSums trainSums = sum(trainResults.stream().map(EvaluationPart::sums).toList());
        SplitSums testSums = sum(parts.subList(spec.partitions(), parts.size()).stream().map(EvaluationPart::sums)
                .toList());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(OBJECTIVE, trainSums.objectiveSum() / trainSums.count());
        putInto(metrics, "train_", trainSums);
        putInto(metrics, "test_", testSums);
        return metrics;
    }

    private static SplitSums sum(List<SplitSums> partitions) {
        SplitSums total = SplitSums.EMPTY;
        for (SplitSums p : partitions) {
            total = total.plus(p);
        }
        return total;
    }

    /** The metrics of {@code MnistTask}'s evaluation, from sums: means over the whole split, NaN without a decoder. */
    private void putInto(Map<String, Double> metrics, String prefix, SplitSums s) {
        double n = s.count();
        metrics.put(prefix + "loss", s.lossSum() / n);
        metrics.put(prefix + "acc", s.correct() / n);
        boolean decoder = mode.hasDecoder();
        metrics.put(prefix + "recon_mse", decoder ? s.reconSum() / n : Double.NaN);
        metrics.put(prefix + "violation", decoder ? s.violationSum() / n : Double.NaN);
        metrics.put(prefix + "satisfied", decoder ? s.satisfied() / n : Double.NaN);
    }

    /**
     * {@inheritDoc} The averaged model and Adam state, then the partitions' checkpoint files (each partition's method
     * state after this epoch, written by its executor in the epoch's evaluation) with their SHA-256.
     */
    @Override
    public void writeCheckpoint(DataOutputStream out) throws IOException {
        List<PartitionTrainer.StateFile> files = stateFiles;
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(spec.partitions());
        out.writeInt(spec.averagingPeriod());
        model.write(out);
        optimizer.write(out);
        out.writeInt(files.size());
        for (PartitionTrainer.StateFile f : files) {
            out.writeInt(f.partition());
            out.writeUTF(f.file());
            out.writeUTF(f.sha256());
        }
    }

    /**
     * {@inheritDoc} Refuses a checkpoint of another partitioning or averaging period (the partitions' multipliers
     * and the data order depend on them); the partitions read and verify their own files.
     */
    @Override
    public void readCheckpoint(DataInputStream in) throws IOException {
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
            throw new IOException("not a checkpoint of the Spark mode (version " + VERSION + "); resume a Spark run"
                    + " with --spark, a single-machine run without it");
        }
        int partitions = in.readInt();
        int period = in.readInt();
        if (partitions != spec.partitions() || period != spec.averagingPeriod()) {
            throw new IOException("it was made with " + partitions + " partitions averaged every " + period
                    + " steps, this run has " + spec.partitions() + " and " + spec.averagingPeriod());
        }
        model.read(in);
        optimizer.read(in);
        int n = in.readInt();
        List<PartitionTrainer.StateFile> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(new PartitionTrainer.StateFile(in.readInt(), in.readUTF(), in.readUTF()));
        }
        files.sort(Comparator.comparingInt(PartitionTrainer.StateFile::partition));
        Broadcast<StageSpec> s = specs;
        Broadcast<List<PartitionTrainer.StateFile>> recorded = context.broadcast(files);
        JavaRDD<PartitionStep> restored = train.map(shard -> new PartitionStep(PartitionTrainer.readState(s.value(),
                recorded.value().get(shard.partition()), shard), null));
        restored.rdd().localCheckpoint();
        Jobs.run(restored::count);
        lastRound = restored;
        states = restored.map(PartitionStep::state);
    }

    @Override
    public void saveBest(int e) {
        if (mode == MnistMode.WARM) {
            return;
        }
        outputs.saveWeights(MnistOutputs.bestWeights(mode), portableParameters());
        if (!mode.hasDecoder()) {
            return;
        }
        Broadcast<StageSpec> s = specs;
        Broadcast<ReplicaWeights> weights = context.broadcast(ReplicaWeights.of(model, optimizer));
        boolean multipliers = mode == MnistMode.ALM;
        JavaRDD<String> trainFiles = train.zipPartitions(states, (shards, state) -> List.of(
                PartitionTrainer.writeSamples(s.value(), weights.value(), shards.next(),
                        multipliers ? state.next() : null, "train")).iterator());
        JavaRDD<String> testFiles = test.map(shard ->
                PartitionTrainer.writeSamples(s.value(), weights.value(), shard, null, "test"));
        List<String> parts = Jobs.run(() -> trainFiles.union(testFiles).collect());
        List<String> trainParts = parts.subList(0, spec.partitions());
        List<String> testParts = parts.subList(spec.partitions(), parts.size());
        weights.destroy();
        joinSamples("train", multipliers, trainParts);
        joinSamples("test", false, testParts);
        // the first test digits, as the single-machine run draws them: read here, they are a dozen images
        int digits = config.testLimit() == 0 ? MnistOutputs.DIGITS : Math.min(MnistOutputs.DIGITS, config.testLimit());
        MnistData firstTest = MnistData.load(config.dataDir(), false, digits, DataType.FLOAT);
        outputs.saveReconstructions(mode.key(), firstTest, firstRows(firstTest.size()), "reconstructions",
                model::reconstruct);
        if (multipliers) {
            saveLargestMultipliers();
        }
    }

    private static int[] firstRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** {@code samples/<mode>-<split>.csv}: the header of {@code MnistOutputs.saveSamples}, then the parts in order. */
    private void joinSamples(String split, boolean multipliers, List<String> parts) {
        Path file = spec.runDir().resolve("samples").resolve(mode.key() + "-" + split + ".csv");
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write((multipliers ? "index,recon_mse,multiplier\n" : "index,recon_mse\n")
                        .getBytes(StandardCharsets.UTF_8));
                for (String part : parts) {
                    Files.copy(Path.of(part), out);
                }
            }
        });
        for (String part : parts) {
            try {
                Files.deleteIfExists(Path.of(part));
            } catch (IOException ignored) {
                // a hidden leftover; the next best epoch overwrites it
            }
        }
    }

    /** {@code images/alm-largest-multipliers.png} from every partition's largest candidates. */
    private void saveLargestMultipliers() {
        List<PartitionTrainer.Candidate> candidates = new ArrayList<>(Jobs.run(() -> train.zipPartitions(states,
                (shards, state) -> PartitionTrainer.largest(shards.next(), state.next()).iterator()).collect()));
        candidates.sort(Comparator.comparingInt(PartitionTrainer.Candidate::index));
        double[] values = new double[candidates.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = candidates.get(i).multiplier();
        }
        int[] pick = MnistTask.largest(values);
        int pixels = MnistModelConfig.reference().inputs();
        byte[] raw = new byte[pick.length * pixels];
        byte[] labels = new byte[pick.length];
        for (int k = 0; k < pick.length; k++) {
            PartitionTrainer.Candidate c = candidates.get(pick[k]);
            System.arraycopy(c.pixels(), 0, raw, k * pixels, pixels);
            labels[k] = c.label();
        }
        PartitionTrainer.Candidate any = candidates.get(0);
        MnistData images = MnistData.fromBytes(raw, labels, 0, pick.length, any.rows(), any.cols(), DataType.FLOAT);
        outputs.saveReconstructions(mode.key(), images, firstRows(pick.length), "largest-multipliers", model::reconstruct);
    }

    @Override
    public void saveLast(int e) {
        outputs.saveWeights(MnistOutputs.lastWeights(mode), portableParameters());
    }

    @Override
    public Map<String, INDArray> portableParameters() {
        return MnistOutputs.portableParameters(model::parameters, mode, decoderInit);
    }

    /** Releases the partitions' states and the stage's broadcast. */
    @Override
    public void close() {
        if (lastRound != null) {
            lastRound.unpersist(false);
        }
        specs.destroy();
    }
}
