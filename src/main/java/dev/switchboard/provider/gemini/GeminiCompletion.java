package dev.switchboard.provider.gemini;

import dev.switchboard.chat.ChatJson;
import dev.switchboard.chat.Choice;
import dev.switchboard.chat.ToolCall;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.CompletionBody;
import dev.switchboard.provider.http.UpstreamErrors;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates a whole {@code generateContent} reply into a {@code chat.completion}
 * (docs/protocols/openai-to-gemini.md B5). Pure. Stateless.
 *
 * <ul>
 * <li>Every candidate is a choice, indexed by {@code candidate.index} (else its position).</li>
 * <li>Text parts are concatenated into {@code content} (null when there is none), thought parts
 *     into the non-standard {@code reasoning_content}, function calls become {@code tool_calls}
 *     with ids from {@link ToolCallIds} and the arguments as a JSON string.</li>
 * <li>{@code finish_reason} per {@link FinishReasons}; usage per {@link GeminiUsage}.</li>
 * <li>A prompt blocked by safety ({@code promptFeedback.blockReason}, no candidates) comes back
 *     as HTTP 200 with one choice per requested {@code n}, {@code content: null} and
 *     {@code finish_reason: "content_filter"} (LiteLLM's behaviour, B5.1): the signal OpenAI
 *     clients already handle, and the same as a stream can give after its 200 is sent. A reply
 *     with neither candidates nor a block reason is an upstream error, never an empty 200.</li>
 * <li>So is a reply in which no candidate holds text or a function call and one ended in a
 *     failure ({@link FinishReasons#FAILED}, e.g. MALFORMED_FUNCTION_CALL): a 502 naming the
 *     reason rather than a {@code stop} with {@code content: null} that looks like a normal
 *     empty answer.</li>
 * </ul>
 */
final class GeminiCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(GeminiCompletion.class);

    private GeminiCompletion() {
    }

    /**
     * @throws GatewayException the error Gemini reported in the body; a 502 when it holds neither
     *     candidates nor a block reason, or when no candidate holds content and one ended in a
     *     failure; a non-retryable 502 when it is not a readable
     *     GenerateContentResponse (a proxy's page sent with a 200, a truncated reply)
     */
    static CompletionBody translate(byte[] body, int length, ReplyContext context) {
        try {
            return read(Json.parseObject(body, 0, length), context);
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("unreadable reply from provider '{}': {}", context.providerId(), e.toString());
            throw new GatewayException(UpstreamErrors.unreadable(context.providerId(), "a reply"));
        }
    }

    private static CompletionBody read(JsonObject response, ReplyContext context) {
        JsonObject error = JsonFields.object(response, "error");
        if (error != null) {
            throw new GatewayException(GeminiErrors.reported(context.providerId(), error));
        }
        String responseId = JsonFields.string(response, GeminiNames.RESPONSE_ID);
        String key = responseId != null ? responseId : context.fallbackKey();
        List<Choice> choices = new ArrayList<>();
        JsonArray candidates = JsonFields.array(response, "candidates");
        if (candidates != null && !candidates.isEmpty()) {
            JsonObject failed = null;
            boolean anyContent = false;
            for (int position = 0; position < candidates.size(); position++) {
                JsonObject candidate = candidates.getJsonObject(position);
                Choice choice = choice(candidate, position, key);
                choices.add(choice);
                anyContent |= choice.content() != null || !choice.toolCalls().isEmpty();
                if (failed == null && FinishReasons.isFailure(JsonFields.string(candidate, GeminiNames.FINISH_REASON))) {
                    failed = candidate;
                }
            }
            if (!anyContent && failed != null) {
                throw new GatewayException(FinishReasons.emptyFailure(context.providerId(),
                        JsonFields.string(failed, GeminiNames.FINISH_REASON), JsonFields.string(failed, GeminiNames.FINISH_MESSAGE)));
            }
            choices.sort(Comparator.comparingInt(Choice::index));
        } else if (PromptFeedback.blockReason(response) != null) {
            for (int i = 0; i < context.choices(); i++) {
                choices.add(new Choice(i, null, null, List.of(), FinishReasons.CONTENT_FILTER));
            }
        } else {
            throw new GatewayException(ErrorKind.UPSTREAM_ERROR.error("Provider '" + context.providerId()
                    + "' answered without any candidate and without saying why."));
        }
        JsonObject usageMetadata = JsonFields.object(response, GeminiNames.USAGE_METADATA);
        Usage usage = usageMetadata == null ? null : GeminiUsage.from(usageMetadata);
        ChatJson json = new ChatJson(ReplyContext.completionId(key), context.created(), context.model(response), false);
        return new CompletionBody(json.completion(choices, usage == null ? Usage.NONE : usage), usage);
    }

    private static Choice choice(JsonObject candidate, int position, String key) {
        int index = (int) JsonFields.longValue(candidate, "index", position);
        StringBuilder text = new StringBuilder();
        StringBuilder thoughts = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        CandidateParts.read(candidate, new CandidateParts.Visitor() {
            @Override
            public void text(String part) {
                text.append(part);
            }

            @Override
            public void thought(String part) {
                thoughts.append(part);
            }

            @Override
            public void functionCall(String geminiId, String name, String arguments, String signature) {
                calls.add(new ToolCall(ToolCallIds.forCall(geminiId, key, index, calls.size(), signature), name, arguments));
            }
        });
        String finishReason = FinishReasons.map(JsonFields.string(candidate, GeminiNames.FINISH_REASON), !calls.isEmpty());
        return new Choice(index, text.isEmpty() ? null : text.toString(),
                thoughts.isEmpty() ? null : thoughts.toString(), calls, finishReason);
    }
}
