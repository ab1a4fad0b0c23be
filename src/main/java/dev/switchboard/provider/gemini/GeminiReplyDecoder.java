package dev.switchboard.provider.gemini;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.UpstreamErrors;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole {@code generateContent} reply as a reply in the internal model
 * (docs/protocols/openai-to-gemini.md B5; docs/architecture.md, "The internal model and the front
 * doors"), for any door's encoder. Pure; shared and stateless.
 *
 * <ul>
 * <li>Every candidate is a choice, in the order of {@code candidate.index} (else its position):
 *     the first is the reply's content, the others its {@link LlmResponse#alternatives}.</li>
 * <li>A candidate's parts become blocks in order, as its stream would
 *     ({@link GeminiStreamDecoder}): a run of text parts one text block, a run of thought parts
 *     one reasoning block, each function call a tool call with an id from {@link ToolCallIds} and
 *     the arguments as JSON text.</li>
 * <li>The finish reason per {@link FinishReasons}; usage per {@link GeminiUsage}.</li>
 * <li>A prompt blocked by safety ({@code promptFeedback.blockReason}, no candidates) comes back
 *     as a reply of one empty choice per requested choice, finished by
 *     {@link FinishReason#CONTENT_FILTER} (LiteLLM's behaviour, B5.1): the signal clients already
 *     handle, and the same as a stream can give after its 200 is sent. A reply with neither
 *     candidates nor a block reason is an upstream error, never an empty 200.</li>
 * <li>So is a reply in which no candidate holds text or a function call and one ended in a
 *     failure ({@link FinishReasons#FAILED}, e.g. MALFORMED_FUNCTION_CALL): a 502 naming the
 *     reason rather than an empty answer that looks like a normal one.</li>
 * </ul>
 */
final class GeminiReplyDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(GeminiReplyDecoder.class);

    /** One candidate as a choice, with its position among the candidates for ordering. */
    private record Candidate(int index, List<Content> content, FinishReason finish, boolean hasContent) {
    }

    private GeminiReplyDecoder() {
    }

    /**
     * @throws GatewayException the error Gemini reported in the body; a 502 when it holds neither
     *     candidates nor a block reason, or when no candidate holds content and one ended in a
     *     failure; a non-retryable 502 when it is not a readable
     *     GenerateContentResponse (a proxy's page sent with a 200, a truncated reply)
     */
    static LlmResponse decode(byte[] body, int length, ReplyContext context) {
        try {
            return read(Json.parseObject(body, 0, length), context);
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("unreadable reply from provider '{}': {}", context.providerId(), e.toString());
            throw new GatewayException(UpstreamErrors.unreadable(context.providerId(), "a reply"));
        }
    }

    private static LlmResponse read(JsonObject response, ReplyContext context) {
        JsonObject error = JsonFields.object(response, "error");
        if (error != null) {
            throw new GatewayException(GeminiErrors.reported(context.providerId(), error));
        }
        String responseId = JsonFields.string(response, GeminiNames.RESPONSE_ID);
        String key = responseId != null ? responseId : context.fallbackKey();
        List<Candidate> choices = new ArrayList<>();
        JsonArray candidates = JsonFields.array(response, "candidates");
        if (candidates != null && !candidates.isEmpty()) {
            JsonObject failed = null;
            boolean anyContent = false;
            for (int position = 0; position < candidates.size(); position++) {
                JsonObject candidate = candidates.getJsonObject(position);
                Candidate choice = candidate(candidate, position, key);
                choices.add(choice);
                anyContent |= choice.hasContent();
                if (failed == null && FinishReasons.isFailure(JsonFields.string(candidate, GeminiNames.FINISH_REASON))) {
                    failed = candidate;
                }
            }
            if (!anyContent && failed != null) {
                throw new GatewayException(FinishReasons.emptyFailure(context.providerId(),
                        JsonFields.string(failed, GeminiNames.FINISH_REASON), JsonFields.string(failed, GeminiNames.FINISH_MESSAGE)));
            }
            choices.sort(Comparator.comparingInt(Candidate::index));
        } else if (PromptFeedback.blockReason(response) != null) {
            for (int i = 0; i < context.choices(); i++) {
                choices.add(new Candidate(i, List.of(), FinishReason.CONTENT_FILTER, false));
            }
        } else {
            throw new GatewayException(ErrorKind.UPSTREAM_ERROR.error("Provider '" + context.providerId()
                    + "' answered without any candidate and without saying why."));
        }
        JsonObject usageMetadata = JsonFields.object(response, GeminiNames.USAGE_METADATA);
        Usage usage = usageMetadata == null ? null : GeminiUsage.from(usageMetadata);
        List<LlmResponse.Alternative> alternatives = new ArrayList<>();
        for (Candidate choice : choices.subList(1, choices.size())) {
            alternatives.add(new LlmResponse.Alternative(choice.content(), choice.finish()));
        }
        Candidate first = choices.get(0);
        return new LlmResponse(ReplyContext.completionId(key), context.model(response), first.content(), first.finish(),
                usage, alternatives);
    }

    private static Candidate candidate(JsonObject candidate, int position, String key) {
        int index = (int) JsonFields.longValue(candidate, "index", position);
        String path = "candidates[" + position + "].content.parts";
        List<Content> content = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        StringBuilder thoughts = new StringBuilder();
        int[] calls = {0};
        CandidateParts.read(candidate, new CandidateParts.Visitor() {
            @Override
            public void text(String part) {
                endThoughts();
                text.append(part);
            }

            @Override
            public void thought(String part) {
                endText();
                thoughts.append(part);
            }

            @Override
            public void functionCall(String geminiId, String name, String arguments, String signature) {
                endText();
                endThoughts();
                content.add(new Content.FunctionCall(ToolCallIds.forCall(geminiId, key, index, calls[0]++, signature),
                        name, arguments, path));
            }

            private void endText() {
                if (!text.isEmpty()) {
                    content.add(new Content.Text(text.toString(), null, path));
                    text.setLength(0);
                }
            }

            private void endThoughts() {
                if (!thoughts.isEmpty()) {
                    content.add(new Content.Reasoning(thoughts.toString(), null, null, path));
                    thoughts.setLength(0);
                }
            }
        });
        if (!text.isEmpty()) {
            content.add(new Content.Text(text.toString(), null, path));
        }
        if (!thoughts.isEmpty()) {
            content.add(new Content.Reasoning(thoughts.toString(), null, null, path));
        }
        boolean hasContent = calls[0] > 0 || content.stream().anyMatch(Content.Text.class::isInstance);
        return new Candidate(index, content,
                GeminiStreamDecoder.reason(JsonFields.string(candidate, GeminiNames.FINISH_REASON), calls[0] > 0),
                hasContent);
    }
}
