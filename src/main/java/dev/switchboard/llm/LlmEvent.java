package dev.switchboard.llm;

/**
 * One event of a streamed reply in the internal model (docs/architecture.md, "The internal model
 * and the front doors"): a decoder makes them from its provider's events, a door's
 * {@link StreamEncoder} turns them into its own. Blocks are numbered per choice from 0, in the
 * order they start; a block's deltas come between its start and its stop. Immutable.
 */
public sealed interface LlmEvent {
    /** What a block holds. */
    enum BlockType { TEXT, REASONING, TOOL_CALL }

    /** The reply began: its id and the model that answers. Always first. */
    record Start(String id, String model) implements LlmEvent {
    }

    /**
     * A block began.
     *
     * @param callId a tool call's id, else null
     * @param name a tool call's function name, else null
     * @param arguments a tool call's arguments as far as they came with its start (Gemini sends
     *     them whole), else ""
     */
    record BlockStart(int choice, int index, BlockType type, String callId, String name, String arguments)
            implements LlmEvent {
    }

    record TextDelta(int choice, int index, String text) implements LlmEvent {
    }

    record ReasoningDelta(int choice, int index, String text) implements LlmEvent {
    }

    /**
     * The signature that lets a provider check its own reasoning when it comes back, and the
     * provider type it is good for.
     */
    record SignatureDelta(int choice, int index, String signature, String origin) implements LlmEvent {
    }

    /** More of a tool call's arguments (JSON text, to be appended). */
    record ArgumentsDelta(int choice, int index, String fragment) implements LlmEvent {
    }

    record BlockStop(int choice, int index) implements LlmEvent {
    }

    /** One choice is complete. The usage of the whole reply comes with the encoder's finish. */
    record Finish(int choice, FinishReason reason) implements LlmEvent {
    }
}
