package dev.switchboard.llm;

/**
 * Whether and which tools the model must call. Immutable.
 *
 * @param name the tool a {@link Mode#NAMED} choice forces, else null
 * @param parallel false when the client asked for at most one call per turn
 */
public record ToolChoice(Mode mode, String name, boolean parallel) {
    public enum Mode { AUTO, NONE, REQUIRED, NAMED }

    public static final ToolChoice DEFAULT = new ToolChoice(Mode.AUTO, null, true);
}
