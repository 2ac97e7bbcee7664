package dev.constrained4j.runners.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.losses.method.AugmentedLagrangianConfig;
import dev.constrained4j.runners.fairness.FairnessConfig;
import dev.constrained4j.runners.hidden.HiddenRunConfig;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.weights.WeightsConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration record of the runners through the text of {@code run.json} by the one mapping
 * ({@link RecordJson}): the round trip gives the same record (NaN, infinities, paths, enums, nested records
 * included), and a hand-edited field of the wrong type, a missing one or an unknown one is refused with one line
 * naming it.
 */
class RecordJsonTest {

    static Stream<Record> configurations() {
        MnistConfig mnist = MnistConfig.defaults();
        return Stream.of(mnist, MnistConfig.paper(),
                mnist.withAlm(new AugmentedLagrangianConfig(10, 1.5, 2, 100, Double.NaN, true,
                        Double.POSITIVE_INFINITY)),
                HiddenRunConfig.defaults(), HiddenRunConfig.paper(),
                FairnessConfig.defaults(), WeightsConfig.defaults(), WeightsConfig.paper());
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void roundTripsThroughTheTextOfRunJson(Record config) throws Exception {
        ObjectNode json = (ObjectNode) RunFolder.JSON.readTree(RecordJson.toJson(config).toString());
        assertEquals(config, RecordJson.fromJson(json, config.getClass()));
    }

    record Edit(String field, String json, String message) {
        @Override
        public String toString() {
            return field + " = " + json;
        }
    }

    static Stream<Edit> edits() {
        return Stream.of(
                new Edit("epochs", "\"ten\"", "run.json config field 'epochs' must be an integer"),
                new Edit("epochs", "\"10\"", "run.json config field 'epochs' must be an integer"),
                new Edit("epochs", "2.5", "run.json config field 'epochs' must be an integer"),
                new Edit("epochs", "null", "run.json config field 'epochs' must be an integer"),
                new Edit("epochs", "-3", "run.json has no valid MnistConfig: epochs must be >= 0, got -3"),
                new Edit("learningRate", "\"fast\"", "run.json config field 'learningRate' must be a number"),
                new Edit("seed", "true", "run.json config field 'seed' must be an integer"),
                new Edit("dataDir", "3", "run.json config field 'dataDir' must be a text"),
                new Edit("modes", "[\"FANCY\"]", "run.json config field 'modes[0]' must be one of"),
                new Edit("alm", "{\"rho\": 1}", "run.json config field 'alm."),
                new Edit("epochz", "3", "run.json config has an unknown field 'epochz'"));
    }

    @ParameterizedTest
    @MethodSource("edits")
    void aHandEditedFieldIsRefusedWithItsName(Edit edit) throws Exception {
        ObjectNode json = (ObjectNode) RunFolder.JSON.readTree(RecordJson.toJson(MnistConfig.defaults()).toString());
        json.set(edit.field(), RunFolder.JSON.readTree(edit.json()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordJson.fromJson(json, MnistConfig.class));
        assertTrue(e.getMessage().startsWith(edit.message()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void aMissingFieldIsRefusedWithItsName(Record config) throws Exception {
        ObjectNode json = (ObjectNode) RecordJson.toJson(config);
        String first = json.fieldNames().next();
        json.remove(first);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordJson.fromJson(json, config.getClass()));
        assertTrue(e.getMessage().startsWith("run.json config field '" + first + "' is missing"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void listsOfPathsAndNumbersKeepTheirTypes() {
        HiddenRunConfig c = HiddenRunConfig.defaults();
        ObjectNode json = (ObjectNode) RecordJson.toJson(c);
        json.set("bounds", RunFolder.JSON.createArrayNode().add("thirty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordJson.fromJson(json, HiddenRunConfig.class));
        assertTrue(e.getMessage().startsWith("run.json config field 'bounds[0]' must be a number"), e.getMessage());
        assertEquals(List.of(30.0, 40.0, 50.0).size(), HiddenRunConfig.paper().bounds().size());
    }
}
