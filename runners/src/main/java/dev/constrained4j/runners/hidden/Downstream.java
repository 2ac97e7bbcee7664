package dev.constrained4j.runners.hidden;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.models.downstream.DownstreamClassifier;
import dev.constrained4j.models.downstream.DownstreamClassifierConfig;
import dev.constrained4j.models.downstream.DownstreamDifference;
import dev.constrained4j.models.downstream.DownstreamResult;
import dev.constrained4j.models.downstream.DownstreamScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream check of a HiDDeN run (the analogue of the paper's DenseNet-121 AUCs: docs/experiments.md,
 * "The HiDDeN experiment"): a classifier trained on the clean training images, tested on the clean test images and then
 * on each model's watermarked test images, one row each in {@link HiddenExperiment#DOWNSTREAM_TABLE}, each watermarked row
 * with its difference to the clean row and a paired bootstrap 95% interval ({@link DownstreamDifference}, seeded by the
 * run's seed). When the images
 * have no single class each (ChestX-ray findings are multi-hot; a flat folder has none), or the check is disabled, the
 * table says so instead.
 */
final class Downstream {

    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);

    private final DownstreamClassifier classifier;
    private final INDArray labels;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final ObjectNode record;
    private final long seed;
    private DownstreamScores clean;

    private Downstream(DownstreamClassifier classifier, INDArray labels, List<String> classes, ObjectNode record,
                       long seed) {
        this.classifier = classifier;
        this.labels = labels;
        this.record = record;
        this.seed = seed;
        this.header = new ArrayList<>(List.of("images", "checkpoint", "accuracy", "macro_auc", "d_accuracy",
                "d_accuracy_lo95", "d_accuracy_hi95", "d_macro_auc", "d_macro_auc_lo95", "d_macro_auc_hi95"));
        if (classes != null) {
            classes.forEach(c -> header.add("auc_" + c));
        }
    }

    /** Trains the classifier on the clean training images and evaluates it on the clean test images. */
    static Downstream train(HiddenRunConfig config, HiddenData data, ObjectNode record) {
        if (config.downstreamEpochs() == 0 || !data.hasSingleClassLabels()) {
            String why = config.downstreamEpochs() == 0 ? "disabled (--downstream-epochs 0)"
                    : "skipped: the images have no single class each (" + data.kind() + ")";
            record.put("status", why);
            Downstream skipped = new Downstream(null, null, null, record, config.seed());
            skipped.header.clear();
            skipped.header.addAll(List.of("images", "note"));
            skipped.rows.add(List.of("all", why));
            return skipped;
        }
        List<String> classes = data.labelledTrain().labelNames();
        DownstreamClassifierConfig dc = DownstreamClassifierConfig.defaults(config.imageSize(), classes.size())
                .withEpochs(config.downstreamEpochs());
        DownstreamClassifier classifier = DownstreamClassifier.create(dc);
        long start = System.nanoTime();
        classifier.fit(data.labelledTrain().features(), data.labelledTrain().labels());
        LOG.info("downstream classifier: {} epochs on {} clean training images ({} s)", dc.epochs(),
                data.labelledTrain().size(), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        record.put("status", "completed");
        record.put("classes", String.join(" ", classes));
        record.put("epochs", dc.epochs());
        record.put("trainImages", data.labelledTrain().size());
        record.put("seed", dc.seed());
        record.put("bootstrap", DownstreamDifference.DEFAULT_RESAMPLES + " paired resamples of the test images, seed "
                + config.seed() + "; d_* = watermarked minus clean, lo95/hi95 its 2.5th/97.5th percentiles");
        Downstream d = new Downstream(classifier, data.test().labels(), classes, record, config.seed());
        d.evaluate("clean", "", data.test().features());
        return d;
    }

    /**
     * Adds the classifier's scores on one set of test images (a no-op when the check is skipped); the first call
     * is the clean images, every later one is compared with it.
     */
    void evaluate(String images, String checkpoint, INDArray testImages) {
        if (classifier == null) {
            return;
        }
        DownstreamScores scores = classifier.scores(testImages, labels);
        DownstreamResult result = scores.result();
        DownstreamDifference d = clean == null ? null
                : DownstreamDifference.bootstrap(clean, scores, DownstreamDifference.DEFAULT_RESAMPLES, seed);
        if (clean == null) {
            clean = scores;
        }
        List<String> row = new ArrayList<>(List.of(images, checkpoint, HiddenOutputs.cell(result.accuracy()),
                HiddenOutputs.cell(result.macroAuc())));
        for (double v : d == null ? new double[6] : new double[] {d.accuracy(), d.accuracyLow(), d.accuracyHigh(),
                d.macroAuc(), d.macroAucLow(), d.macroAucHigh()}) {
            row.add(d == null ? "" : HiddenOutputs.cell(v));
        }
        for (double auc : result.auc()) {
            row.add(HiddenOutputs.cell(auc));
        }
        rows.add(row);
        ObjectNode r = record.putObject(checkpoint.isEmpty() ? images : images + "-" + checkpoint);
        r.put("accuracy", result.accuracy());
        r.put("macroAuc", result.macroAuc());
        if (d != null) {
            r.putArray("accuracyDifference").add(d.accuracy()).add(d.accuracyLow()).add(d.accuracyHigh());
            r.putArray("macroAucDifference").add(d.macroAuc()).add(d.macroAucLow()).add(d.macroAucHigh());
        }
        LOG.info("downstream on {} {}: accuracy {}, macro AUC {}{}", images, checkpoint,
                HiddenOutputs.cell(result.accuracy()), HiddenOutputs.cell(result.macroAuc()), d == null ? ""
                        : String.format(Locale.ROOT, " (against clean: accuracy %+.3f [%+.3f, %+.3f], macro AUC %+.3f"
                                + " [%+.3f, %+.3f])", d.accuracy(), d.accuracyLow(), d.accuracyHigh(), d.macroAuc(),
                                d.macroAucLow(), d.macroAucHigh()));
    }

    /** Writes the table. */
    void write(HiddenOutputs outputs) {
        outputs.table(HiddenExperiment.DOWNSTREAM_TABLE, header, rows);
    }
}
