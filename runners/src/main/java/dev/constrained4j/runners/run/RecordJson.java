package dev.constrained4j.runners.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Configuration records to and from the {@code config} object of {@code run.json}: every record component by name
 * (Jackson's record support, nested records included), paths as the text they were given, NaN as the string
 * {@code "NaN"}; reading runs the record's validating constructor, so a hand-edited value of the wrong type or out
 * of range is refused with one line.
 */
public final class RecordJson {

    private static final ObjectMapper JSON = RunFolder.JSON.copy().registerModule(new SimpleModule()
            .addSerializer(Path.class, ToStringSerializer.instance)
            .addDeserializer(Path.class, new StdScalarDeserializer<Path>(Path.class) {
                @Override
                public Path deserialize(JsonParser p, DeserializationContext context) throws IOException {
                    return Path.of(p.getValueAsString());
                }
            }));

    private RecordJson() {
    }

    public static JsonNode toJson(Record config) {
        return JSON.valueToTree(config);
    }

    /**
     * @throws IllegalArgumentException naming the problem when the object does not describe a valid record
     */
    public static <T extends Record> T fromJson(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("run.json has no valid " + type.getSimpleName() + ": "
                    + cause.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
