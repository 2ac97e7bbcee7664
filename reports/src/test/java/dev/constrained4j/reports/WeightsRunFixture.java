package dev.constrained4j.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes weights run folders in the weights runner's format: run.json with {@code "kind":
 * "weights"} hints (datasets, constraint sets, methods, what each mode trains, the published rows),
 * and metrics.csv with the leading columns, the losses and accuracies, the CV metrics, the elapsed
 * training time and one column the report does not know ({@code dual_norm}).
 *
 * <p>Each mode is given by its values at the last epoch ({@link FinalValues}); at earlier epochs the
 * CV metrics are ×(1 + 0.5) per epoch before the last and the accuracy −0.1, and {@code elapsed}
 * at epoch e is {@code secondsPerEpoch × (e + 1)}.
 */
final class WeightsRunFixture {

    static final String HEADER = "mode,phase,epoch,seconds,penalty_weight,train_loss,train_acc,test_loss,test_acc,"
            + "train_objective,cv_1,cv_2,cv_inf,cv_rel,elapsed,dual_norm";
    static final List<String> DATASETS = List.of("mnist", "fashion-mnist");
    static final Map<String, String> DATASET_LABELS = Map.of("mnist", "MNIST", "fashion-mnist", "Fashion-MNIST");
    static final List<String> CONSTRAINT_SETS = List.of("l2-orth", "l1-orth");
    static final Map<String, String> CONSTRAINT_SET_LABELS = Map.of("l2-orth", "L2; orthogonality",
            "l1-orth", "L1; orthogonality");
    static final Map<String, String> METHOD_LABELS = Map.of("fp", "FP", "sal", "SAL", "sadmm", "S-ADMM");

    /**
     * One mode's values at its last epoch.
     *
     * @param dataset         the dataset
     * @param constraintSet   the constraint set
     * @param method          the method
     * @param setting         the hyper-parameter setting's index
     * @param seed            the seed
     * @param cvRel           CV(−1)
     * @param cv2             CV_{p=2}
     * @param testAcc         test accuracy
     * @param secondsPerEpoch training seconds per epoch
     */
    record FinalValues(String dataset, String constraintSet, String method, int setting, int seed, double cvRel,
                       double cv2, double testAcc, double secondsPerEpoch) {

        String mode() {
            return dataset + "-" + constraintSet + "-" + method + "-h" + setting + "-s" + seed;
        }
    }

    /**
     * A published row.
     *
     * @param model         the model
     * @param dataset       the dataset
     * @param constraintSet the constraint set
     * @param method        the method
     * @param figures       CV(−1), CV_{p=2} and accuracy as printed
     */
    record Published(String model, String dataset, String constraintSet, String method, List<String> figures) {
    }

    private WeightsRunFixture() {
    }

    /**
     * @param dir     the run folder to create
     * @param runId   the run id
     * @param methods the methods of report.methods
     * @param modes   the modes' final values, in run order
     * @param paper   the published rows of report.paperTable
     * @param epochs  epochs per mode
     * @return {@code dir}
     */
    static Path weightsRun(Path dir, String runId, List<String> methods, List<FinalValues> modes,
                           List<Published> paper, int epochs) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (FinalValues m : modes) {
            for (int e = 0; e < epochs; e++) {
                int before = epochs - 1 - e;
                double scale = 1 + 0.5 * before;
                double acc = m.testAcc() - 0.1 * before;
                csv.append(String.join(",", m.mode(), m.method(), Integer.toString(e), fmt(m.secondsPerEpoch() + 0.1),
                        m.method().equals("fp") ? "1" : "", fmt(0.5), fmt(acc + 0.01), fmt(0.6), fmt(acc),
                        fmt(0.5 + m.cv2()), fmt(2 * m.cv2() * scale), fmt(m.cv2() * scale), fmt(0.5 * m.cv2() * scale),
                        fmt(m.cvRel() * scale), fmt(m.secondsPerEpoch() * (e + 1)), fmt(0.01 * e))).append('\n');
            }
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("metrics.csv"), csv);
            Files.writeString(dir.resolve("run.json"), runJson(runId, methods, modes, paper, epochs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static String runJson(String runId, List<String> methods, List<FinalValues> modes, List<Published> paper,
                                  int epochs) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode run = json.createObjectNode();
        run.put("runId", runId).put("experiment", "weights").put("title", "Weight constraints (seed 002, Table 1)")
                .put("status", "completed").put("startTime", "2026-11-23T09:00:00Z").put("endTime", "2026-11-23T11:00:00Z")
                .put("gitCommit", "fc30fb5").put("backend", "CPU (nd4j-native)").put("threads", 2);
        run.putObject("seeds").put("master", 2);
        run.putObject("dataSha256").put("train-images-idx3-ubyte", "9a3c1e77d0");
        run.putObject("versions").put("java", "17.0.15").put("dl4j", "1.0.0-M2.1");
        ObjectNode config = run.putObject("config");
        config.put("epochs", epochs).put("batchSize", 128);
        methods.forEach(config.putArray("methods")::add);
        run.putArray("deviations").add("Orthogonality is measured on the flattened convolution kernels.");
        ArrayNode modeList = run.putArray("modes");
        modes.forEach(m -> modeList.add(m.mode()));
        ObjectNode report = run.putObject("report");
        report.put("kind", "weights").put("model", "CNN");
        List<String> datasets = DATASETS.stream().filter(d -> modes.stream().anyMatch(m -> m.dataset().equals(d))).toList();
        List<String> sets = CONSTRAINT_SETS.stream().filter(c -> modes.stream().anyMatch(m -> m.constraintSet().equals(c)))
                .toList();
        datasets.forEach(report.putArray("datasets")::add);
        ObjectNode datasetLabels = report.putObject("datasetLabels");
        datasets.forEach(d -> datasetLabels.put(d, DATASET_LABELS.get(d)));
        sets.forEach(report.putArray("constraintSets")::add);
        ObjectNode setLabels = report.putObject("constraintSetLabels");
        sets.forEach(c -> setLabels.put(c, CONSTRAINT_SET_LABELS.get(c)));
        methods.forEach(report.putArray("methods")::add);
        ObjectNode methodLabels = report.putObject("methodLabels");
        methods.forEach(m -> methodLabels.put(m, METHOD_LABELS.getOrDefault(m, m)));
        ObjectNode modeHints = report.putObject("modes");
        for (FinalValues m : modes) {
            modeHints.putObject(m.mode()).put("dataset", m.dataset()).put("constraintSet", m.constraintSet())
                    .put("method", m.method()).put("setting", m.setting())
                    .put("settingLabel", "μ_init = 1e-" + (3 + m.setting())).put("seed", m.seed());
        }
        ArrayNode table = report.putArray("paperTable");
        for (Published p : paper) {
            table.addObject().put("model", p.model()).put("dataset", p.dataset()).put("constraintSet", p.constraintSet())
                    .put("method", p.method()).put("cvRelative", p.figures().get(0)).put("cv2", p.figures().get(1))
                    .put("accuracy", p.figures().get(2));
        }
        return run.toPrettyString();
    }
}
