package dev.switchboard.provider.gemini;

import dev.switchboard.json.JsonFields;

/**
 * The multi-word members Switchboard reads from Gemini's replies, each accepted under both proto3
 * JSON spellings (docs/protocols/openai-to-gemini.md A1: the API sends lowerCamelCase, proto3 parsers must also
 * take snake_case, and some gateways and proxies send that). Built once, so that reading a member
 * never builds its other spelling. One-word members ({@code text}, {@code candidates} …) are
 * spelled the same both ways and are read by plain name. Shared and stateless.
 */
final class GeminiNames {
    static final JsonFields.Name RESPONSE_ID = JsonFields.Name.proto("responseId");
    static final JsonFields.Name MODEL_VERSION = JsonFields.Name.proto("modelVersion");
    static final JsonFields.Name USAGE_METADATA = JsonFields.Name.proto("usageMetadata");
    static final JsonFields.Name PROMPT_TOKEN_COUNT = JsonFields.Name.proto("promptTokenCount");
    static final JsonFields.Name CANDIDATES_TOKEN_COUNT = JsonFields.Name.proto("candidatesTokenCount");
    static final JsonFields.Name THOUGHTS_TOKEN_COUNT = JsonFields.Name.proto("thoughtsTokenCount");
    static final JsonFields.Name CACHED_CONTENT_TOKEN_COUNT = JsonFields.Name.proto("cachedContentTokenCount");
    static final JsonFields.Name TOOL_USE_PROMPT_TOKEN_COUNT = JsonFields.Name.proto("toolUsePromptTokenCount");
    static final JsonFields.Name FINISH_REASON = JsonFields.Name.proto("finishReason");
    static final JsonFields.Name FINISH_MESSAGE = JsonFields.Name.proto("finishMessage");
    static final JsonFields.Name FUNCTION_CALL = JsonFields.Name.proto("functionCall");
    static final JsonFields.Name THOUGHT_SIGNATURE = JsonFields.Name.proto("thoughtSignature");
    static final JsonFields.Name PROMPT_FEEDBACK = JsonFields.Name.proto("promptFeedback");
    static final JsonFields.Name BLOCK_REASON = JsonFields.Name.proto("blockReason");
    static final JsonFields.Name RETRY_DELAY = JsonFields.Name.proto("retryDelay");

    private GeminiNames() {
    }
}
