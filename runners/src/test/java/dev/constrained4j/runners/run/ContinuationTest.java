package dev.constrained4j.runners.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** What a continuation writes into a run record: the changed epochs, data folder and thread count, nothing else. */
class ContinuationTest {

    /** A record as the experiments write it: 5 epochs, one thread, data in {@code data/mnist}. */
    private static ObjectNode record() {
        ObjectNode record = RunFolder.JSON.createObjectNode();
        record.putObject("config").put("epochs", 5).put("dataDir", "data/mnist").put("threads", 1);
        return record;
    }

    @Test
    void theRecordedThreadCountIsNoChange() {
        ObjectNode record = record();
        new Continuation(null, null, 1).applyTo(record, "epochs", "dataDir", 3, "--epochs");
        assertFalse(record.has("continued"), record.toString());
        assertEquals(1, record.path("config").path("threads").asInt());
    }

    @Test
    void anotherThreadCountIsRecordedWithTheOtherChanges() {
        ObjectNode record = record();
        new Continuation(8, null, 2).applyTo(record, "epochs", "dataDir", 3, "--epochs");
        JsonNode config = record.path("config");
        assertEquals(2, config.path("threads").asInt());
        assertEquals(8, config.path("epochs").asInt());
        assertEquals("data/mnist", config.path("dataDir").asText());
        JsonNode entry = record.path("continued").get(0);
        assertEquals(1, entry.path("threadsFrom").asInt());
        assertEquals(2, entry.path("threadsTo").asInt());
        assertEquals(5, entry.path("epochsFrom").asInt());
        assertFalse(entry.has("dataDirFrom"), entry.toString());
    }

    @Test
    void noThreadsKeepsTheRecordedOnes() {
        ObjectNode record = record();
        ((ObjectNode) record.get("config")).put("threads", 2);
        new Continuation(6, null, null).applyTo(record, "epochs", "dataDir", 3, "--epochs");
        assertEquals(2, record.path("config").path("threads").asInt());
        assertFalse(record.path("continued").get(0).has("threadsTo"));
    }

    @Test
    void fewerThanOneThreadIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Continuation(null, null, 0));
        assertEquals("--threads must be >= 1, got 0", e.getMessage());
    }
}
