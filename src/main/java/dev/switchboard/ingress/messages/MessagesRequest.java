package dev.switchboard.ingress.messages;

import dev.switchboard.llm.BodyCheck;
import dev.switchboard.llm.BodyCheck.Kind;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Protocol;
import dev.switchboard.llm.RawBody;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A client's {@code POST /v1/messages} (or {@code /v1/messages/count_tokens}) body after
 * validation (docs/protocols/anthropic-messages-ingress.md §3, §4.2): the bytes an Anthropic
 * provider gets back unchanged but for the model, the parsed tree a translation reads, and the
 * {@code anthropic-beta} header passed on with it. Only structure and the types of the fields
 * Anthropic defines are checked; values and unknown fields are the provider's to judge, since
 * Anthropic adds both with its betas. Immutable; one per request.
 */
public final class MessagesRequest implements ClientRequest {
    /** Anthropic's header switching beta features on; forwarded verbatim to Anthropic providers. */
    public static final String BETA_HEADER = "anthropic-beta";

    static final Set<String> ROLES = Set.of("user", "assistant");
    private static final Map<String, Kind> FIELD_TYPES = Map.ofEntries(
            Map.entry("max_tokens", Kind.INTEGER),
            Map.entry("stream", Kind.BOOLEAN),
            Map.entry("system", Kind.STRING_OR_ARRAY),
            Map.entry("tools", Kind.ARRAY),
            Map.entry("tool_choice", Kind.OBJECT),
            Map.entry("temperature", Kind.NUMBER),
            Map.entry("top_p", Kind.NUMBER),
            Map.entry("top_k", Kind.INTEGER),
            Map.entry("stop_sequences", Kind.ARRAY),
            Map.entry("metadata", Kind.OBJECT),
            Map.entry("thinking", Kind.OBJECT),
            Map.entry("output_config", Kind.OBJECT));

    private final RawBody body;
    private final String model;
    private final boolean stream;
    private final boolean countTokens;
    private final String beta;
    private LlmRequest llmRequest;

    private MessagesRequest(RawBody body, String model, boolean stream, boolean countTokens, String beta) {
        this.body = body;
        this.model = model;
        this.stream = stream;
        this.countTokens = countTokens;
        this.beta = beta;
    }

    /**
     * @param countTokens whether it came to {@code count_tokens}, which takes no {@code max_tokens}
     *     and never streams
     * @param beta the client's {@code anthropic-beta} header, or null
     * @throws dev.switchboard.error.GatewayException (400) naming the field at fault
     */
    public static MessagesRequest parse(byte[] bytes, int length, boolean countTokens, String beta) {
        JsonObject json = BodyCheck.object(bytes, length);
        String model = BodyCheck.model(json);
        for (Map.Entry<String, JsonValue> field : json.entrySet()) {
            Kind kind = FIELD_TYPES.get(field.getKey());
            if (kind != null) {
                BodyCheck.type(field.getKey(), field.getValue(), kind);
            }
        }
        messages(json.get("messages"));
        if (!countTokens) {
            BodyCheck.required(json, "max_tokens", Kind.INTEGER, "max_tokens");
        }
        BodyCheck.objects(json.get("tools"), "tools");
        BodyCheck.strings(json.get("stop_sequences"), "stop_sequences");
        if (json.get("system") instanceof JsonArray system) {
            blocks(system, "system");
        }
        boolean stream = !countTokens && json.get("stream") == JsonValue.TRUE;
        return new MessagesRequest(new RawBody(bytes, length, json), model, stream, countTokens, beta);
    }

    private static void messages(JsonValue value) {
        if (!(value instanceof JsonArray messages)) {
            throw BodyCheck.invalid("messages", "'messages' must be an array of message objects, but it is "
                    + dev.switchboard.json.Json.typeName(value) + ".");
        }
        for (int i = 0; i < messages.size(); i++) {
            String path = "messages[" + i + "]";
            if (!(messages.get(i) instanceof JsonObject message)) {
                throw BodyCheck.invalid(path, "'" + path + "' must be a message object.");
            }
            JsonValue role = message.get("role");
            if (!(role instanceof JsonString name) || !ROLES.contains(name.getString())) {
                throw BodyCheck.invalid(path + ".role", "'" + path + ".role' must be user or assistant.");
            }
            JsonValue content = BodyCheck.required(message, "content", Kind.STRING_OR_ARRAY, path + ".content");
            if (content instanceof JsonArray parts) {
                blocks(parts, path + ".content");
            }
        }
    }

    /** Content blocks: objects with a string {@code type}. */
    private static void blocks(JsonArray blocks, String path) {
        for (int i = 0; i < blocks.size(); i++) {
            String blockPath = path + "[" + i + "]";
            if (!(blocks.get(i) instanceof JsonObject block) || !(block.get("type") instanceof JsonString)) {
                throw BodyCheck.invalid(blockPath, "'" + blockPath + "' must be a content block object with a string 'type'.");
            }
        }
    }

    @Override
    public Protocol protocol() {
        return Protocol.MESSAGES;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    @Override
    public boolean countTokens() {
        return countTokens;
    }

    @Override
    public JsonObject json() {
        return body.json();
    }

    @Override
    public int bodyLength() {
        return body.length();
    }

    @Override
    public byte[] bodyWithModel(String upstreamModel) {
        return body.withModel(model, upstreamModel);
    }

    @Override
    public synchronized LlmRequest llmRequest() {
        if (llmRequest == null) {
            llmRequest = MessagesToLlm.map(body.json(), model, stream);
        }
        return llmRequest;
    }

    @Override
    public ClientFormat format() {
        return MessagesFormat.INSTANCE;
    }

    @Override
    public String forwardedHeader(String name) {
        return BETA_HEADER.equals(name.toLowerCase(Locale.ROOT)) ? beta : null;
    }
}
