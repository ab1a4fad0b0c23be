package dev.switchboard.it;

import java.util.ArrayList;
import java.util.List;

/** OpenAI wire-format fragments as a provider sends them, for scripting the mock upstream. */
final class OpenAiWire {
    private OpenAiWire() {
    }

    static String completion(String model, String content) {
        return "{\"id\":\"chatcmpl-up1\",\"object\":\"chat.completion\",\"created\":1767225600,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content
                + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";
    }

    static String toolCallCompletion(String model) {
        return "{\"id\":\"chatcmpl-up2\",\"object\":\"chat.completion\",\"created\":1767225600,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":null,"
                + "\"tool_calls\":[{\"id\":\"call_a1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":9,\"total_tokens\":49}}";
    }

    static String chunk(String model, String deltaJson, String finishReason) {
        return "data: {\"id\":\"chatcmpl-up3\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"logprobs\":null,\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
    }

    /** A text stream: role chunk, one chunk per piece, finish chunk, [DONE]. */
    static List<String> textStream(String model, String... pieces) {
        List<String> events = new ArrayList<>();
        events.add(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String piece : pieces) {
            events.add(chunk(model, "{\"content\":\"" + piece + "\"}", null));
        }
        events.add(chunk(model, "{}", "stop"));
        events.add("data: [DONE]\n\n");
        return events;
    }

    /** The usage-only chunk OpenAI sends before [DONE] when the request asked for {@code include_usage}. */
    static String usageChunk(String model, long prompt, long completion) {
        return "data: {\"id\":\"chatcmpl-up3\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\""
                + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":"
                + completion + ",\"total_tokens\":" + (prompt + completion) + "}}\n\n";
    }

    static String error(String message, String type, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }
}
