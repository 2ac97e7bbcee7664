package dev.constrained4j.runners.spark;

import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.reports.run.AtomicFiles;
import dev.constrained4j.runners.engine.MinibatchLoop;
import dev.constrained4j.runners.engine.NativeThreads;
import dev.constrained4j.runners.mnist.FusedMnistModel;
import dev.constrained4j.runners.mnist.MnistMode;
import dev.constrained4j.runners.mnist.MnistOutputs;
import dev.constrained4j.runners.mnist.MnistTask;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What runs inside the executors, one partition at a time: a round of at most k minibatch steps of the partition's
 * replica through the project's {@link MinibatchLoop} (the engine, method and Adam of the single-machine
 * {@code MnistTask}), the evaluation sums of a shard, the per-sample files of the report, the partition's largest
 * multipliers, and the partition's checkpoint file. Every function is a pure function of its arguments, so that
 * Spark may run a failed task again.
 */
final class PartitionTrainer {

    /** The folder, under the run's checkpoints, of the partitions' method states. */
    static final String STATE_DIR = "partitions";
    /** Epochs of partition states kept (the trainer keeps two checkpoints; one more for a checkpoint not yet committed). */
    private static final int KEPT_EPOCHS = 3;

    private PartitionTrainer() {
    }

    /** The state of a partition before its stage's first epoch: a fresh method (multipliers 0). */
    static ShardState initialState(StageSpec spec, MnistShard shard) {
        ArrayMultipliers store = spec.mode() == MnistMode.ALM ? new ArrayMultipliers(new float[shard.size()]) : null;
        return ShardState.of(shard.partition(), spec.config().method(spec.mode(), store));
    }

    /**
     * Round {@code round} of {@code epoch} on one partition: the replica starts from the averaged weights and Adam
     * state of the driver and takes the partition's minibatch steps {@code round·k … round·k + k − 1} of the epoch (in
     * the partition's seeded order, minibatches of {@link StageSpec#replicaBatch}), each followed by the method's dual
     * step on the partition's multipliers. The task's thread first gets the run's ND4J threads ({@link NativeThreads}).
     */
    static PartitionStep round(StageSpec spec, ReplicaWeights weights, int epoch, int round, MnistShard shard,
                               ShardState state) {
        NativeThreads.apply(spec.config().threads());
        int n = shard.size();
        int b = spec.replicaBatch(shard.partition());
        int from = round * spec.averagingPeriod();
        int to = Math.min(spec.steps(shard.partition(), n), from + spec.averagingPeriod());
        long dualSteps = dualSteps(state);
        if (from >= to) {
            return new PartitionStep(state, new Replica(shard.partition(), 0, 0, 0, dualSteps, null));
        }
        FusedMnistModel model = spec.newModel();
        AdamOptimizer optimizer = spec.newOptimizer();
        weights.into(model, optimizer);
        ConstrainedMethod method = restore(spec, state);
        int[] order = MnistTask.epochOrder(spec.mode(), spec.partitionSeed(shard.partition()), n, epoch);
        int lo = from * b;
        int hi = Math.min(n, to * b);
        int[] bounds = new int[to - from + 1];
        for (int k = 0; k < bounds.length - 1; k++) {
            bounds[k] = k * b;
        }
        bounds[bounds.length - 1] = hi - lo;
        double[] objectives = new double[1];
        new MinibatchLoop<>(model, method, optimizer, shard.data())
                .runEpoch(epoch, Arrays.copyOfRange(order, lo, hi), bounds, (e, objective, size) -> objectives[0] += objective);
        ShardState next = ShardState.of(shard.partition(), method);
        return new PartitionStep(next, new Replica(shard.partition(), hi - lo, to - from, objectives[0],
                dualSteps(next), ReplicaWeights.of(model, optimizer)));
    }

    private static long dualSteps(ShardState state) {
        Double steps = state.scalars().get("dualSteps");
        return steps == null ? 0 : steps.longValue();
    }

