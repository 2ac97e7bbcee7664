package dev.constrained4j.runners.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.reports.run.RunFiles.Key;
import dev.constrained4j.runners.engine.NativeThreads;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What continuing a run may change in its recorded configuration, as the reference's {@code continue} does: train
 * every stage on to more epochs ({@code -e N}), and read the data from the folder they were moved to
 * ({@code -d DIR}; the experiment checks the files against the checksums in {@code run.json}), and run ND4J with
 * another number of threads ({@code --threads N}). Everything else stays as recorded, so the epochs a continuation
 * trains are those an uninterrupted run of N epochs would train. Threads are the one exception, and a warning says
 * so: ND4J's native operations may round differently with another thread count (measured for a HiDDeN baseline at
 * the cpu preset's size: validation BER 0.377 with one thread, 0.368 with two, after 6 epochs), so a run continued
 * with other threads is close to, not equal to, the uninterrupted one. Without {@code --threads} the recorded count is
 * used.
 *
 * @param epochs  the new number of epochs per stage, or null to keep the recorded one
 * @param dataDir the data's new folder, or null to keep the recorded one
 * @param threads ND4J's threads for the rest of the run, or null to keep the recorded number
 */
public record Continuation(Integer epochs, Path dataDir, Integer threads) {

    /** A plain resume: nothing changed. */
    public static final Continuation NONE = new Continuation(null, null, null);

    /** The key of the thread count in a record's {@code config}. */
    public static final String THREADS = "threads";

    private static final Logger LOG = LoggerFactory.getLogger(Continuation.class);

    public Continuation {
        if (epochs != null && epochs < 0) {
            throw new IllegalArgumentException("the number of epochs to continue to must be >= 0, got " + epochs);
        }
        if (threads != null) {
            NativeThreads.requireValid(threads);
        }
    }

    /**
     * Writes the changes into the record's {@code config} and appends them, with the time, to its {@code continued}
     * list; the caller writes the record. Refuses fewer epochs than a stage has already committed: epochs are
     * never undone. A thread count equal to the recorded one is no change; another one is recorded and warned
     * about.
     *
     * @param record     the reopened run record
     * @param epochsKey  the key of the per-stage epochs in {@code config}
     * @param dataDirKey the key of the data folder in {@code config}
     * @param completed  the most epochs any stage of the run has committed
     * @param option     the option that sets the epochs, for the message
     */
    public void applyTo(ObjectNode record, String epochsKey, String dataDirKey, int completed, String option) {
        if (epochs == null && dataDir == null && threads == null
                || !(record.path(Key.CONFIG) instanceof ObjectNode config)) {
            return; // nothing to change, or no configuration: reading it will say what is wrong
        }
        int recordedThreads = config.path(THREADS).asInt(1);
        boolean otherThreads = threads != null && threads != recordedThreads;
        if (epochs == null && dataDir == null && !otherThreads) {
            return;
        }
        ObjectNode entry = RunFolder.JSON.createObjectNode();
        entry.put("at", OffsetDateTime.now().toString());
        if (epochs != null) {
            if (epochs < completed) {
                throw new IllegalArgumentException(option + " " + epochs + " is fewer than the " + completed
                        + " epochs the run has completed; give " + option + " " + completed + " or more");
            }
            entry.put("epochsFrom", config.path(epochsKey).asInt());
            entry.put("epochsTo", epochs);
            config.put(epochsKey, epochs);
        }
        if (dataDir != null) {
            entry.put("dataDirFrom", config.path(dataDirKey).asText());
            entry.put("dataDirTo", dataDir.toString());
            config.put(dataDirKey, dataDir.toString());
        }
        if (otherThreads) {
            LOG.warn("--threads {} differs from the {} this run was trained with: ND4J may round differently with"
                    + " another thread count, so the remaining epochs will be close to, not equal to, an uninterrupted run's;"
                    + " leave out --threads to keep {}", threads, recordedThreads, recordedThreads);
            entry.put("threadsFrom", recordedThreads);
            entry.put("threadsTo", threads);
            config.put(THREADS, threads);
        }
        ArrayNode continued = record.has(Key.CONTINUED) ? (ArrayNode) record.get(Key.CONTINUED)
                : record.putArray(Key.CONTINUED);
        continued.add(entry);
    }

    /** The most epochs committed by any of the record's stages ({@code modes}) in the folder. */
    public static int completedEpochs(RunFolder folder, ObjectNode record) {
        int most = 0;
        for (var mode : record.path(Key.MODES)) {
            most = Math.max(most, folder.progress(mode.asText()).completedEpochs());
        }
        return most;
    }
}
