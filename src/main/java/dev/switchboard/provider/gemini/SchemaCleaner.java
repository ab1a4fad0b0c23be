package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a client's JSON Schema into the OpenAPI 3.0 subset that Gemini's
 * {@code functionDeclarations[].parameters} and {@code generationConfig.responseSchema} accept
 * (docs/protocols/openai-to-gemini.md A2.3, B3, B4). Per call: it tracks the {@code $ref}s being
 * expanded and counts the bytes it produces against the request's budget; use {@link #clean}.
 *
 * <p>Rules, applied at every level:
 * <ul>
 * <li>Only the subset's keywords are kept: {@code type format description title nullable enum
 *     properties required items anyOf minItems maxItems minLength maxLength pattern minimum
 *     maximum minProperties maxProperties propertyOrdering}. Everything else is dropped, notably
 *     {@code additionalProperties}, {@code $schema}, {@code $id}, {@code $defs}/{@code definitions},
 *     {@code strict}, {@code default}, {@code examples}, {@code not}, {@code exclusiveMinimum}/
 *     {@code exclusiveMaximum}, {@code multipleOf}, {@code uniqueItems}, {@code patternProperties},
 *     {@code if}/{@code then}/{@code else} (LiteLLM and Portkey strip the same, A2.3).</li>
 * <li>{@code type} is written as Gemini's upper-case enum ({@code "string"} → {@code STRING});
 *     a type list drops {@code "null"} for {@code nullable: true}, and several remaining types
 *     become an {@code anyOf} of one type each.</li>
 * <li>Local {@code $ref}s ({@code #/$defs/X}, {@code #/definitions/X}, any {@code #/...} pointer)
 *     are inlined, sibling keywords overriding the target's. A recursive or non-local
 *     {@code $ref} cannot be expressed and is a 400 naming the field, and so is a schema that
 *     would not stay small once inlined: more than {@link #MAX_REF_DEPTH} refs inside one another,
 *     more than {@link #MAX_NESTING} levels, more than {@link #MAX_NODES} schema objects, or more
 *     bytes than the request's {@link TranslationBudget} (every inlined copy carries its
 *     {@code description}, {@code enum} and {@code pattern}, so a few kilobytes of chained refs
 *     would otherwise become tens of megabytes).</li>
 * <li>{@code oneOf} is read as {@code anyOf} (the subset has only {@code anyOf}); a
 *     {@code {"type":"null"}} member becomes {@code nullable: true}, and a single remaining
 *     member is merged into its parent. {@code allOf} members are merged into the parent
 *     (properties and required united, the parent's own keywords winning).</li>
 * <li>{@code const} becomes a one-value {@code enum}. Gemini's {@code enum} is for strings only,
 *     so an {@code enum} with any non-string value is dropped (the type stays); an {@code enum}
 *     without a type gets {@code STRING}.</li>
 * <li>{@code format} is kept only where Gemini knows it ({@code STRING}: {@code enum},
 *     {@code date-time}; {@code NUMBER}: {@code float}, {@code double}; {@code INTEGER}:
 *     {@code int32}, {@code int64}); others such as {@code email} or {@code uri} are rejected by
 *     Gemini and dropped.</li>
 * <li>{@code required} keeps only names present in {@code properties}.</li>
 * <li>A schema with {@code properties} but no type gets {@code OBJECT}; one with {@code items}
 *     but no type gets {@code ARRAY}. Tuple-form {@code items} (an array) is dropped.</li>
 * <li>Boolean schemas ({@code true}/{@code false}) become the empty schema.</li>
 * </ul>
 */
final class SchemaCleaner {
    /**
     * Cap on schema objects visited: the work of cleaning, where the request's budget bounds the
     * bytes. Many small nodes cost time long before they cost bytes.
     */
    static final int MAX_NODES = 10_000;
    /**
     * Cap on {@code $ref}s being inlined inside one another. Each costs stack, and a chain of them
     * is not bounded by the request's JSON depth: 2000 refs in 64 KB overflowed the stack. Real
     * schemas chain a handful.
     */
    static final int MAX_REF_DEPTH = 32;
    /**
     * Cap on schema levels once refs are inlined: far deeper than any real tool or response
     * schema, and it keeps the recursion here (and Gemini's own schema parser) well bounded.
     */
    static final int MAX_NESTING = 64;

    /** Keywords copied unchanged when present. */
    private static final List<String> COPIED = List.of("description", "title", "minItems", "maxItems",
            "minLength", "maxLength", "pattern", "minimum", "maximum", "minProperties", "maxProperties",
            "propertyOrdering");

    /** The {@code format} values Gemini accepts, per type. */
    private static final Map<String, Set<String>> FORMATS = Map.of(
            "STRING", Set.of("enum", "date-time"),
            "NUMBER", Set.of("float", "double"),
            "INTEGER", Set.of("int32", "int64"));

    private static final String NULL_TYPE = "null";
    private static final JsonObject NULLABLE_ONLY = Json.PROVIDER.createObjectBuilder().add("nullable", true).build();

    private final JsonObject root;
    private final String param;
    private final TranslationBudget budget;
    private final Set<String> expanding = new HashSet<>();
    private int nodes;
    private int depth;

    private SchemaCleaner(JsonObject root, String param, TranslationBudget budget) {
        this.root = root;
        this.param = param;
        this.budget = budget;
    }

    /**
     * @param param the request field holding the schema, named in a 400 when it cannot be expressed
     * @param budget the request's, shared by all its schemas: what this one produces is counted there
     */
    static JsonObject clean(JsonObject schema, String param, TranslationBudget budget) {
        return new SchemaCleaner(schema, param, budget).node(schema);
    }

    private JsonObject node(JsonValue value) {
        if (!(value instanceof JsonObject schema)) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (++nodes > MAX_NODES) {
            throw invalid("The schema in '" + param + "' expands to more than " + MAX_NODES
                    + " schema objects once its $refs are inlined; Gemini needs them inlined.");
        }
        if (depth >= MAX_NESTING) {
            throw invalid("The schema in '" + param + "' nests deeper than " + MAX_NESTING
                    + " levels once its $refs are inlined; Gemini needs them inlined.");
        }
        depth++;
        try {
            return schema.get("$ref") != null ? reference(schema) : cleaned(schema);
        } finally {
            depth--;
        }
    }

    /** One schema object without a {@code $ref}, its sub-schemas cleaned through {@link #node}. */
    private JsonObject cleaned(JsonObject schema) {
        Map<String, JsonValue> out = new LinkedHashMap<>();
        boolean nullable = schema.get("nullable") == JsonValue.TRUE;
        List<JsonObject> alternatives = new ArrayList<>();

        List<String> types = types(schema.get("type"));
        nullable |= types.remove(NULL_TYPE);
        if (types.size() == 1) {
            out.put("type", Json.PROVIDER.createValue(types.get(0).toUpperCase(Locale.ROOT)));
        } else {
            for (String type : types) {
                alternatives.add(Json.PROVIDER.createObjectBuilder().add("type", type.toUpperCase(Locale.ROOT)).build());
            }
        }
        for (String keyword : COPIED) {
            JsonValue copied = schema.get(keyword);
            if (copied != null) {
                out.put(keyword, copied);
            }
        }
        JsonArray enumValues = enumValues(schema);
        if (enumValues != null) {
            out.put("enum", enumValues);
        }
        if (schema.get("properties") instanceof JsonObject properties) {
            JsonObjectBuilder cleaned = Json.PROVIDER.createObjectBuilder();
            for (Map.Entry<String, JsonValue> property : properties.entrySet()) {
                cleaned.add(property.getKey(), node(property.getValue()));
            }
            out.put("properties", cleaned.build());
        }
        Set<String> required = new LinkedHashSet<>(strings(schema.get("required")));
        if (schema.get("items") instanceof JsonObject items) {
            out.put("items", node(items));
        }

        for (String combinator : List.of("anyOf", "oneOf")) {
            if (schema.get(combinator) instanceof JsonArray members) {
                for (JsonValue member : members) {
                    alternatives.add(node(member));
                }
            }
        }
        nullable |= alternatives.removeIf(NULLABLE_ONLY::equals);
        if (alternatives.size() == 1) {
            merge(out, required, alternatives.get(0));
        } else if (alternatives.size() > 1) {
            JsonArrayBuilder anyOf = Json.PROVIDER.createArrayBuilder();
            alternatives.forEach(anyOf::add);
            out.put("anyOf", anyOf.build());
        }
        if (schema.get("allOf") instanceof JsonArray members) {
            for (JsonValue member : members) {
                merge(out, required, node(member));
            }
        }

        inferType(out);
        keepKnownFormat(out, schema.get("format"));
        if (!required.isEmpty() && out.get("properties") instanceof JsonObject properties) {
            JsonArrayBuilder kept = Json.PROVIDER.createArrayBuilder();
            required.stream().filter(properties::containsKey).forEach(kept::add);
            JsonArray keptArray = kept.build();
            if (!keptArray.isEmpty()) {
                out.put("required", keptArray);
            }
        }
        if (nullable) {
            out.put("nullable", JsonValue.TRUE);
        }
        if (!budget.spend(ownBytes(out))) {
            throw invalid("The schema in '" + param + "' grows past " + budget.limit() + " bytes once its $refs are"
                    + " inlined " + budget.describeLimit() + "; Gemini's schema subset has no $ref, so they must be"
                    + " inlined: refer to large definitions fewer times, or send a smaller schema.");
        }
        JsonObjectBuilder result = Json.PROVIDER.createObjectBuilder();
        out.forEach(result::add);
        return result.build();
    }

    /**
     * The serialised size of one cleaned schema object without its sub-schemas, which were counted
     * when they were cleaned. Sub-schemas merged in from {@code anyOf} and {@code allOf} members
     * lend their keywords to this object too, which are then counted twice: an overestimate by at
     * most that much, where an underestimate could let a schema grow unbounded.
     */
    private static long ownBytes(Map<String, JsonValue> out) {
        long bytes = 2;
        for (Map.Entry<String, JsonValue> entry : out.entrySet()) {
            bytes += entry.getKey().length() + 4;
            switch (entry.getKey()) {
                case "properties" -> {
                    JsonObject properties = (JsonObject) entry.getValue();
                    bytes += 2;
                    for (String name : properties.keySet()) {
                        bytes += name.length() + 4;
                    }
                }
                case "items" -> {
                    // Cleaned, and counted, as a node of its own.
                }
                case "anyOf" -> bytes += 2 + ((JsonArray) entry.getValue()).size();
                default -> bytes += size(entry.getValue());
            }
        }
        return bytes;
    }

    /**
     * A JSON value's serialised size, counting characters for bytes: exact for ASCII, low by at
     * most three times for other text (the upstream body's own bound catches that, {@link TranslationBudget#write}).
     */
    private static long size(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString().length() + 2;
            case ARRAY -> {
                long bytes = 2;
                for (JsonValue item : (JsonArray) value) {
                    bytes += size(item) + 1;
                }
                yield bytes;
            }
            case OBJECT -> {
                long bytes = 2;
                for (Map.Entry<String, JsonValue> member : ((JsonObject) value).entrySet()) {
                    bytes += member.getKey().length() + 4 + size(member.getValue());
                }
                yield bytes;
            }
            default -> value.toString().length();
        };
    }

    /** Inlines a local {@code $ref}; the referring schema's other keywords override the target's. */
    private JsonObject reference(JsonObject schema) {
        if (!(schema.get("$ref") instanceof JsonString refString) || !refString.getString().startsWith("#")) {
            throw invalid("The schema in '" + param + "' uses a $ref that is not a local '#/...' reference ("
                    + schema.get("$ref") + "); Gemini's schema subset has no $ref, and Switchboard can only inline"
                    + " local ones.");
        }
        String ref = refString.getString();
        if (expanding.size() >= MAX_REF_DEPTH) {
            throw invalid("The schema in '" + param + "' inlines more than " + MAX_REF_DEPTH
                    + " $refs inside one another; Gemini's schema subset has no $ref, so they must be inlined.");
        }
        if (!expanding.add(ref)) {
            throw invalid("The schema in '" + param + "' is recursive ($ref '" + ref + "' refers to itself);"
                    + " Gemini's schema subset cannot express recursion.");
        }
        try {
            JsonObjectBuilder merged = Json.PROVIDER.createObjectBuilder(resolve(ref));
            for (Map.Entry<String, JsonValue> sibling : schema.entrySet()) {
                if (!sibling.getKey().equals("$ref")) {
                    merged.add(sibling.getKey(), sibling.getValue());
                }
            }
            return node(merged.build());
        } finally {
            expanding.remove(ref);
        }
    }

    /** Walks a JSON pointer fragment ({@code #/a/b}, RFC 6901 escapes) from the root schema. */
    private JsonObject resolve(String ref) {
        JsonValue current = root;
        String pointer = ref.substring(1);
        if (!pointer.isEmpty()) {
            for (String token : pointer.substring(1).split("/", -1)) {
                String name = token.replace("~1", "/").replace("~0", "~");
                current = current instanceof JsonObject object ? object.get(name) : null;
            }
        }
        if (!(current instanceof JsonObject target)) {
            throw invalid("The schema in '" + param + "' has a $ref '" + ref + "' that points to no schema.");
        }
        return target;
    }

    /**
     * Merges a cleaned sub-schema (a lone {@code anyOf} member or an {@code allOf} member) into the
     * schema being built: properties and required are united; other keywords fill gaps only.
     */
    private static void merge(Map<String, JsonValue> out, Set<String> required, JsonObject member) {
        for (Map.Entry<String, JsonValue> entry : member.entrySet()) {
            String key = entry.getKey();
            if (key.equals("properties") && out.get(key) instanceof JsonObject existing
                    && entry.getValue() instanceof JsonObject added) {
                JsonObjectBuilder united = Json.PROVIDER.createObjectBuilder(existing);
                added.forEach((name, schema) -> {
                    if (!existing.containsKey(name)) {
                        united.add(name, schema);
                    }
                });
                out.put(key, united.build());
            } else if (key.equals("required")) {
                required.addAll(strings(entry.getValue()));
            } else {
                out.putIfAbsent(key, entry.getValue());
            }
        }
    }

    private static void inferType(Map<String, JsonValue> out) {
        if (out.containsKey("type") || out.containsKey("anyOf")) {
            return;
        }
        if (out.containsKey("properties")) {
            out.put("type", Json.PROVIDER.createValue("OBJECT"));
        } else if (out.containsKey("items")) {
            out.put("type", Json.PROVIDER.createValue("ARRAY"));
        } else if (out.containsKey("enum")) {
            out.put("type", Json.PROVIDER.createValue("STRING"));
        }
    }

    private static void keepKnownFormat(Map<String, JsonValue> out, JsonValue format) {
        if (format instanceof JsonString value && out.get("type") instanceof JsonString type
                && FORMATS.getOrDefault(type.getString(), Set.of()).contains(value.getString())) {
            out.put("format", value);
        }
    }

    /** {@code enum}, or {@code const} as a one-value enum; null unless every value is a string. */
    private static JsonArray enumValues(JsonObject schema) {
        JsonValue values = schema.get("enum");
        if (values == null && schema.get("const") != null) {
            values = Json.PROVIDER.createArrayBuilder().add(schema.get("const")).build();
        }
        if (!(values instanceof JsonArray array) || array.isEmpty()) {
            return null;
        }
        for (JsonValue value : array) {
            if (!(value instanceof JsonString)) {
                return null;
            }
        }
        return array;
    }

    private static List<String> types(JsonValue type) {
        List<String> types = new ArrayList<>(2);
        if (type instanceof JsonString single) {
            types.add(single.getString().toLowerCase(Locale.ROOT));
        } else if (type instanceof JsonArray several) {
            for (JsonValue value : several) {
                if (value instanceof JsonString string) {
                    types.add(string.getString().toLowerCase(Locale.ROOT));
                }
            }
        }
        return types;
    }

    private static List<String> strings(JsonValue value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonString string) {
                    strings.add(string.getString());
                }
            }
        }
        return strings;
    }

    private GatewayException invalid(String message) {
        return ErrorKind.INVALID_REQUEST.exception(param, message);
    }
}
