package dev.switchboard.provider.openai;

import dev.switchboard.json.Bytes;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonSkimmer;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.UpstreamErrors;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;

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
        return readUsage(json, json.length);
    }

    /**
     * The top-level {@code usage} of the chat.completion body in {@code json[0, length)}, or null
     * when it has none or is not JSON we can read. The members before it are passed over, not
     * parsed: a reply's {@code choices} are most of its bytes.
     */
    static Usage readUsage(byte[] json, int length) {
        JsonSkimmer body = JsonSkimmer.object(json, length);
        while (body.next()) {
            if (body.kind() == '{' && body.keyIs(USAGE)) {
                return usage(json, body);
            }
            body.skip();
        }
        return null;
    }

    /**
     * Looks at one stream chunk's top level: its {@code usage}, an {@code error} member, and
     * whether any choice carries a {@code finish_reason}. A chunk that is not JSON we can read
     * reports nothing: it is relayed as it is and the client judges.
     */
    static ChunkFacts readChunk(byte[] json) {
        if (!mayCarryFacts(json)) {
            return NO_FACTS;
        }
        Usage usage = null;
        boolean finishes = false;
        boolean choices = false;
        ErrorFields error = null;
        JsonSkimmer chunk = JsonSkimmer.object(json, json.length);
        while (chunk.next()) {
            byte kind = chunk.kind();
            if (kind == '{' && chunk.keyIs(USAGE)) {
                // Null only when malformed, and then the whole chunk reports nothing.
                usage = usage(json, chunk);
            } else if (kind == '{' && chunk.keyIs(ERROR)) {
                error = errorObject(json, chunk);
            } else if (kind == '"' && chunk.keyIs(ERROR)) {
                error = new ErrorFields(chunk.string(), null, null, null);
            } else if (kind == '[' && chunk.keyIs(CHOICES)) {
                JsonSkimmer list = chunk.enter();
                choices = false;
                finishes = false;
                while (list.next()) {
                    choices = true;
                    if (list.kind() == '{') {
                        finishes |= choiceFinishes(list.enter());
                    } else {
                        list.validate();
                    }
                }
            } else {
                chunk.skip();
            }
        }
        return chunk.failed() ? NO_FACTS : new ChunkFacts(usage, finishes, error, usage != null && !choices);
    }

    private static final ChunkFacts NO_FACTS = new ChunkFacts(null, false, null, false);
    private static final byte[] USAGE = Bytes.ascii("usage");
    private static final byte[] ERROR = Bytes.ascii("error");
    private static final byte[] CHOICES = Bytes.ascii("choices");
    private static final byte[] FINISH_REASON = Bytes.ascii("finish_reason");
    private static final byte[] PROMPT_TOKENS = Bytes.ascii("prompt_tokens");
    private static final byte[] COMPLETION_TOKENS = Bytes.ascii("completion_tokens");
    private static final byte[] PROMPT_TOKENS_DETAILS = Bytes.ascii("prompt_tokens_details");
    private static final byte[] COMPLETION_TOKENS_DETAILS = Bytes.ascii("completion_tokens_details");
    private static final byte[] CACHED_TOKENS = Bytes.ascii("cached_tokens");
    private static final byte[] REASONING_TOKENS = Bytes.ascii("reasoning_tokens");
    private static final byte[] USAGE_KEY = Bytes.ascii("\"usage\"");
    private static final byte[] ERROR_KEY = Bytes.ascii("\"error\"");
    private static final byte[] FINISH_KEY = Bytes.ascii("\"finish_reason\"");
    private static final byte[] NULL = Bytes.ascii("null");

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

    /**
     * Whether a choice object finishes: its {@code finish_reason} is a string (the last one, when
     * a server repeats the key, as a parsed object keeps it). The whole choice is checked, as the
     * parser checked it when it built the choices.
     */
    private static boolean choiceFinishes(JsonSkimmer choice) {
        boolean finishes = false;
        while (choice.next()) {
            if (choice.keyIs(FINISH_REASON)) {
                finishes = choice.kind() == '"';
            }
            choice.validate();
        }
        return finishes;
    }

    /**
     * The usage object that is {@code parent}'s current value, or null if it is malformed. The
     * counters are read from the bytes when they are plain integers, as providers write them; when
     * one is any other number (a fraction, an exponent, more than 18 digits) the object goes to the
     * parser, whose {@code JsonNumber.longValue()} decides, so that the result is the parser's in
     * every case. Every other member is checked as the parser checks what it builds.
     */
    private static Usage usage(byte[] json, JsonSkimmer parent) {
        int start = parent.valueStart();
        JsonSkimmer usage = parent.enter();
        long prompt = 0;
        long completion = 0;
        long cached = 0;
        long reasoning = 0;
        while (usage.next()) {
            if (usage.keyIs(PROMPT_TOKENS)) {
                prompt = counter(usage);
            } else if (usage.keyIs(COMPLETION_TOKENS)) {
                completion = counter(usage);
            } else if (usage.keyIs(PROMPT_TOKENS_DETAILS)) {
                cached = details(usage, CACHED_TOKENS);
            } else if (usage.keyIs(COMPLETION_TOKENS_DETAILS)) {
                reasoning = details(usage, REASONING_TOKENS);
            } else {
                usage.validate();
            }
        }
        if (usage.failed()) {
            return null;
        }
        if (prompt == NOT_PLAIN || completion == NOT_PLAIN || cached == NOT_PLAIN || reasoning == NOT_PLAIN) {
            return usage(Json.parseObject(json, start, parent.position() - start));
        }
        return new Usage(prompt, completion, cached, reasoning);
    }

    /** A counter read by a parser instead: no plain integer has 19 digits. */
    private static final long NOT_PLAIN = Long.MIN_VALUE;

    /** The current value as a counter: 0 when it is not a number, NOT_PLAIN when it is not a plain integer. */
    private static long counter(JsonSkimmer object) {
        if (object.isNumber() && object.isPlainInteger()) {
            return object.plainInteger();
        }
        boolean number = object.isNumber();
        object.validate();
        return number ? NOT_PLAIN : 0;
    }

    /** The counter {@code name} of the details object that is the current value; 0 if it is not an object. */
    private static long details(JsonSkimmer usage, byte[] name) {
        if (usage.kind() != '{') {
            usage.validate();
            return 0;
        }
        JsonSkimmer details = usage.enter();
        long value = 0;
        while (details.next()) {
            if (details.keyIs(name)) {
                value = counter(details);
            } else {
                details.validate();
            }
        }
        return value;
    }

    /**
     * The error object that is {@code chunk}'s current value, or null if it is malformed. Checked
     * by the skimmer at its true depth, then parsed: error chunks are rare.
     */
    private static ErrorFields errorObject(byte[] json, JsonSkimmer chunk) {
        int start = chunk.valueStart();
        if (!chunk.validate()) {
            return null;
        }
        return errorFields(Json.PROVIDER.createObjectBuilder()
                .add("error", Json.parseObject(json, start, chunk.position() - start)).build());
    }

    /** The usage of a parsed usage object; the old parser-based readers in the tests map it the same way. */
    static Usage usage(JsonObject usage) {
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
}
