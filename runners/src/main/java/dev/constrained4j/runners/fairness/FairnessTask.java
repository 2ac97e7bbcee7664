package dev.constrained4j.runners.fairness;

import dev.constrained4j.data.tabular.GroupBalancedSampler;
import dev.constrained4j.losses.group.GroupRateConstraints;
import dev.constrained4j.losses.optim.ConstrainedOptimizer;
import dev.constrained4j.models.tabular.GroupConstrainedClassifier;
import dev.constrained4j.runners.engine.OptimizerLoop;
import dev.constrained4j.runners.engine.TrainingTask;
import dev.constrained4j.reports.run.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One method and seed of the fairness experiment as a {@link TrainingTask}: an epoch is
 * {@link GroupBalancedSampler#stepsPerEpoch} iterations of the {@link OptimizerLoop}; evaluation on the whole
 * training and test splits gives loss, accuracy, the overall positive rate, every group's gap {@code PR_g − PR} and
 * the largest violation {@code max_g |PR_g − PR| − c}. The checkpoint holds the network's parameters, the optimiser's
 * primal state and the training seconds so far.
 */
final class FairnessTask implements TrainingTask {

    private final GroupConstrainedClassifier classifier;
    private final ConstrainedOptimizer optimizer;
    private final FairnessData data;
    private final GroupBalancedSampler sampler;
    private final OptimizerLoop loop;
    private final List<String> slugs;
    private final Path weightsFile;
    private final int steps;
    private double elapsed;

    FairnessTask(GroupConstrainedClassifier classifier, ConstrainedOptimizer optimizer, FairnessData data,
                 GroupBalancedSampler sampler, Path weightsFile) {
        this.classifier = classifier;
        this.optimizer = optimizer;
        this.data = data;
        this.sampler = sampler;
        this.weightsFile = weightsFile;
        this.loop = new OptimizerLoop(new GroupBatchModel(classifier, data.train()), optimizer);
        this.slugs = data.groupNames().stream().map(FairnessData::slug).toList();
        this.steps = sampler.stepsPerEpoch(data.train().size());
    }

    @Override
    public ConstrainedOptimizer method() {
        return optimizer;
    }

    @Override
    public void trainEpoch(int epoch) {
        long start = System.nanoTime();
        loop.runEpoch(epoch, steps, sampler::batch);
        elapsed += (System.nanoTime() - start) / 1e9;
    }

    @Override
    public Map<String, Double> evaluate() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Double> train = evaluate(data.train());
        Map<String, Double> test = evaluate(data.test());
        for (String key : List.of("loss", "acc")) {
            metrics.put("train_" + key, train.get(key));
            metrics.put("test_" + key, test.get(key));
        }
        metrics.put(OBJECTIVE, train.get("loss"));
        metrics.put("train_pr", train.get("pr"));
        metrics.put("test_pr", test.get("pr"));
        metrics.put("train_max_violation", train.get("max_violation"));
        metrics.put("test_max_violation", test.get("max_violation"));
        for (String s : slugs) {
            metrics.put("train_gap_" + s, train.get("gap_" + s));
            metrics.put("test_gap_" + s, test.get("gap_" + s));
        }
        metrics.put("elapsed", elapsed);
        return metrics;
    }

    private Map<String, Double> evaluate(GroupBatchModel.Rows rows) {
        double[] z = classifier.network().predict(rows.features());
        int n = z.length;
        double[] p = new double[n];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int y = rows.labels()[i];
            loss += GroupConstrainedClassifier.bce(z[i], y);
            p[i] = GroupConstrainedClassifier.sigmoid(z[i]);
            correct += (z[i] > 0 ? 1 : 0) == y ? 1 : 0;
        }
        // on a whole split, PR is the mean over its rows
        GroupRateConstraints constraints = new GroupRateConstraints(classifier.constraints().groups(),
                classifier.constraints().bound());
        double[] gaps = new double[constraints.groups()];
        double pr = constraints.gaps(p, rows.groups(), n, gaps);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", loss / n);
        out.put("acc", (double) correct / n);
        out.put("pr", pr);
        out.put("max_violation", constraints.maxViolation(gaps));
        for (int g = 0; g < gaps.length; g++) {
            out.put("gap_" + slugs.get(g), gaps[g]);
        }
        return out;
    }

    @Override
    public void writeCheckpoint(DataOutputStream out) throws IOException {
        Nd4j.write(classifier.network().flatParameters(), out);
        out.writeDouble(elapsed);
        optimizer.writePrimal(out);
    }

    @Override
    public void readCheckpoint(DataInputStream in) throws IOException {
        INDArray params = Nd4j.read(in);
        INDArray live = classifier.network().flatParameters();
        if (params.length() != live.length()) {
            throw new IOException("the checkpoint holds " + params.length() + " parameters, the network has "
                    + live.length());
        }
        live.assign(params.castTo(live.dataType()));
        elapsed = in.readDouble();
        optimizer.readPrimal(in);
    }

    /** Nothing: the last epoch is the result (the weights are saved by {@link #saveLast}). */
    @Override
    public void saveBest(int epoch) {
    }

    /** The final parameters, flat, in ND4J's binary format. */
    @Override
    public void saveLast(int epoch) {
        AtomicFiles.write(weightsFile, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                Nd4j.write(classifier.network().flatParameters(), out);
            }
        });
    }
}
