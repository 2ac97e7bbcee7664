package dev.constrained4j.runners.ui;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.constrained4j.reports.run.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-epoch constrained quantities published to the live page ({@code /constrained/data}): one record
 * per {@code (mode, epoch)} with whatever values came (τ or λ, mean violation, fraction satisfied, loss,
 * accuracy). Thread-safe: training publishes while the server reads.
 * <p>
 * JSON form: {@code {"records":[{"mode":"train","epoch":1,"values":{"tau":0.5,...}},...]}}; non-finite values
 * are written as {@code null}, since JSON has no NaN.
 */
final class ConstrainedSeries {

    /** One epoch's values of one mode. */
    record Epoch(String mode, int epoch, Map<String, Double> values) {
        Epoch {
            if (mode == null || mode.isBlank()) {
                throw new IllegalArgumentException("mode must be non-blank, got '" + mode + "'");
            }
            if (epoch < 0) {
                throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
            }
            values = finiteOrNull(values);
        }
    }

    record Document(List<Epoch> records) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Epoch> records = new ArrayList<>();

    private static Map<String, Double> finiteOrNull(Map<String, Double> values) {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key == null) {
                throw new IllegalArgumentException("value names must not be null, got " + values);
            }
            copy.put(key, value == null || !Double.isFinite(value) ? null : value);
        });
        return Collections.unmodifiableMap(copy);
    }

    synchronized void add(Epoch epoch) {
        records.add(epoch);
    }

    synchronized List<Epoch> records() {
        return List.copyOf(records);
    }

    /** The JSON form. */
    String toJson() {
        try {
            return JSON.writeValueAsString(new Document(records()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the JSON form to {@code file}, replacing it atomically where the file system allows. */
    void save(Path file) {
        AtomicFiles.writeString(file, toJson());
    }

    /** Reads a file written by {@link #save}. */
    static ConstrainedSeries load(Path file) throws IOException {
        Document doc = JSON.readValue(file.toFile(), new TypeReference<Document>() { });
        ConstrainedSeries series = new ConstrainedSeries();
        if (doc.records() != null) {
            doc.records().forEach(series::add);
        }
        return series;
    }
}
