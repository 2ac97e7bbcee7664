package dev.constrained4j.runners.weights;

import dev.constrained4j.data.EpochOrder;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.losses.optim.ConstrainedOptimizer;
import dev.constrained4j.losses.optim.StochasticAugmentedLagrangian;
import dev.constrained4j.losses.weights.WeightConstraintSet;
import dev.constrained4j.models.weights.GraphClassifier;
import dev.constrained4j.models.weights.ImageClassifier;
import dev.constrained4j.runners.engine.OptimizerLoop;
import dev.constrained4j.runners.engine.TrainingTask;
import dev.constrained4j.reports.run.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One data set, constraint set, method, setting and seed of the weight-constraint experiment as a
 * {@link TrainingTask}: an epoch is one pass over the training images in batches, in a seeded order (SAL keeps the
 * order of its shuffle for all the augmented-Lagrangian iterations of that shuffle, as Algorithm 2); evaluation gives
 * train and test loss and accuracy and the violation metrics {@code CV_1}, {@code CV_2}, {@code CV_∞} of the weights
 * and {@code CV(−1) = CV_2 / CV_2(initialisation)}. A SAL run whose termination test passed trains no further.
 */
final class WeightsTask implements TrainingTask {

    private static final long[] IMAGE = {1, 28, 28};

    private final ImageClassifier classifier;
    private final ConstrainedOptimizer optimizer;
    private final WeightConstraintSet constraints;
    private final MnistData train;
    private final MnistData test;
    private final OptimizerLoop loop;
    private final int batchSize;
    private final long orderSeed;
    private final int epochsPerOrder;
    private final double initialViolation;
    private final Path weightsFile;
    private double elapsed;
    private double lastObjective = Double.NaN;

    /**
     * @param epochsPerOrder how many consecutive epochs share one data order (SAL: its iterations per shuffle)
     */
    WeightsTask(ImageClassifier classifier, ConstrainedOptimizer optimizer, WeightConstraintSet constraints,
                MnistData train, MnistData test, int batchSize, long orderSeed, int epochsPerOrder, Path weightsFile) {
        this.classifier = classifier;
        this.optimizer = optimizer;
        this.constraints = constraints;
        this.train = train;
        this.test = test;
        this.batchSize = batchSize;
        this.orderSeed = orderSeed;
        this.epochsPerOrder = epochsPerOrder;
        this.weightsFile = weightsFile;
        this.loop = new OptimizerLoop(new WeightsBatchModel(classifier, constraints, train.features(), train.classes(),
                IMAGE), optimizer);
        this.initialViolation = WeightConstraintSet.violation(constraints.values(classifier.parameters()), 2);
    }

    @Override
    public ConstrainedOptimizer method() {
        return optimizer;
    }

    @Override
    public void trainEpoch(int epoch) {
        if (optimizer instanceof StochasticAugmentedLagrangian sal && sal.finished()) {
            return;
        }
        long start = System.nanoTime();
        int n = train.size();
        int[] order = EpochOrder.permutation(n, orderSeed, 0, epoch / epochsPerOrder);
        int steps = (n + batchSize - 1) / batchSize;
        lastObjective = loop.runEpoch(epoch, steps, (e, step, stream) ->
                Arrays.copyOfRange(order, step * batchSize, Math.min(n, (step + 1) * batchSize)));
        elapsed += (System.nanoTime() - start) / 1e9;
    }

    @Override
    public Map<String, Double> evaluate() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        GraphClassifier.Evaluation tr = evaluate(train);
        GraphClassifier.Evaluation te = evaluate(test);
        metrics.put("train_loss", tr.meanLoss());
        metrics.put("train_acc", tr.accuracy());
        metrics.put("test_loss", te.meanLoss());
        metrics.put("test_acc", te.accuracy());
        metrics.put(OBJECTIVE, Double.isNaN(lastObjective) ? tr.meanLoss() : lastObjective);
        double[] c = constraints.values(classifier.parameters());
        metrics.put("cv_1", WeightConstraintSet.violation(c, 1));
        metrics.put("cv_2", WeightConstraintSet.violation(c, 2));
        metrics.put("cv_inf", WeightConstraintSet.violation(c, Double.POSITIVE_INFINITY));
        metrics.put("cv_rel", initialViolation == 0 ? Double.NaN : WeightConstraintSet.violation(c, 2) / initialViolation);
        metrics.put("elapsed", elapsed);
        return metrics;
    }

    private GraphClassifier.Evaluation evaluate(MnistData data) {
        INDArray images = data.features().reshape(data.size(), IMAGE[0], IMAGE[1], IMAGE[2]);
        return classifier.evaluate(images, data.classes(), 500);
    }

    @Override
    public void writeCheckpoint(DataOutputStream out) throws IOException {
        writeArrays(classifier.parameters(), out);
        writeArrays(classifier.runningStatistics(), out);
        out.writeDouble(elapsed);
        out.writeDouble(lastObjective);
        optimizer.writePrimal(out);
    }

    @Override
    public void readCheckpoint(DataInputStream in) throws IOException {
        readArrays(classifier.parameters(), in);
        readArrays(classifier.runningStatistics(), in);
        elapsed = in.readDouble();
        lastObjective = in.readDouble();
        optimizer.readPrimal(in);
    }

    private static void writeArrays(Map<String, INDArray> arrays, DataOutputStream out) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            Nd4j.write(e.getValue().dup('c'), out);
        }
    }

    private static void readArrays(Map<String, INDArray> arrays, DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n != arrays.size()) {
            throw new IOException("the checkpoint holds " + n + " arrays, the network " + arrays.size());
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            INDArray target = arrays.get(name);
            INDArray value = Nd4j.read(in);
            if (target == null || target.length() != value.length()) {
                throw new IOException("the checkpoint's array " + name + " does not fit the network");
            }
            target.assign(value.reshape(target.shape()).castTo(target.dataType()));
        }
    }

    @Override
    public void saveBest(int epoch) {
    }

    /** The final parameters and running statistics, ND4J binary. */
    @Override
    public void saveLast(int epoch) {
        AtomicFiles.write(weightsFile, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                writeArrays(classifier.parameters(), out);
                writeArrays(classifier.runningStatistics(), out);
            }
        });
    }
}
