package dev.constrained4j.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes fairness run folders in the fairness runner's format: run.json with {@code "kind":
 * "fairness"} hints, and metrics.csv with modes {@code <method>-s<seed>}, the leading columns, the
 * losses, accuracies and positive rates, the max violations, a train and test gap per group, the
 * cumulative training time and the multiplier statistics (empty for adam and penalty).
 *
 * <p>Each mode is given by its values at the last epoch ({@link FinalValues}); earlier epochs move
 * towards them (loss +0.05, accuracy −0.01 and gaps ×(1 + 0.3) per epoch before the last), and the
 * max violation of every row is derived from its gaps, {@code max_g |gap_g| − bound}, as the runner does.
 */
final class FairnessRunFixture {

    static final double BOUND = 0.05;
    static final String LEADING = "mode,phase,epoch,seconds,penalty_weight";
    static final String METRICS = "train_loss,test_loss,train_acc,test_acc,train_objective,train_pr,test_pr,"
            + "train_max_violation,test_max_violation";
    static final String TAIL = "elapsed,dual_mean,dual_max,dual_p50,dual_p90,dual_p99,dual_positive";
    /** Seconds of training per epoch, so that {@code elapsed} at epoch e is {@code SECONDS * (e + 1)}. */
    static final double SECONDS = 1.5;

    static final Map<String, String> LABELS = Map.of("adam", "Adam (no constraint)", "sslalm", "SSL-ALM",
            "ssw", "Switching subgradient", "penalty", "Sequential penalty", "alm", "Augmented Lagrangian");

    /**
     * One mode's values at its last epoch.
     *
     * @param method    the method
     * @param seed      the seed
     * @param testAcc   test accuracy
     * @param trainAcc  train accuracy
     * @param testLoss  test BCE
     * @param trainLoss train BCE
     * @param testGaps  test gap per group, in group order
     * @param trainGaps train gap per group, in group order
     */
    record FinalValues(String method, int seed, double testAcc, double trainAcc, double testLoss, double trainLoss,
                       List<Double> testGaps, List<Double> trainGaps) {

        String mode() {
            return method + "-s" + seed;
        }
    }

    private FairnessRunFixture() {
    }

