package dev.constrained4j.runners.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.reports.run.RunFiles.Key;
import java.nio.file.Path;
import java.time.OffsetDateTime;

/**
 * What continuing a run may change in its recorded configuration, as the reference's {@code continue} does: train
 * every stage on to more epochs ({@code -e N}), and read the data from the folder they were moved to
 * ({@code -d DIR}; the experiment checks the files against the checksums in {@code run.json}). Everything else
 * stays as recorded, so the epochs a continuation trains are those an uninterrupted run of N epochs would train.
 *
 * @param epochs  the new number of epochs per stage, or null to keep the recorded one
 * @param dataDir the data's new folder, or null to keep the recorded one
 */
public record Continuation(Integer epochs, Path dataDir) {

    /** A plain resume: nothing changed. */
    public static final Continuation NONE = new Continuation(null, null);

    public Continuation {
        if (epochs != null && epochs < 0) {
            throw new IllegalArgumentException("the number of epochs to continue to must be >= 0, got " + epochs);
        }
    }

    /**
     * Writes the changes into the record's {@code config} and appends them, with the time, to its {@code continued}
     * list; the caller writes the record. Refuses fewer epochs than a stage has already committed: epochs are
     * never undone.
     *
     * @param record     the reopened run record
     * @param epochsKey  the key of the per-stage epochs in {@code config}
     * @param dataDirKey the key of the data folder in {@code config}
     * @param completed  the most epochs any stage of the run has committed
     * @param option     the option that sets the epochs, for the message
     */
    public void applyTo(ObjectNode record, String epochsKey, String dataDirKey, int completed, String option) {
        if (epochs == null && dataDir == null) {
            return;
        }
        ObjectNode config = (ObjectNode) record.path(Key.CONFIG);
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
