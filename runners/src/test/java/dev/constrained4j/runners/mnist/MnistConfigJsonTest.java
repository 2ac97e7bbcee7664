package dev.constrained4j.runners.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.runners.run.RunFolder;
import org.junit.jupiter.api.Test;

/** The MNIST configuration through run.json: a round trip, and hand-edited fields of the wrong type refused. */
class MnistConfigJsonTest {

    @Test
    void roundTripsThroughTheTextOfRunJson() throws Exception {
        MnistConfig config = MnistConfig.defaults();
        ObjectNode json = (ObjectNode) RunFolder.JSON.readTree(MnistConfigJson.toJson(config).toString());
        assertEquals(config, MnistConfigJson.fromJson(json));
    }

    @Test
    void aFieldOfTheWrongTypeIsRefusedWithItsName() throws Exception {
        for (String[] edit : new String[][]{{"epochs", "\"ten\""}, {"epochs", "2.5"}, {"learningRate", "\"fast\""},
                {"seed", "true"}, {"dataDir", "3"}}) {
            ObjectNode json = (ObjectNode) RunFolder.JSON.readTree(MnistConfigJson.toJson(MnistConfig.defaults())
                    .toString());
            json.set(edit[0], RunFolder.JSON.readTree(edit[1]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MnistConfigJson.fromJson(json), edit[0] + " = " + edit[1]);
            assertEquals(true, e.getMessage().startsWith("run.json config field '" + edit[0] + "' must be"),
                    e.getMessage());
        }
    }
}
