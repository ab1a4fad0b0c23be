package dev.switchboard.llm;

/**
 * Whether and which tools the model must call. Immutable.
 *
 * @param name the tool a {@link Mode#NAMED} choice forces, else null
 * @param parallel false when the client asked for at most one call per turn
 * @param stated whether the client sent the choice, rather than leaving it to the default (an
 *     explicit {@code auto} goes on to a provider that has the field)
 */
public record ToolChoice(Mode mode, String name, boolean parallel, boolean stated) {
    public enum Mode { AUTO, NONE, REQUIRED, NAMED }

    public static final ToolChoice DEFAULT = new ToolChoice(Mode.AUTO, null, true, false);

    /** A choice the client sent. */
    public ToolChoice(Mode mode, String name, boolean parallel) {
        this(mode, name, parallel, true);
    }
}
