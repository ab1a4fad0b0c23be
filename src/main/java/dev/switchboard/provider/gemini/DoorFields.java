package dev.switchboard.provider.gemini;

import dev.switchboard.llm.Protocol;

/**
 * The door's own names of the fields a Gemini 400 names where the internal model keeps no path
 * of its own: a tool result's call id, a tool's schema (after the tool's path), the response
 * schema and the reasoning effort, so that the client reads the field it sent. Immutable; one per door.
 *
 * @param callId the member of a tool result holding the call it answers
 * @param toolSchema the member of a tool (at its path) holding its JSON Schema
 * @param responseSchema the path of the JSON Schema the answer must follow
 * @param effort the path of the reasoning effort, which only this mapper reads into a level
 */
record DoorFields(String callId, String toolSchema, String responseSchema, String effort) {
    static final DoorFields CHAT = new DoorFields("tool_call_id", "parameters", "response_format.json_schema.schema",
            "reasoning_effort");
    static final DoorFields MESSAGES = new DoorFields("tool_use_id", "input_schema", "output_config.format.schema",
            "output_config.effort");
    static final DoorFields RESPONSES = new DoorFields("call_id", "parameters", "text.format.schema",
            "reasoning.effort");

    static DoorFields of(Protocol door) {
        return switch (door) {
            case MESSAGES -> MESSAGES;
            case RESPONSES -> RESPONSES;
            case CHAT, EMBEDDINGS -> CHAT;
        };
    }
}