    /** The partition's method, in the partition's state, over a copy of its multipliers. */
    private static ConstrainedMethod restore(StageSpec spec, ShardState state) {
        ArrayMultipliers store = state.store();
        ConstrainedMethod method = spec.config().method(spec.mode(), store);
        method.restore(state.methodState(store));
        return method;
    }

    /** Per-sample results of the model on a shard. */
    private record Pass(double[] ce, double[] recon, int correct) {
    }

    private static Pass evaluate(StageSpec spec, ReplicaWeights weights, MnistShard shard) {
        NativeThreads.apply(spec.config().threads());
        FusedMnistModel model = spec.newModel();
        weights.into(model, null);
        int n = shard.size();
        double[] ce = new double[n];
        double[] recon = spec.mode().hasDecoder() ? new double[n] : null;
        int correct = model.evaluate(shard.data(), spec.config().evalBatchSize(), ce, recon);
        return new Pass(ce, recon, correct);
    }

    /**
     * The evaluation sums of a shard with the driver's averaged model; the objective's too when {@code state} is the
     * partition's method state (training split).
     */
    static SplitSums sums(StageSpec spec, ReplicaWeights weights, MnistShard shard, ShardState state) {
        Pass pass = evaluate(spec, weights, shard);
        double bound = spec.config().bound();
        ConstrainedMethod method = state == null ? null : restore(spec, state);
        double loss = 0;
        double recon = 0;
        double violation = 0;
        long satisfied = 0;
        double objective = 0;
        for (int i = 0; i < pass.ce.length; i++) {
            loss += pass.ce[i];
            double c = pass.recon == null ? 0 : pass.recon[i];
            if (pass.recon != null) {
                recon += c;
                violation += Math.max(0, c - bound);
                if (c <= bound) {
                    satisfied++;
                }
            }
            if (method != null) {
                objective += method.sampleObjective(i, pass.ce[i], c);
            }
        }
        return new SplitSums(pass.ce.length, loss, pass.correct, recon, violation, satisfied, objective);
    }

