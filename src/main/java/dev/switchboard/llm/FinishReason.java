package dev.switchboard.llm;

/**
 * Why a reply (or one choice of it) ended, in one meaning whatever the provider said; each door
 * spells it its own way ({@code stop}/{@code end_turn}/{@code completed} …).
 */
public enum FinishReason {
    /** The model finished its answer, or met a stop sequence. */
    STOP,
    /** The output-token limit cut the answer short. */
    LENGTH,
    /** The model asks the client to run tools. */
    TOOL_CALLS,
    /** The provider withheld or refused the answer for policy reasons. */
    CONTENT_FILTER
}
