package dev.switchboard.provider.openai;

import dev.switchboard.json.Bytes;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.UpstreamErrors;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.stream.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads what a relay needs from OpenAI-shaped JSON without building a tree of the whole body:
 * usage, the error object, whether a chunk finishes its choice. Stateless.
 */
final class OpenAiResponses {
    /** The four fields of an OpenAI error object; any may be null. */
    record ErrorFields(String message, String type, String param, String code) {
    }

    /**
     * What a stream relay learns from one chunk.
     *
     * @param usageOnly whether it is the usage chunk OpenAI sends last for {@code include_usage}:
     *     a {@code usage} and no choice
     */
    record ChunkFacts(Usage usage, boolean finishes, ErrorFields error, boolean usageOnly) {
    }

    private OpenAiResponses() {
    }

    /**
     * Reads the error of a non-2xx body: OpenAI's {@code {"error":{...}}}, and the shapes other
     * OpenAI-compatible servers use ({@code {"error":"text"}}, FastAPI's {@code {"detail":...}},
     * {@code {"message":...}}); anything else is quoted as text.
     */
    static ErrorFields readError(byte[] body, int length) {
        String text = new String(body, 0, length, StandardCharsets.UTF_8).trim();
        JsonObject json;
        try {
            json = Json.parseObject(text);
        } catch (RuntimeException e) {
            return new ErrorFields(UpstreamErrors.quoteBody(text), null, null, null);
        }
        return errorFields(json);
    }

    static ErrorFields errorFields(JsonObject json) {
        JsonValue error = json.get("error");
        if (error instanceof JsonObject object) {
            return new ErrorFields(string(object, "message"), string(object, "type"), string(object, "param"),
                    codeOf(object.get("code")));
        }
        if (error instanceof JsonString string) {
            return new ErrorFields(string.getString(), null, null, null);
        }
        JsonValue detail = json.get("detail");
        if (detail != null) {
            return new ErrorFields(detail instanceof JsonString s ? s.getString() : detail.toString(), null, null, null);
        }
        return new ErrorFields(string(json, "message"), null, null, null);
    }

    private static String codeOf(JsonValue code) {
        if (code == null || code.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return code instanceof JsonString s ? s.getString() : code.toString();
    }

    private static String string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value instanceof JsonString s ? s.getString() : null;
    }

    /** The top-level {@code usage} of a chat.completion body, or null. */
    static Usage readUsage(byte[] json) {
        try (JsonParser parser = Json.parser(json, 0, json.length)) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                return null;
            }
            while (parser.hasNext()) {
                Event event = parser.next();
                if (event == Event.END_OBJECT) {
                    return null;
                }
                String key = parser.getString();
                Event value = parser.next();
                if (key.equals("usage") && value == Event.START_OBJECT) {
                    return usage(parser.getObject());
                }
                skip(parser, value);
            }
        } catch (RuntimeException e) {
            // Besides JsonException, Parsson throws a bare RuntimeException for nesting beyond
            // Json.MAX_DEPTH: a body we cannot read has no usage we know of.
            return null;
        }
        return null;
    }

    /**
     * Looks at one stream chunk's top level: its {@code usage}, an {@code error} member, and
     * whether any choice carries a {@code finish_reason}.
     */
    static ChunkFacts readChunk(byte[] json) {
        if (!mayCarryFacts(json)) {
            return NO_FACTS;
        }
        Usage usage = null;
        boolean finishes = false;
        boolean choices = false;
        ErrorFields error = null;
        try (JsonParser parser = Json.parser(json, 0, json.length)) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                return NO_FACTS;
            }
            while (parser.hasNext()) {
                Event event = parser.next();
                if (event == Event.END_OBJECT) {
                    break;
                }
                String key = parser.getString();
                Event value = parser.next();
                switch (key) {
                    case "usage" -> {
                        if (value == Event.START_OBJECT) {
                            usage = usage(parser.getObject());
                        }
                    }
                    case "error" -> {
                        if (value == Event.START_OBJECT) {
                            error = errorFields(Json.PROVIDER.createObjectBuilder()
                                    .add("error", parser.getObject()).build());
                        } else if (value == Event.VALUE_STRING) {
                            error = new ErrorFields(parser.getString(), null, null, null);
                        }
                    }
                    case "choices" -> {
                        if (value == Event.START_ARRAY) {
                            List<JsonValue> list = parser.getArrayStream().toList();
                            finishes = choicesFinish(list);
                            choices = !list.isEmpty();
                        }
                    }
                    default -> skip(parser, value);
                }
            }
        } catch (RuntimeException e) {
            // Not JSON we understand (Parsson reports nesting beyond Json.MAX_DEPTH with a bare
            // RuntimeException, not a JsonException): relay it as it is and let the client judge.
            return NO_FACTS;
        }
        return new ChunkFacts(usage, finishes, error, usage != null && !choices);
    }

    private static final ChunkFacts NO_FACTS = new ChunkFacts(null, false, null, false);
    private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FINISH_KEY = "\"finish_reason\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether parsing can find anything: most chunks of a stream carry content,
     * {@code "finish_reason":null} and, when the client asked for usage, {@code "usage":null}, and
     * no error. A quote inside a JSON string is always escaped, so these keys cannot be found in
     * text by accident; a key with a value other than null, found anywhere (nested too), sends the
     * chunk to the parser, which decides.
     */
    static boolean mayCarryFacts(byte[] json) {
        return hasNonNull(json, USAGE_KEY) || hasNonNull(json, ERROR_KEY) || hasNonNull(json, FINISH_KEY);
    }

    private static boolean hasNonNull(byte[] json, byte[] key) {
        for (int v = Bytes.nextMemberValue(json, 0, key); v >= 0; v = Bytes.nextMemberValue(json, v, key)) {
            if (!Bytes.regionMatches(json, v, NULL)) {
                return true;
            }
        }
        return false;
    }

    private static boolean choicesFinish(List<JsonValue> choices) {
        boolean finishes = false;
        for (JsonValue choice : choices) {
            if (choice instanceof JsonObject object) {
                JsonValue reason = object.get("finish_reason");
                finishes |= reason != null && reason.getValueType() == JsonValue.ValueType.STRING;
            }
        }
        return finishes;
    }

    private static Usage usage(JsonObject usage) {
        long prompt = number(usage, "prompt_tokens");
        long completion = number(usage, "completion_tokens");
        long cached = usage.get("prompt_tokens_details") instanceof JsonObject details ? number(details, "cached_tokens") : 0;
        long reasoning = usage.get("completion_tokens_details") instanceof JsonObject details
                ? number(details, "reasoning_tokens") : 0;
        return new Usage(prompt, completion, cached, reasoning);
    }

    private static long number(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value instanceof jakarta.json.JsonNumber n ? n.longValue() : 0;
    }

    private static void skip(JsonParser parser, Event value) {
        if (value == Event.START_OBJECT) {
            parser.skipObject();
        } else if (value == Event.START_ARRAY) {
            parser.skipArray();
        }
    }
}