    /**
     * Writes this shard's rows of {@code samples/<mode>-<split>.csv} (without the header) into a part file that the
     * driver joins in partition order: {@code index,recon_mse[,multiplier]} as {@code MnistOutputs.saveSamples}
     * writes them, with the index in the whole split.
     *
     * @return the part file
     */
    static String writeSamples(StageSpec spec, ReplicaWeights weights, MnistShard shard, ShardState state, String split) {
        Pass pass = evaluate(spec, weights, shard);
        Path part = samplesPart(spec, split, shard.partition());
        float[] multipliers = state == null ? null : state.multipliers();
        AtomicFiles.write(part, tmp -> {
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder(48);
                for (int i = 0; i < pass.recon.length; i++) {
                    line.setLength(0);
                    line.append(shard.start() + i).append(',').append(pass.recon[i]);
                    if (multipliers != null) {
                        line.append(',').append(multipliers[i]);
                    }
                    out.append(line).append('\n');
                }
            }
        });
        return part.toString();
    }

    /**
     * The evaluation of a training partition: its sums with the driver's model and the partition's method state, the
     * first pass of its multipliers' statistics (alm), and its method state written to its checkpoint file for
     * {@code epoch} (the state after the epoch, which the epoch's checkpoint lists).
     */
    static EvaluationPart evaluateTraining(StageSpec spec, ReplicaWeights weights, int epoch, MnistShard shard,
                                           ShardState state) {
        SplitSums sums = sums(spec, weights, shard, state);
        MultiplierSummary.First first = state.multipliers() == null ? null
                : MultiplierSummary.First.of(state.multipliers());
        return new EvaluationPart(sums, first, writeState(spec, epoch, state));
    }

    /** The part file of partition {@code p} of {@code samples/<mode>-<split>.csv}. */
    static Path samplesPart(StageSpec spec, String split, int p) {
        return spec.runDir().resolve("samples").resolve("." + spec.mode().key() + "-" + split + ".csv.part-" + p);
    }

    /** A training image with its multiplier, a candidate for the report's picture of the largest ones. */
    record Candidate(int index, float multiplier, byte[] pixels, byte label, int rows, int cols) implements Serializable {
    }

    /**
     * The partition's images with the largest multipliers ({@link MnistOutputs#DIGITS} at most, largest first, ties by
     * smaller index, as {@code MnistTask.largest}), with their pixels: all the driver needs to pick the run's largest.
     */
    static List<Candidate> largest(MnistShard shard, ShardState state) {
        float[] values = state.multipliers();
        double[] asDouble = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            asDouble[i] = values[i];
        }
        List<Candidate> out = new ArrayList<>();
        for (int i : MnistTask.largest(asDouble)) {
            out.add(new Candidate(shard.start() + i, values[i], shard.rawImage(i), shard.label(i), shard.rows(),
                    shard.cols()));
        }
        return out;
    }

    /** Where partition {@code p}'s method state after {@code epoch} is checkpointed, relative to the run folder. */
    static String stateFile(MnistMode mode, int epoch, int p) {
        return "checkpoints/" + STATE_DIR + "/" + mode.key() + "-epoch-" + epoch + "-part-" + p + ".state";
    }

    /** A partition's checkpoint file, as the driver's checkpoint lists it. */
    record StateFile(int partition, String file, String sha256) implements Serializable {
    }

    /**
     * Writes the partition's method state after {@code epoch} ({@code MethodState}'s format: its scalars and its
     * multipliers) with its SHA-256 beside it, and deletes the partition's states of older epochs but the last
     * {@value #KEPT_EPOCHS}.
     */
    static StateFile writeState(StageSpec spec, int epoch, ShardState state) {
        String name = stateFile(spec.mode(), epoch, state.partition());
        Path file = spec.runDir().resolve(name);
        AtomicFiles.writeWithChecksum(file, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                ArrayMultipliers store = state.multipliers() == null ? null : new ArrayMultipliers(state.multipliers());
                state.methodState(store).write(out);
            }
        });
        try {
            for (int old = epoch - KEPT_EPOCHS; old >= 0; old--) {
                Path stale = spec.runDir().resolve(stateFile(spec.mode(), old, state.partition()));
                if (!Files.deleteIfExists(stale)) {
                    break;
                }
                Files.deleteIfExists(AtomicFiles.checksumFile(stale));
            }
            return new StateFile(state.partition(), name, AtomicFiles.sha256(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot checkpoint partition " + state.partition() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a partition's method state back, after checking it against the SHA-256 that the driver's checkpoint
     * recorded for it.
     *
     * @throws IllegalStateException if the file is missing, corrupt, or of another partition's size
     */
    static ShardState readState(StageSpec spec, StateFile recorded, MnistShard shard) {
        Path file = spec.runDir().resolve(recorded.file());
        try {
            if (!Files.isRegularFile(file) || !AtomicFiles.sha256(file).equals(recorded.sha256())) {
                throw new IllegalStateException("the partition state " + file + " is missing or does not match the"
                        + " checksum its checkpoint recorded; start a new run");
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                MethodState s = MethodState.read(in, null);
                if (s.multipliers() != null && s.multipliers().size() != shard.size()) {
                    throw new IllegalStateException(file + " holds " + s.multipliers().size() + " multipliers; partition "
                            + shard.partition() + " has " + shard.size() + " samples (was the run made with other"
                            + " --spark-partitions?)");
                }
                float[] values = null;
                if (s.multipliers() != null) {
                    values = new float[shard.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = s.multipliers().get(i);
                    }
                }
                return new ShardState(shard.partition(), s.method(), new java.util.LinkedHashMap<>(s.scalars()), values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the partition state " + file + ": " + e.getMessage(), e);
        }
    }
}
