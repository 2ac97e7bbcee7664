package dev.constrained4j.runners.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of the fields of a {@code run.json} configuration written field by field: a missing field or one of
 * the wrong type (a hand-edited {@code "epochs": "ten"}) is refused with one line naming it, never read as 0.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** The field, which must be present and not null. */
    public static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("run.json config has no field '" + field + "'");
        }
        return v;
    }

    public static String text(JsonNode o, String field) {
        JsonNode v = required(o, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("run.json config field '" + field + "' must be text, got " + v);
        }
        return v.asText();
    }

    public static int integer(JsonNode o, String field) {
        JsonNode v = required(o, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("run.json config field '" + field + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    public static long longInteger(JsonNode o, String field) {
        JsonNode v = required(o, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("run.json config field '" + field + "' must be an integer, got " + v);
        }
        return v.asLong();
    }

    public static double number(JsonNode o, String field) {
        JsonNode v = required(o, field);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("run.json config field '" + field + "' must be a number, got " + v);
        }
        return v.asDouble();
    }
}
