package dev.constrained4j.runners.mnist;

import static dev.constrained4j.runners.run.JsonFields.integer;
import static dev.constrained4j.runners.run.JsonFields.longInteger;
import static dev.constrained4j.runners.run.JsonFields.number;
import static dev.constrained4j.runners.run.JsonFields.required;
import static dev.constrained4j.runners.run.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.runners.run.MethodConfigJson;
import dev.constrained4j.runners.run.RunFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link MnistConfig} to and from the {@code config} object of {@code run.json}. */
public final class MnistConfigJson {

    private MnistConfigJson() {
    }

    public static ObjectNode toJson(MnistConfig c) {
        ObjectNode o = RunFolder.JSON.createObjectNode();
        var modes = o.putArray("modes");
        c.modes().forEach(m -> modes.add(m.key()));
        o.put("dataDir", c.dataDir().toString());
        o.put("outDir", c.outDir().toString());
        o.put("warmModelPath", c.warmModelPath().toString());
        o.put("warmupEpochs", c.warmupEpochs());
        o.put("epochs", c.epochs());
        o.put("batchSize", c.batchSize());
        o.put("evalBatchSize", c.evalBatchSize());
        o.put("seed", c.seed());
        o.put("trainLimit", c.trainLimit());
        o.put("testLimit", c.testLimit());
        o.put("learningRate", c.learningRate());
        o.put("weightDecay", c.weightDecay());
        o.put("bound", c.bound());
        o.put("penaltyFixed", c.penaltyFixed());
        o.put("penaltyBase", c.penaltyBase());
        o.put("penaltyGrow", c.penaltyGrow());
        o.put("penaltyCap", c.penaltyCap());
        o.put("penaltyFunction", c.penaltyFunction().name().toLowerCase(Locale.ROOT));
        o.put("threads", c.threads());
        o.put("preset", c.preset());
        o.put("engine", c.engine().key());
        o.set("alm", MethodConfigJson.toJson(c.alm()));
        return o;
    }

    /**
     * Reads a configuration written by {@link #toJson}. A record without {@code engine} was written before the
     * fused engine existed: its run is continued with {@link MnistEngine#SAMEDIFF}, whose checkpoints it holds.
     *
     * @throws IllegalArgumentException naming the missing or bad field
     */
    public static MnistConfig fromJson(JsonNode o) {
        List<MnistMode> modes = new ArrayList<>();
        for (JsonNode m : required(o, "modes")) {
            modes.add(MnistMode.valueOf(m.asText().toUpperCase(Locale.ROOT)));
        }
        return new MnistConfig(modes, Path.of(text(o, "dataDir")), Path.of(text(o, "outDir")),
                Path.of(text(o, "warmModelPath")), integer(o, "warmupEpochs"), integer(o, "epochs"),
                integer(o, "batchSize"), integer(o, "evalBatchSize"), longInteger(o, "seed"),
                integer(o, "trainLimit"), integer(o, "testLimit"),
                number(o, "learningRate"), number(o, "weightDecay"),
                number(o, "bound"), number(o, "penaltyFixed"),
                number(o, "penaltyBase"), number(o, "penaltyGrow"),
                number(o, "penaltyCap"),
                PenaltyFunction.valueOf(text(o, "penaltyFunction").toUpperCase(Locale.ROOT)),
                integer(o, "threads"), text(o, "preset"),
                o.hasNonNull("engine") ? MnistEngine.parse(text(o, "engine")) : MnistEngine.SAMEDIFF,
                o.hasNonNull("alm") ? MethodConfigJson.augmentedLagrangian(o.get("alm")) : MnistConfig.DEFAULT_ALM);
    }
}