    /**
     * @param dir     the run folder to create
     * @param runId   the run id
     * @param groups  the group names
     * @param columns their column slugs, as in the metrics header
     * @param hintColumns whether run.json lists the slugs as report.groupColumns (else the report derives them)
     * @param methods the methods of report.methods
     * @param modes   the modes' final values, in run order
     * @param epochs  epochs per mode
     * @return {@code dir}
     */
    static Path fairnessRun(Path dir, String runId, List<String> groups, List<String> columns, boolean hintColumns,
                            List<String> methods, List<FinalValues> modes, int epochs) {
        List<String> slugs = columns;
        StringBuilder csv = new StringBuilder(LEADING).append(',').append(METRICS);
        for (String slug : slugs) {
            csv.append(",train_gap_").append(slug).append(",test_gap_").append(slug);
        }
        csv.append(',').append(TAIL).append('\n');
        for (FinalValues m : modes) {
            boolean multipliers = !m.method().equals("adam") && !m.method().equals("penalty");
            for (int e = 0; e < epochs; e++) {
                int before = epochs - 1 - e;
                double scale = 1 + 0.3 * before;
                List<Double> train = m.trainGaps().stream().map(g -> g * scale).toList();
                List<Double> test = m.testGaps().stream().map(g -> g * scale).toList();
                csv.append(m.mode()).append(',').append(m.method()).append(',').append(e).append(',')
                        .append(fmt(SECONDS + 0.2)).append(',').append(m.method().equals("penalty") ? fmt(1 + e) : "");
                double trainLoss = m.trainLoss() + 0.05 * before;
                csv.append(',').append(fmt(trainLoss)).append(',').append(fmt(m.testLoss() + 0.05 * before))
                        .append(',').append(fmt(m.trainAcc() - 0.01 * before)).append(',')
                        .append(fmt(m.testAcc() - 0.01 * before)).append(',').append(fmt(trainLoss + 0.01))
                        .append(",0.3,0.31,").append(fmt(violation(train))).append(',').append(fmt(violation(test)));
                for (int g = 0; g < slugs.size(); g++) {
                    csv.append(',').append(fmt(train.get(g))).append(',').append(fmt(test.get(g)));
                }
                csv.append(',').append(fmt(SECONDS * (e + 1)));
                csv.append(multipliers ? String.format(Locale.ROOT, ",%s,%s,0,%s,%s,0.5", fmt(0.1 * e), fmt(0.4 * e),
                        fmt(0.2 * e), fmt(0.35 * e)) : ",,,,,,");
                csv.append('\n');
            }
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("metrics.csv"), csv);
            Files.writeString(dir.resolve("run.json"), runJson(runId, groups, hintColumns ? columns : null, methods, modes, epochs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** @return {@code max_g |gap_g| − bound} */
    static double violation(List<Double> gaps) {
        return gaps.stream().mapToDouble(Math::abs).max().orElseThrow() - BOUND;
    }

    /**
     * Plausible final values for every method and seed: adam's gaps beyond the bound, the
     * constrained methods' within it or close.
     *
     * @param methods the methods
     * @param seeds   seeds per method
     * @param groups  the number of groups
     * @param seed    the seed of the values
     * @return the modes, method by method
     */
    static List<FinalValues> generated(List<String> methods, int seeds, int groups, long seed) {
        Random rng = new Random(seed);
        List<FinalValues> out = new ArrayList<>();
        for (String method : methods) {
            double amplitude = method.equals("adam") ? 0.09 : method.equals("penalty") ? 0.055 : 0.04;
            for (int s = 0; s < seeds; s++) {
                List<Double> test = new ArrayList<>();
                List<Double> train = new ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    double sign = g % 2 == 0 ? 1 : -1;
                    double a = amplitude * (0.4 + 0.6 * (g + 1) / groups) * (1 + 0.1 * rng.nextGaussian());
                    train.add(sign * a * 0.9);
                    test.add(sign * a);
                }
                double acc = (method.equals("adam") ? 0.82 : 0.80) + 0.005 * rng.nextGaussian();
                double loss = (method.equals("adam") ? 0.40 : 0.43) + 0.01 * rng.nextGaussian();
                out.add(new FinalValues(method, s, acc, acc + 0.01, loss, loss - 0.02, test, train));
            }
        }
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static String runJson(String runId, List<String> groups, List<String> columns, List<String> methods,
                                  List<FinalValues> modes, int epochs) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode run = json.createObjectNode();
        run.put("runId", runId).put("experiment", "fairness").put("title", "Fairness on CPS wages by region")
                .put("status", "completed").put("startTime", "2026-11-22T09:00:00Z").put("endTime", "2026-11-22T09:20:00Z")
                .put("gitCommit", "227f4cf").put("backend", "CPU (nd4j-native)").put("threads", 2);
        run.putObject("seeds").put("master", 7);
        run.putObject("dataSha256").put("cpssw8.csv", "0f3c2a9b5e");
        run.putObject("versions").put("java", "17.0.15").put("dl4j", "1.0.0-M2.1");
        ObjectNode config = run.putObject("config");
        config.put("bound", BOUND).put("protected", "region").put("epochs", epochs);
        groups.forEach(config.putArray("groups")::add);
        methods.forEach(config.putArray("methods")::add);
        ArrayNode seeds = config.putArray("seeds");
        modes.stream().mapToInt(FinalValues::seed).distinct().forEach(seeds::add);
        run.putArray("deviations").add("Positive rates are mean predicted probabilities, not thresholded decisions.");
        ArrayNode modeList = run.putArray("modes");
        modes.forEach(m -> modeList.add(m.mode()));
        ObjectNode results = run.putObject("results");
        // the fairness runner's own per-mode summary; the report does not read it
        modes.forEach(m -> results.putObject(m.mode()).put("testAcc", m.testAcc()).put("epochs", epochs));
        ObjectNode report = run.putObject("report");
        report.put("kind", "fairness").put("bound", BOUND);
        groups.forEach(report.putArray("groups")::add);
        if (columns != null) {
            columns.forEach(report.putArray("groupColumns")::add);
        }
        methods.forEach(report.putArray("methods")::add);
        ObjectNode labels = report.putObject("methodLabels");
        methods.forEach(m -> labels.put(m, LABELS.getOrDefault(m, m)));
        return run.toPrettyString();
    }
}
