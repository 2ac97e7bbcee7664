package dev.constrained4j.runners.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.losses.method.AugmentedLagrangianConfig;

/** The constrained methods' configuration records to and from {@code run.json} (every runner uses this one form). */
public final class MethodConfigJson {

    private MethodConfigJson() {
    }

    /**
     * {@code {"rho", "rhoGrowth", "rhoEvery", "rhoCap", "dualLearningRate" (null: ρ), "mapped", "maxMultiplier"
     * (null: none)}}.
     */
    public static ObjectNode toJson(AugmentedLagrangianConfig c) {
        ObjectNode alm = RunFolder.JSON.createObjectNode();
        alm.put("rho", c.rho());
        alm.put("rhoGrowth", c.rhoGrowth());
        alm.put("rhoEvery", c.rhoEvery());
        alm.put("rhoCap", c.rhoCap());
        if (Double.isNaN(c.dualLearningRate())) {
            alm.putNull("dualLearningRate");
        } else {
            alm.put("dualLearningRate", c.dualLearningRate());
        }
        alm.put("mapped", c.mapped());
        if (Double.isInfinite(c.maxMultiplier())) {
            alm.putNull("maxMultiplier");
        } else {
            alm.put("maxMultiplier", c.maxMultiplier());
        }
        return alm;
    }

    /**
     * Reads what {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException naming a missing or mistyped field
     */
    public static AugmentedLagrangianConfig augmentedLagrangian(JsonNode a) {
        JsonNode eta = a.get("dualLearningRate");
        return new AugmentedLagrangianConfig(JsonFields.number(a, "rho"), JsonFields.number(a, "rhoGrowth"), (int) JsonFields.number(a, "rhoEvery"),
                JsonFields.number(a, "rhoCap"), eta == null || eta.isNull() ? Double.NaN : JsonFields.number(a, "dualLearningRate"),
                a.path("mapped").asBoolean(false),
                a.hasNonNull("maxMultiplier") ? JsonFields.number(a, "maxMultiplier") : Double.POSITIVE_INFINITY);
    }

}
