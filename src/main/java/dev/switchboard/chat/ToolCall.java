package dev.switchboard.chat;

/** One function call in an assistant reply; {@code arguments} is a JSON string, as in OpenAI's shape. */
public record ToolCall(String id, String name, String arguments) {
}
