package dev.constrained4j.runners.fairness;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.constrained4j.runners.run.RunFolder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link FairnessConfig} to and from the {@code config} object of {@code run.json}: every record component by name
 * (Jackson's record support), paths as the text they were given, NaN as the string {@code "NaN"}.
 */
public final class FairnessConfigJson {

    private static final ObjectMapper JSON = RunFolder.JSON.copy().registerModule(new SimpleModule()
            .addSerializer(Path.class, ToStringSerializer.instance)
            .addDeserializer(Path.class, new StdScalarDeserializer<Path>(Path.class) {
                @Override
                public Path deserialize(JsonParser p, DeserializationContext context) throws IOException {
                    return Path.of(p.getValueAsString());
                }
            }));

    private FairnessConfigJson() {
    }

    public static JsonNode toJson(FairnessConfig config) {
        return JSON.valueToTree(config);
    }

    /**
     * @throws IllegalArgumentException naming the problem when the object does not describe a valid configuration
     */
    public static FairnessConfig fromJson(JsonNode node) {
        try {
            return JSON.treeToValue(node, FairnessConfig.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("run.json has no valid fairness configuration: "
                    + cause.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
