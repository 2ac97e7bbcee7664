package dev.constrained4j.runners.hidden;

import static dev.constrained4j.runners.run.JsonFields.integer;
import static dev.constrained4j.runners.run.JsonFields.longInteger;
import static dev.constrained4j.runners.run.JsonFields.number;
import static dev.constrained4j.runners.run.JsonFields.required;
import static dev.constrained4j.runners.run.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.models.hidden.HiddenSystem;
import dev.constrained4j.runners.run.MethodConfigJson;
import dev.constrained4j.runners.run.RunFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link HiddenRunConfig} to and from the {@code config} object of {@code run.json}. */
public final class HiddenRunConfigJson {

    private HiddenRunConfigJson() {
    }

    public static ObjectNode toJson(HiddenRunConfig c) {
        ObjectNode o = RunFolder.JSON.createObjectNode();
        var bounds = o.putArray("bounds");
        c.bounds().forEach(bounds::add);
        o.put("baseline", c.baseline());
        o.put("dataDir", c.dataDir().toString());
        o.put("outDir", c.outDir().toString());
        o.put("name", c.name());
        o.put("imageSize", c.imageSize());
        o.put("messageBits", c.messageBits());
        o.put("channels", c.channels());
        o.put("epochs", c.epochs());
        o.put("batchSize", c.batchSize());
        o.put("learningRate", c.learningRate());
        o.put("seed", c.seed());
        o.put("noise", c.noise());
        o.put("trainLimit", c.trainLimit());
        o.put("valLimit", c.valLimit());
        o.put("testLimit", c.testLimit());
        o.put("penaltyStart", c.penaltyStart());
        o.put("penaltyFactor", c.penaltyFactor());
        o.put("penaltyEvery", c.penaltyEvery());
        o.put("penaltyCap", c.penaltyCap());
        o.put("downstreamEpochs", c.downstreamEpochs());
        o.put("threads", c.threads());
        o.put("engine", c.engine().name().toLowerCase(java.util.Locale.ROOT));
        o.put("preset", c.preset());
        var methods = o.putArray("methods");
        c.methods().forEach(methods::add);
        o.set("alm", MethodConfigJson.toJson(c.alm()));
        return o;
    }

    /**
     * Reads a configuration written by {@link #toJson}.
     *
     * @throws IllegalArgumentException naming the missing or bad field
     */
    public static HiddenRunConfig fromJson(JsonNode o) {
        List<Double> bounds = new ArrayList<>();
        for (JsonNode b : required(o, "bounds")) {
            bounds.add(b.asDouble());
        }
        return new HiddenRunConfig(bounds, required(o, "baseline").asBoolean(), Path.of(text(o, "dataDir")),
                Path.of(text(o, "outDir")), text(o, "name"), integer(o, "imageSize"), integer(o, "messageBits"),
                integer(o, "channels"), integer(o, "epochs"), integer(o, "batchSize"),
                number(o, "learningRate"), longInteger(o, "seed"), text(o, "noise"),
                integer(o, "trainLimit"), integer(o, "valLimit"), integer(o, "testLimit"),
                number(o, "penaltyStart"), number(o, "penaltyFactor"),
                integer(o, "penaltyEvery"), number(o, "penaltyCap"), integer(o, "downstreamEpochs"),
                integer(o, "threads"), text(o, "preset"),
                o.hasNonNull("engine") ? engine(text(o, "engine")) : HiddenSystem.Engine.FUSED,
                o.hasNonNull("methods") ? texts(required(o, "methods")) : List.of("penalty"),
                o.hasNonNull("alm") ? MethodConfigJson.augmentedLagrangian(o.get("alm")) : HiddenRunConfig.DEFAULT_ALM);
    }



    /** The engine named {@code fused} or {@code samediff} (any case). */
    public static HiddenSystem.Engine engine(String name) {
        for (HiddenSystem.Engine e : HiddenSystem.Engine.values()) {
            if (e.name().equalsIgnoreCase(name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("engine must be fused or samediff, got '" + name + "'");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

}
