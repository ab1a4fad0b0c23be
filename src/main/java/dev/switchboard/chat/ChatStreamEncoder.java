package dev.switchboard.chat;

import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.StreamEncoder;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Internal-model events as {@code chat.completion.chunk}s (docs/protocols/openai-chat.md §6.3),
 * never holding text back: the role chunk of choice 0 at the start (of another choice at its
 * first event), a chunk per delta, tool calls numbered 0, 1, 2 … per choice over tool calls only,
 * a tool call that streamed no arguments completed with {@code "{}"} at its stop, the finish
 * reason per choice, and the usage-only chunk at the end when the client asked for it. Reasoning
 * goes out as the non-standard {@code reasoning_content}; signatures have no Chat field. Per
 * stream.
 */
final class ChatStreamEncoder implements StreamEncoder {
    private static final String EMPTY_ARGUMENTS = "{}";

    /** A tool-call block: its number among the choice's calls, and whether arguments went out. */
    private static final class Call {
        final int number;
        boolean argumentsSent;

        Call(int number) {
            this.number = number;
        }
    }

    private final long created;
    private final boolean includeUsage;
    private final Set<Integer> started = new HashSet<>();
    private final Map<Long, Call> calls = new HashMap<>();
    private final Map<Integer, Integer> callCounts = new HashMap<>();
    private ChatJson json;
    /** The choice whose role chunk went out last: every delta asks, and nearly all are choice 0's. */
    private int lastStartedChoice = -1;

    ChatStreamEncoder(long created, boolean includeUsage) {
        this.created = created;
        this.includeUsage = includeUsage;
    }

    @Override
    public void onEvent(LlmEvent event, Consumer<SseEvent> out) {
        if (event instanceof LlmEvent.Start start) {
            json = new ChatJson(start.id(), created, start.model(), includeUsage);
            choice(0, out);
        } else if (event instanceof LlmEvent.BlockStart block) {
            choice(block.choice(), out);
            if (block.type() == LlmEvent.BlockType.TOOL_CALL) {
                int number = callCounts.merge(block.choice(), 1, Integer::sum) - 1;
                Call call = new Call(number);
                call.argumentsSent = !block.arguments().isEmpty();
                calls.put(key(block.choice(), block.index()), call);
                out.accept(SseEvent.of(json.toolCallStartChunk(block.choice(), number, block.callId(), block.name(),
                        block.arguments())));
            }
        } else if (event instanceof LlmEvent.TextDelta delta && !delta.text().isEmpty()) {
            choice(delta.choice(), out);
            out.accept(SseEvent.of(json.contentChunk(delta.choice(), delta.text())));
        } else if (event instanceof LlmEvent.ReasoningDelta delta && !delta.text().isEmpty()) {
            choice(delta.choice(), out);
            out.accept(SseEvent.of(json.reasoningChunk(delta.choice(), delta.text())));
        } else if (event instanceof LlmEvent.ArgumentsDelta delta && !delta.fragment().isEmpty()) {
            Call call = calls.get(key(delta.choice(), delta.index()));
            if (call != null) {
                call.argumentsSent = true;
                out.accept(SseEvent.of(json.toolCallArgumentsChunk(delta.choice(), call.number, delta.fragment())));
            }
        } else if (event instanceof LlmEvent.BlockStop stop) {
            Call call = calls.get(key(stop.choice(), stop.index()));
            if (call != null && !call.argumentsSent) {
                // A call without arguments may stream none; the client still needs valid JSON.
                call.argumentsSent = true;
                out.accept(SseEvent.of(json.toolCallArgumentsChunk(stop.choice(), call.number, EMPTY_ARGUMENTS)));
            }
        } else if (event instanceof LlmEvent.Finish finish) {
            choice(finish.choice(), out);
            out.accept(SseEvent.of(json.finishChunk(finish.choice(), ChatFormat.finishReason(finish.reason()))));
        }
    }

    /** The role chunk that opens a choice, once. */
    private void choice(int choice, Consumer<SseEvent> out) {
        if (json == null || choice == lastStartedChoice) {
            return;
        }
        if (started.add(choice)) {
            out.accept(SseEvent.of(json.roleChunk(choice)));
        }
        lastStartedChoice = choice;
    }

    private static long key(int choice, int index) {
        return ((long) choice << 32) | (index & 0xFFFFFFFFL);
    }

    @Override
    public void finish(Usage usage, Consumer<SseEvent> out) {
        if (includeUsage && json != null) {
            out.accept(SseEvent.of(json.usageChunk(usage == null ? Usage.NONE : usage)));
        }
    }
}
