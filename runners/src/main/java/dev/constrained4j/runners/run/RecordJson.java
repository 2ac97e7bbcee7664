package dev.constrained4j.runners.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The one mapping of configuration records to and from the {@code config} object of {@code run.json}: every record
 * component by name (Jackson's record support, nested records included), paths as the text they were given, enums
 * by name (or by the key their {@code @JsonValue} gives), NaN and infinities as the strings {@code "NaN"},
 * {@code "Infinity"}. Reading is strict, so that a hand-edited {@code run.json} is refused with one line naming
 * the field rather than read as something else: every component must be present, of its type (no text for a
 * number, no fraction for an integer, no number for a boolean or a path), no unknown key; then the record's
 * validating constructor runs.
 */
public final class RecordJson {

    private static final ObjectMapper JSON = strict(RunFolder.JSON.copy().registerModule(new SimpleModule()
            .addSerializer(Path.class, ToStringSerializer.instance)
            .addDeserializer(Path.class, new StdScalarDeserializer<Path>(Path.class) {
                @Override
                public Path deserialize(JsonParser p, DeserializationContext context) throws IOException {
                    if (!p.currentToken().equals(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                        return (Path) context.handleUnexpectedToken(Path.class, p);
                    }
                    return Path.of(p.getValueAsString());
                }
            })));

    private RecordJson() {
    }

    private static ObjectMapper strict(ObjectMapper m) {
        m.enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // text stays text: "ten" or "10" is not an integer, 1 is not true; the non-finite doubles keep their names
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    public static JsonNode toJson(Record config) {
        return JSON.valueToTree(config);
    }

    /**
     * @throws IllegalArgumentException with one line naming the field and what it must be, when the object does not
     *                                  describe a valid record
     */
    public static <T extends Record> T fromJson(JsonNode node, Class<T> type) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("run.json has no config object (the " + type.getSimpleName() + " of the"
                    + " run), it has " + (node == null || node.isMissingNode() ? "none" : "a JSON "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + "; restore it or start a new run");
        }
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalArgumentException(problem(e, type, node) + "; correct it or start a new run", e);
        }
    }

    private static String problem(IOException e, Class<?> type, JsonNode node) {
        String field = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException invalid) {
            return "run.json has no valid " + type.getSimpleName() + ": " + firstLine(invalid.getMessage());
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "run.json config has an unknown field '" + (field.isEmpty() ? u.getPropertyName() : field) + "'";
        }
        if (e instanceof MismatchedInputException m && firstLine(m.getOriginalMessage()).contains("creator property")) {
            String missing = firstLine(m.getOriginalMessage()).replaceAll("[^']*'([^']*)'.*", "$1");
            String where = field.isEmpty() || field.equals(missing) || field.endsWith("." + missing) ? field
                    : field + "." + missing;
            return "run.json config field '" + (where.isEmpty() ? missing : where) + "' is missing";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            JsonNode value = node;
            for (JsonMappingException.Reference r : m.getPath()) {
                value = r.getFieldName() != null ? value.path(r.getFieldName()) : value.path(r.getIndex());
            }
            String got = value.isMissingNode() ? "" : ", got " + value;
            return "run.json config field '" + field + "' must be " + describe(m.getTargetType()) + got;
        }
        return "run.json has no valid " + type.getSimpleName() + ": " + firstLine(e.getMessage());
    }

    private static String describe(Class<?> target) {
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return "an integer";
        }
        if (target == double.class || target == Double.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == String.class || target == Path.class) {
            return "a text";
        }
        if (target.isEnum()) {
            return "one of " + java.util.Arrays.stream(target.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        return "a " + target.getSimpleName();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
