package dev.constrained4j.reports.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.reports.ReportException;

import dev.constrained4j.reports.run.RunFiles.Key;
import dev.constrained4j.reports.run.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record of one run, read from {@code RUN/run.json}: identity, provenance (commit, seeds, data
 * hashes, versions), configuration, deviations from the reference, the modes in run order, the
 * epoch selected per mode and the report hints.
 *
 * <p>Only {@code runId} and {@code modes} are required; every other key may be absent or
 * {@code null} and is then shown as empty. Configuration values keep their JSON text for
 * arrays and objects.
 *
 * @param dir         the run folder
 * @param runId       the run's identifier
 * @param experiment  {@code mnist}, {@code hidden}, …
 * @param title       a human title (the run id when absent)
 * @param status      {@code running}, {@code completed} or {@code failed}
 * @param startTime   ISO-8601 start time, or empty
 * @param endTime     ISO-8601 end time, or empty (e.g. while running)
 * @param gitCommit   the commit the run was built from, or empty
 * @param backend     the ND4J backend, or empty
 * @param threads     the thread count as text, or empty
 * @param seeds       seed name → value
 * @param dataSha256  data file name → SHA-256
 * @param versions    library name → version
 * @param config      option → value as display text
 * @param deviations  where the project deviates from the reference
 * @param modes       the modes in run order
 * @param results     mode → selected epoch (empty for a fairness or weights report, which uses each mode's last epoch)
 * @param hints       the {@code report} hints
 */
public record RunRecord(Path dir, String runId, String experiment, String title, String status,
                        String startTime, String endTime, String gitCommit, String backend, String threads,
                        Map<String, String> seeds, Map<String, String> dataSha256, Map<String, String> versions,
                        Map<String, String> config, List<String> deviations, List<String> modes,
                        Map<String, ModeResult> results, ReportHints hints) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies every collection, keeping insertion order. */
    public RunRecord {
        seeds = unmodifiable(seeds);
        dataSha256 = unmodifiable(dataSha256);
        versions = unmodifiable(versions);
        config = unmodifiable(config);
        deviations = List.copyOf(deviations);
        modes = List.copyOf(modes);
        results = unmodifiable(results);
    }

    private static <V> Map<String, V> unmodifiable(Map<String, V> map) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * Reads {@code runDir/run.json}.
     *
     * @param runDir the run folder
     * @return the record
     * @throws ReportException if the file is missing, is not valid JSON, lacks {@code runId} or
     *                         {@code modes}, or has a key of the wrong type; the message names the
     *                         file and the key
     */
    public static RunRecord read(Path runDir) {
        Path file = runDir.resolve(RunFiles.RUN_JSON);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ReportException(file + ": file not found", e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new ReportException(file + ": malformed JSON" + where + " (" + e.getOriginalMessage()
                    .lines().findFirst().orElse("") + ")", e);
        } catch (IOException e) {
            throw new ReportException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ReportException(file + ": expected a JSON object at the top level");
        }
        Reader r = new Reader(file);
        String runId = r.requiredText(root, Key.RUN_ID);
        List<String> modes = r.textList(root, Key.MODES, true);
        ReportHints hints = r.hints(r.object(root, Key.REPORT));
        Map<String, ModeResult> results = new LinkedHashMap<>();
        // A fairness or weights report aggregates every mode at its last epoch from metrics.csv; the
        // runner's per-mode results are its own and are not read.
        JsonNode resultsNode = hints.aggregated() ? null : r.object(root, Key.RESULTS);
        if (resultsNode != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = resultsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = "results." + e.getKey();
                if (!e.getValue().isObject()) {
                    throw new ReportException(file + ": '" + key + "' must be an object");
                }
                results.put(e.getKey(), new ModeResult(
                        r.integer(e.getValue(), key, Key.BEST_EPOCH),
                        r.optionalText(e.getValue(), Key.SELECTED_BY),
                        r.integer(e.getValue(), key, Key.LAST_EPOCH)));
            }
        }
        String title = r.optionalText(root, Key.TITLE);
        return new RunRecord(runDir, runId,
                r.optionalText(root, Key.EXPERIMENT),
                title.isEmpty() ? runId : title,
                r.optionalText(root, Key.STATUS),
                r.optionalText(root, Key.START_TIME),
                r.optionalText(root, Key.END_TIME),
                r.optionalText(root, Key.GIT_COMMIT),
                r.optionalText(root, Key.BACKEND),
                r.optionalText(root, Key.THREADS),
                r.textMap(root, Key.SEEDS),
                r.textMap(root, Key.DATA_SHA256),
                r.textMap(root, Key.VERSIONS),
                r.textMap(root, Key.CONFIG),
                r.textList(root, Key.DEVIATIONS, false),
                modes, results, hints);
    }

    /** Reads typed values out of run.json with messages that name the file and the key. */
    private record Reader(Path file) {

        ReportException bad(String key, String expected) {
            return invalid(key, "must be " + expected);
        }

        ReportException invalid(String key, String problem) {
            return new ReportException(file + ": '" + key + "' " + problem);
        }

        String requiredText(JsonNode node, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw new ReportException(file + ": missing required key '" + key + "'");
            }
            if (!v.isValueNode() || v.asText().isBlank()) {
                throw bad(key, "a non-empty string");
            }
            return v.asText();
        }

        String optionalText(JsonNode node, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return "";
            }
            return v.isValueNode() ? v.asText() : v.toString();
        }

        int integer(JsonNode node, String path, String key) {
            JsonNode v = node.get(key);
            if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
                throw bad(path + "." + key, "an integer");
            }
            return v.intValue();
        }

        Double optionalNumber(JsonNode node, String path, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isNumber()) {
                throw bad(path + "." + key, "a number");
            }
            return v.doubleValue();
        }

        double number(JsonNode node, String path, String key) {
            Double v = optionalNumber(node, path, key);
            if (v == null) {
                throw new ReportException(file + ": missing required key '" + path + "." + key + "'");
            }
            return v;
        }

        JsonNode object(JsonNode node, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isObject()) {
                throw bad(key, "an object");
            }
            return v;
        }

        List<String> textList(JsonNode node, String key, boolean required) {
            return textList(node, "", key, required);
        }

        /** @param path where {@code node} is, for messages ({@code report}), or empty for the top level */
        List<String> textList(JsonNode node, String path, String key, boolean required) {
            String name = path.isEmpty() ? key : path + "." + key;
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                if (required) {
                    throw new ReportException(file + ": missing required key '" + name + "'");
                }
                return List.of();
            }
            if (!v.isArray()) {
                throw bad(name, "an array of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw bad(name, "an array of strings");
                }
                out.add(item.asText());
            }
            return out;
        }

        Map<String, String> textMap(JsonNode node, String key) {
            JsonNode v = object(node, key);
            Map<String, String> out = new LinkedHashMap<>();
            if (v != null) {
                v.fields().forEachRemaining(e -> out.put(e.getKey(),
                        e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            }
            return out;
        }

        /** {@code boundSense}: absent or {@code max} (c_i ≤ B), {@code min} (a floor, value ≥ B). */
        boolean atLeast(JsonNode hint, String path) {
            String sense = optionalText(hint, "boundSense");
            if (!sense.isEmpty() && !sense.equals("max") && !sense.equals("min")) {
                throw bad(path + ".boundSense", "\"min\" or \"max\"");
            }
            return sense.equals("min");
        }

        ReportHints hints(JsonNode report) {
            if (report == null) {
                return ReportHints.none();
            }
            ReportHints.Constraint constraint = null;
            JsonNode c = object(report, "constraint");
            if (c != null) {
                constraint = new ReportHints.Constraint(requiredText(c, "column"),
                        optionalNumber(c, "report.constraint", "bound"), optionalText(c, "satisfiedColumn"));
            }
            List<ReportHints.HistogramHint> histograms = new ArrayList<>();
            for (JsonNode h : array(report, "report.histograms", "histograms")) {
                String p = "report.histograms[" + histograms.size() + "]";
                histograms.add(new ReportHints.HistogramHint(requiredText(h, "file"), requiredText(h, "column"),
                        binning(h, p), optionalNumber(h, p, "bound"), atLeast(h, p), optionalText(h, "mode"),
                        optionalText(h, "split"), optionalText(h, "title")));
            }
            List<ReportHints.BoxplotHint> boxplots = new ArrayList<>();
            for (JsonNode b : array(report, "report.boxplots", "boxplots")) {
                boxplots.add(new ReportHints.BoxplotHint(requiredText(b, "file"), requiredText(b, "column"),
                        optionalText(b, "mode"), optionalText(b, "split"), optionalText(b, "title")));
            }
            List<ReportHints.ScatterHint> scatters = new ArrayList<>();
            for (JsonNode t : array(report, "report.scatters", "scatters")) {
                scatters.add(new ReportHints.ScatterHint(requiredText(t, "file"), requiredText(t, "x"),
                        requiredText(t, "y"), requiredText(t, "series"), requiredText(t, "note"),
                        optionalText(t, "xLabel"), optionalText(t, "yLabel"), requiredText(t, "title"),
                        optionalText(t, "caption")));
            }
            List<ReportHints.ImageHint> images = new ArrayList<>();
            for (JsonNode i : array(report, "report.images", "images")) {
                images.add(new ReportHints.ImageHint(requiredText(i, "file"), optionalText(i, "caption")));
            }
            List<ReportHints.TableHint> tables = new ArrayList<>();
            for (JsonNode t : array(report, "report.tables", "tables")) {
                tables.add(new ReportHints.TableHint(requiredText(t, "file"), optionalText(t, "title")));
            }
            Set<String> logScale = new LinkedHashSet<>(textList(report, "logScale", false));
            String kind = optionalText(report, "kind");
            ReportHints.Fairness fairness = ReportHints.FAIRNESS.equals(kind) ? fairness(report) : null;
            ReportHints.Weights weights = ReportHints.WEIGHTS.equals(kind) ? weights(report) : null;
            return new ReportHints(textList(report, "splits", false), constraint, histograms, boxplots, scatters,
                    images, tables, textMap(report, "metricTitles"), logScale, kind, fairness, weights);
        }

        /**
         * The keys of a {@code "kind": "weights"} report: the datasets, constraint sets and methods
         * (each a non-empty list without repeats), what every mode trains (each of its three names
         * one of those lists'), and the optional published table.
         */
        ReportHints.Weights weights(JsonNode report) {
            List<String> datasets = nonEmpty(report, "datasets");
            List<String> constraintSets = nonEmpty(report, "constraintSets");
            List<String> methods = nonEmpty(report, "methods");
            JsonNode modesNode = object(report, "report.modes", "modes");
            if (modesNode == null) {
                throw new ReportException(file + ": missing required key 'report.modes'");
            }
            Map<String, ReportHints.WeightsMode> modes = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = modesNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = "report.modes." + e.getKey();
                if (!e.getValue().isObject()) {
                    throw bad(key, "an object");
                }
                JsonNode m = e.getValue();
                modes.put(e.getKey(), new ReportHints.WeightsMode(
                        oneOf(m, key, "dataset", datasets, "report.datasets"),
                        oneOf(m, key, "constraintSet", constraintSets, "report.constraintSets"),
                        oneOf(m, key, "method", methods, "report.methods"),
                        m.hasNonNull("setting") ? integer(m, key, "setting") : 0,
                        optionalText(m, "settingLabel"),
                        m.hasNonNull("seed") ? integer(m, key, "seed") : 0));
            }
            List<ReportHints.PaperRow> paper = new ArrayList<>();
            for (JsonNode p : array(report, "report.paperTable", "paperTable")) {
                String key = "report.paperTable[" + paper.size() + "]";
                paper.add(new ReportHints.PaperRow(optionalText(p, "model"),
                        requiredText(p, key, "dataset"), requiredText(p, key, "constraintSet"),
                        requiredText(p, key, "method"), optionalText(p, "cvRelative"), optionalText(p, "cv2"),
                        optionalText(p, "accuracy")));
            }
            return new ReportHints.Weights(datasets, textMap(report, "datasetLabels"), constraintSets,
                    textMap(report, "constraintSetLabels"), methods, textMap(report, "methodLabels"),
                    optionalText(report, "model"), modes, paper);
        }

        /** @return {@code report.<key>}: a non-empty array of distinct strings */
        List<String> nonEmpty(JsonNode report, String key) {
            List<String> values = textList(report, "report", key, true);
            if (values.isEmpty()) {
                throw bad("report." + key, "a non-empty array of strings");
            }
            distinct("report." + key, values);
            return values;
        }

        /** @return {@code node.key}, a string that must be one of {@code allowed} (the list at {@code listKey}) */
        String oneOf(JsonNode node, String path, String key, List<String> allowed, String listKey) {
            String value = requiredText(node, path, key);
            if (!allowed.contains(value)) {
                throw invalid(path + "." + key, "is '" + value + "', not one of " + listKey + " " + allowed);
            }
            return value;
        }

        /** {@link #requiredText(JsonNode, String)} naming the key by its full path. */
        String requiredText(JsonNode node, String path, String key) {
            String name = path + "." + key;
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw new ReportException(file + ": missing required key '" + name + "'");
            }
            if (!v.isValueNode() || v.asText().isBlank()) {
                throw bad(name, "a non-empty string");
            }
            return v.asText();
        }

        /** {@link #object(JsonNode, String)} naming the key by its full path. */
        JsonNode object(JsonNode node, String name, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isObject()) {
                throw bad(name, "an object");
            }
            return v;
        }

        /** The keys of a {@code "kind": "fairness"} report; the group columns default to the groups' slugs. */
        ReportHints.Fairness fairness(JsonNode report) {
            double bound = number(report, "report", "bound");
            if (!(bound > 0) || Double.isInfinite(bound)) {
                throw bad("report.bound", "a finite number > 0, not " + bound);
            }
            List<String> groups = textList(report, "report", "groups", true);
            List<String> methods = textList(report, "report", "methods", true);
            if (groups.isEmpty()) {
                throw bad("report.groups", "a non-empty array of strings");
            }
            if (methods.isEmpty()) {
                throw bad("report.methods", "a non-empty array of strings");
            }
            List<String> columns = report.hasNonNull("groupColumns")
                    ? textList(report, "report", "groupColumns", true)
                    : groups.stream().map(ReportHints.Fairness::slug).toList();
            if (columns.size() != groups.size()) {
                throw invalid("report.groupColumns", "has " + columns.size() + " entries, 'report.groups' has "
                        + groups.size());
            }
            distinct("report.groups", groups);
            distinct("report.groupColumns", columns);
            distinct("report.methods", methods);
            return new ReportHints.Fairness(bound, groups, columns, methods, textMap(report, "methodLabels"));
        }

        void distinct(String key, List<String> values) {
            if (values.stream().distinct().count() < values.size()) {
                throw invalid(key, "repeats an entry: " + values);
            }
        }

        /** Either {@code bins} alone (range from the data) or {@code binWidth, min, max} (a fixed range). */
        ReportHints.Binning binning(JsonNode h, String p) {
            if (h.has("bins")) {
                for (String fixed : List.of("binWidth", "min", "max")) {
                    if (h.has(fixed)) {
                        throw invalid(p, "must have either 'bins' or 'binWidth', 'min' and 'max', not both ('"
                                + fixed + "' given with 'bins')");
                    }
                }
                int bins = integer(h, p, "bins");
                if (bins < 1 || bins > 100_000) {
                    throw bad(p + ".bins", "an integer from 1 to 100000, not " + bins);
                }
                return new ReportHints.DataRange(bins);
            }
            if (!h.has("binWidth") && !h.has("min") && !h.has("max")) {
                throw invalid(p, "must have 'bins', or 'binWidth', 'min' and 'max'");
            }
            double binWidth = number(h, p, "binWidth");
            double min = number(h, p, "min");
            double max = number(h, p, "max");
            if (!(binWidth > 0) || !(max > min)) {
                throw invalid(p, "must have binWidth > 0 and max > min");
            }
            return new ReportHints.FixedRange(binWidth, min, max);
        }

        Iterable<JsonNode> array(JsonNode node, String path, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw bad(path, "an array");
            }
            for (JsonNode item : v) {
                if (!item.isObject()) {
                    throw bad(path, "an array of objects");
                }
            }
            return v;
        }
    }
}
