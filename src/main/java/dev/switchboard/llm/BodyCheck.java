package dev.switchboard.llm;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonSyntaxException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;

/**
 * What every door checks of a JSON body the same way: that it is one bounded JSON object, and the
 * types of the fields it reads. Each failure is a 400 naming the field in {@code param}; value
 * ranges and unknown fields are left to the provider, so newer clients keep working. Stateless.
 */
public final class BodyCheck {
    /** A JSON type a field may have. */
    public enum Kind { NUMBER, INTEGER, STRING, BOOLEAN, OBJECT, ARRAY, STRING_OR_ARRAY, STRING_OR_OBJECT }

    private BodyCheck() {
    }

    /** The body as a JSON object, refused when it holds more than {@link Json#MAX_VALUES} values or is not one. */
    public static JsonObject object(byte[] body, int length) {
        if (Json.exceedsValues(body, length, Json.MAX_VALUES)) {
            throw ErrorKind.REQUEST_TOO_LARGE.exception("The request body has more than " + Json.MAX_VALUES
                    + " JSON values.");
        }
        try {
            return Json.parseStrictObject(body, length);
        } catch (JsonSyntaxException e) {
            throw ErrorKind.INVALID_JSON.exception("The request body must be a JSON object: " + e.getMessage() + ".");
        }
    }

    /** The top-level {@code model}: a non-empty string. */
    public static String model(JsonObject json) {
        JsonValue model = json.get("model");
        if (!(model instanceof JsonString name)) {
            throw invalid("model", "'model' must be a string naming a model or alias, but it is "
                    + Json.typeName(model) + ".");
        }
        if (name.getString().isEmpty()) {
            throw invalid("model", "'model' must not be empty.");
        }
        return name.getString();
    }

    /** Checks {@code value} (absent or JSON null passes) against {@code kind}. */
    public static void type(String path, JsonValue value, Kind kind) {
        if (value == null || value.getValueType() == ValueType.NULL) {
            return;
        }
        ValueType type = value.getValueType();
        boolean ok = switch (kind) {
            case NUMBER -> type == ValueType.NUMBER;
            case INTEGER -> type == ValueType.NUMBER && ((JsonNumber) value).isIntegral() && fitsLong((JsonNumber) value);
            case STRING -> type == ValueType.STRING;
            case BOOLEAN -> type == ValueType.TRUE || type == ValueType.FALSE;
            case OBJECT -> type == ValueType.OBJECT;
            case ARRAY -> type == ValueType.ARRAY;
            case STRING_OR_ARRAY -> type == ValueType.STRING || type == ValueType.ARRAY;
            case STRING_OR_OBJECT -> type == ValueType.STRING || type == ValueType.OBJECT;
        };
        if (!ok) {
            throw invalid(path, "'" + path + "' must be " + describe(kind) + ", but it is " + Json.typeName(value) + ".");
        }
    }

    /** A field that must be present and of {@code kind}. */
    public static JsonValue required(JsonObject object, String name, Kind kind, String path) {
        JsonValue value = object.get(name);
        if (value == null || value.getValueType() == ValueType.NULL) {
            throw invalid(path, "'" + path + "' is required.");
        }
        type(path, value, kind);
        return value;
    }

    /** Every element of an array field is an object. */
    public static void objects(JsonValue value, String path) {
        if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).getValueType() != ValueType.OBJECT) {
                    throw invalid(path + "[" + i + "]", "'" + path + "[" + i + "]' must be an object.");
                }
            }
        }
    }

    /** Every element of an array field is a string. */
    public static void strings(JsonValue value, String path) {
        if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                type(path + "[" + i + "]", array.get(i), Kind.STRING);
            }
        }
    }

    public static GatewayException invalid(String param, String message) {
        return ErrorKind.INVALID_REQUEST.exception(param, message);
    }

    private static boolean fitsLong(JsonNumber number) {
        java.math.BigDecimal decimal = number.bigDecimalValue();
        // Checked on digits first: converting 1e100000 exactly would cost far more than it is worth.
        if (decimal.precision() - decimal.scale() > 19) {
            return false;
        }
        try {
            decimal.longValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case NUMBER -> "a number";
            case INTEGER -> "an integer";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING_OR_ARRAY -> "a string or an array";
            case STRING_OR_OBJECT -> "a string or an object";
        };
    }
}
