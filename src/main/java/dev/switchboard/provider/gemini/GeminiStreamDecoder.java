package dev.switchboard.provider.gemini;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.json.JsonFields;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.EventDecoder;
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
 * Decodes Gemini's {@code streamGenerateContent?alt=sse} stream into internal-model events
 * (docs/protocols/openai-to-gemini.md A4, B7; docs/architecture.md, "The internal model and the
 * front doors"), for any door's encoder. Per stream.
 *
 * <p>Each Gemini event is a whole GenerateContentResponse holding only the new parts, without
 * event names or a terminator. Per candidate (a choice): a run of text parts is one text block, a
 * run of thought parts one reasoning block, each {@code functionCall} part one tool-call block that
 * starts with its whole arguments (Gemini does not stream them, A4) and stops at once; the
 * candidate's {@code finishReason} closes the open block and finishes the choice
 * ({@link FinishReasons}). The latest {@code usageMetadata} is the reply's. A blocked prompt (no
 * candidates) finishes every requested choice with {@link FinishReason#CONTENT_FILTER}, as
 * {@link GeminiReplyDecoder} does. An {@code error} object in an event, or in bare JSON lines
 * outside any event ({@link #onOtherLine}), ends the stream with that error, mapped by
 * {@link GeminiErrors}. A candidate that ends in a failure ({@link FinishReasons#FAILED}, e.g.
 * MALFORMED_FUNCTION_CALL) before any choice sent text or a tool call ends the stream with
 * {@link FinishReasons#emptyFailure}, as the whole reply would be a 502, rather than with an empty
 * stop. The reply is over ({@link #isFinished}) once every requested choice has finished, or the
 * prompt was blocked, in or before an event that reports usage: Gemini has no terminator.
 */
final class GeminiStreamDecoder implements EventDecoder {
    /** Where one choice stands. */
    private static final class ChoiceState {
        int toolCalls;
        int nextBlock;
        /** The open text or reasoning block, or -1. */
        int open = -1;
        LlmEvent.BlockType openType;
        boolean finished;
    }

    private final ReplyContext context;
    private final Map<Integer, ChoiceState> choices = new TreeMap<>();
    private final BareJson bareJson = new BareJson();
    private boolean started;
    private String responseKey;
    private Usage usage;
    private boolean promptBlocked;
    private boolean anyContent;
    private boolean finished;

    GeminiStreamDecoder(ReplyContext context) {
        this.context = context;
    }

    @Override
    public void onEvent(SseEvent event, Consumer<LlmEvent> out) {
        if (event.isDone()) {
            // Gemini sends no terminator; tolerate a proxy in between that adds OpenAI's.
            return;
        }
        JsonObject response = Json.parseObject(event.data());
        JsonObject error = JsonFields.object(response, "error");
        if (error != null) {
            throw new GatewayException(GeminiErrors.reported(context.providerId(), error));
        }
        if (!started) {
            started = true;
            String responseId = JsonFields.string(response, GeminiNames.RESPONSE_ID);
            responseKey = responseId != null ? responseId : context.fallbackKey();
            out.accept(new LlmEvent.Start(ReplyContext.completionId(responseKey), context.model(response)));
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
                out.accept(new LlmEvent.Finish(index, FinishReason.CONTENT_FILTER));
            }
            promptBlocked = true;
        }
        finished |= usageMetadata != null && (promptBlocked || allRequestedChoicesFinished());
    }

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

    private void candidate(JsonObject candidate, int position, Consumer<LlmEvent> out) {
        int index = (int) JsonFields.longValue(candidate, "index", position);
        ChoiceState choice = choices.computeIfAbsent(index, i -> new ChoiceState());
        if (choice.finished) {
            return;
        }
        CandidateParts.read(candidate, new CandidateParts.Visitor() {
            @Override
            public void text(String text) {
                anyContent = true;
                out.accept(new LlmEvent.TextDelta(index, open(choice, index, LlmEvent.BlockType.TEXT, out), text));
            }

            @Override
            public void thought(String text) {
                out.accept(new LlmEvent.ReasoningDelta(index, open(choice, index, LlmEvent.BlockType.REASONING, out), text));
            }

            @Override
            public void functionCall(String geminiId, String name, String arguments, String signature) {
                anyContent = true;
                close(choice, index, out);
                String id = ToolCallIds.forCall(geminiId, responseKey, index, choice.toolCalls++, signature);
                int block = choice.nextBlock++;
                out.accept(new LlmEvent.BlockStart(index, block, LlmEvent.BlockType.TOOL_CALL, id, name, arguments));
                out.accept(new LlmEvent.BlockStop(index, block));
            }
        });
        String finishReason = JsonFields.string(candidate, GeminiNames.FINISH_REASON);
        if (finishReason != null) {
            if (!anyContent && FinishReasons.isFailure(finishReason)) {
                throw new GatewayException(FinishReasons.emptyFailure(context.providerId(), finishReason,
                        JsonFields.string(candidate, GeminiNames.FINISH_MESSAGE)));
            }
            close(choice, index, out);
            choice.finished = true;
            out.accept(new LlmEvent.Finish(index, reason(finishReason, choice.toolCalls > 0)));
        }
    }

    /** The choice's open block of {@code type}, started when another (or none) is open. */
    private static int open(ChoiceState choice, int index, LlmEvent.BlockType type, Consumer<LlmEvent> out) {
        if (choice.open >= 0 && choice.openType == type) {
            return choice.open;
        }
        close(choice, index, out);
        choice.open = choice.nextBlock++;
        choice.openType = type;
        out.accept(new LlmEvent.BlockStart(index, choice.open, type, null, null, ""));
        return choice.open;
    }

    private static void close(ChoiceState choice, int index, Consumer<LlmEvent> out) {
        if (choice.open >= 0) {
            out.accept(new LlmEvent.BlockStop(index, choice.open));
            choice.open = -1;
        }
    }

    /** Gemini's reason in the internal model's terms ({@link FinishReasons#map}'s table). */
    static FinishReason reason(String geminiReason, boolean hasToolCalls) {
        return switch (FinishReasons.map(geminiReason, hasToolCalls)) {
            case FinishReasons.LENGTH -> FinishReason.LENGTH;
            case FinishReasons.CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            case FinishReasons.TOOL_CALLS -> FinishReason.TOOL_CALLS;
            default -> FinishReason.STOP;
        };
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

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public Usage finish(Consumer<LlmEvent> out) {
        for (Map.Entry<Integer, ChoiceState> entry : choices.entrySet()) {
            close(entry.getValue(), entry.getKey(), out);
        }
        return usage;
    }
}
