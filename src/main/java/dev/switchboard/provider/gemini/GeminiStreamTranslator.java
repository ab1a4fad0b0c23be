package dev.switchboard.provider.gemini;

import dev.switchboard.chat.ChatJson;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Translates Gemini's {@code streamGenerateContent?alt=sse} stream into OpenAI chunks, event by
 * event (docs/protocols/openai-to-gemini.md A4, B7; docs/protocols/openai-chat.md §6.3–6.4). Per stream.
 *
 * <p>Each Gemini event is a whole GenerateContentResponse holding only the new parts; there are no
 * event names and no terminator. Per choice (candidate): a role chunk first; text → content
 * deltas; thought text → {@code reasoning_content} deltas; each {@code functionCall} part → one
 * complete tool-call delta (Gemini does not stream arguments, A4) with its own dense index counted
 * per choice across the whole stream (B7's index caution); the candidate's {@code finishReason} →
 * the choice's last chunk, {@code delta: {}}, mapped by {@link FinishReasons}. The latest
 * {@code usageMetadata} is kept for the usage chunk, which a client that set
 * {@code include_usage} always gets (zeros when Gemini reported none). Every chunk names the model
 * the first event reports ({@code modelVersion}), else the configured upstream model. A prompt
 * block (no candidates) finishes one choice per requested {@code n} with {@code content_filter},
 * as {@link GeminiCompletion} does. An
 * {@code error} object in an event, or in bare JSON lines outside any event ({@link #onOtherLine}),
 * ends the stream with that error, mapped by {@link GeminiErrors}. A candidate that ends in a
 * failure ({@link FinishReasons#FAILED}, e.g. MALFORMED_FUNCTION_CALL) before any choice sent
 * text or a tool call ends the stream with {@link FinishReasons#emptyFailure}, as the whole reply
 * would be a 502 ({@link GeminiCompletion}), rather than with an empty {@code stop}.
 */
final class GeminiStreamTranslator implements StreamTranslator {
    /** Where one choice stands. */
    private static final class ChoiceState {
        int toolCalls;
        boolean finished;
    }

    private final ReplyContext context;
    private final Map<Integer, ChoiceState> choices = new TreeMap<>();
    private final BareJson bareJson = new BareJson();
    private ChatJson json;
    private String responseKey;
    private Usage usage;
    private boolean promptBlocked;
    /** Whether any choice has sent text or a tool call yet. */
    private boolean anyContent;
    /** Whether the reply is over: see {@link #isFinished()}. */
    private boolean finished;

    GeminiStreamTranslator(ReplyContext context) {
        this.context = context;
    }

    @Override
    public void onEvent(SseEvent event, Consumer<SseEvent> out) {
        if (event.isDone()) {
            // Gemini sends no terminator; tolerate a proxy in between that adds OpenAI's.
            return;
        }
        JsonObject response = Json.parseObject(event.data());
        JsonObject error = JsonFields.object(response, "error");
        if (error != null) {
            throw new GatewayException(GeminiErrors.reported(context.providerId(), error));
        }
        if (json == null) {
            String responseId = JsonFields.string(response, GeminiNames.RESPONSE_ID);
            responseKey = responseId != null ? responseId : context.fallbackKey();
            json = new ChatJson(ReplyContext.completionId(responseKey), context.created(), context.model(response),
                    context.includeUsage());
        }
        JsonObject usageMetadata = JsonFields.object(response, GeminiNames.USAGE_METADATA);
        if (usageMetadata != null) {
            // Usage is repeated on events; the last one seen is the reply's (A4).
            usage = GeminiUsage.from(usageMetadata);
        }
        JsonArray candidates = JsonFields.array(response, "candidates");
        if (candidates != null && !candidates.isEmpty()) {
            for (int position = 0; position < candidates.size(); position++) {
                candidate(candidates.getJsonObject(position), position, out);
            }
        } else if (choices.isEmpty() && PromptFeedback.blockReason(response) != null) {
            for (int index = 0; index < context.choices(); index++) {
                out.accept(SseEvent.of(json.roleChunk(index)));
                out.accept(SseEvent.of(json.finishChunk(index, FinishReasons.CONTENT_FILTER)));
            }
            promptBlocked = true;
        }
        finished |= usageMetadata != null && (promptBlocked || allRequestedChoicesFinished());
    }

    /** Whether as many choices as the client asked for have their finishReason. */
    private boolean allRequestedChoicesFinished() {
        int done = 0;
        for (ChoiceState choice : choices.values()) {
            done += choice.finished ? 1 : 0;
        }
        return done >= context.choices();
    }

    /**
     * Gemini reports a failure after the stream started as a bare (non-{@code data:}) JSON error
     * object over several lines (A4): reassembled, it ends the stream with that error, mapped by
     * {@link GeminiErrors} as an in-stream error. Anything else that is not SSE is ignored.
     */
    @Override
    public void onOtherLine(byte[] line, int offset, int length) {
        String json = bareJson.add(line, offset, length);
        if (json == null) {
            return;
        }
        JsonValue value;
        try (JsonReader reader = Json.PROVIDER.createReader(new StringReader(json))) {
            value = reader.readValue();
        } catch (RuntimeException notJson) {
            return;
        }
        if (value instanceof JsonArray array && !array.isEmpty()) {
            // The same error wrapped in an array, as streamGenerateContent without alt=sse sends it (A1).
            value = array.get(0);
        }
        JsonObject error = value instanceof JsonObject object ? JsonFields.object(object, "error") : null;
        if (error != null) {
            throw new GatewayException(GeminiErrors.reported(context.providerId(), error));
        }
    }

    private void candidate(JsonObject candidate, int position, Consumer<SseEvent> out) {
        int index = (int) JsonFields.longValue(candidate, "index", position);
        ChoiceState state = choices.get(index);
        if (state == null) {
            state = new ChoiceState();
            choices.put(index, state);
            out.accept(SseEvent.of(json.roleChunk(index)));
        }
        if (state.finished) {
            return;
        }
        ChoiceState choice = state;
        CandidateParts.read(candidate, new CandidateParts.Visitor() {
            @Override
            public void text(String text) {
                anyContent = true;
                out.accept(SseEvent.of(json.contentChunk(index, text)));
            }

            @Override
            public void thought(String text) {
                out.accept(SseEvent.of(json.reasoningChunk(index, text)));
            }

            @Override
            public void functionCall(String geminiId, String name, String arguments, String signature) {
                anyContent = true;
                String id = ToolCallIds.forCall(geminiId, responseKey, index, choice.toolCalls, signature);
                out.accept(SseEvent.of(json.toolCallStartChunk(index, choice.toolCalls++, id, name, arguments)));
            }
        });
        String finishReason = JsonFields.string(candidate, GeminiNames.FINISH_REASON);
        if (finishReason != null) {
            if (!anyContent && FinishReasons.isFailure(finishReason)) {
                throw new GatewayException(FinishReasons.emptyFailure(context.providerId(), finishReason,
                        JsonFields.string(candidate, GeminiNames.FINISH_MESSAGE)));
            }
            choice.finished = true;
            out.accept(SseEvent.of(json.finishChunk(index, FinishReasons.map(finishReason, choice.toolCalls > 0))));
        }
    }

    @Override
    public boolean isComplete() {
        if (promptBlocked) {
            return true;
        }
        if (choices.isEmpty()) {
            return false;
        }
        for (ChoiceState choice : choices.values()) {
            if (!choice.finished) {
                return false;
            }
        }
        return true;
    }

    /**
     * Gemini has no terminator (A4): its last event is the one where the last candidate gets its
     * {@code finishReason}, and carries the reply's {@code usageMetadata}. So the reply is over
     * once every requested choice has finished (or the prompt was blocked) in or before an event
     * that reports usage: usage may still be coming while the finishing event lacks it, and the
     * stream then ends with the body as before. Fewer candidates than requested also wait for
     * the body.
     */
    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public Usage finish(Consumer<SseEvent> out) {
        if (context.includeUsage() && json != null) {
            // The client asked for the usage chunk: it gets one even when Gemini reported no
            // usage, with zeros, as the Anthropic connector does; the gateway's own accounting
            // still learns that the usage is unknown.
            out.accept(SseEvent.of(json.usageChunk(usage == null ? Usage.NONE : usage)));
        }
        return usage;
    }
}
