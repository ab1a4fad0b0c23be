package dev.switchboard.config;

/** A configuration that cannot be used; the message names the offending field first. */
public final class ConfigException extends RuntimeException {
    private final String field;

    public ConfigException(String field, String message) {
        super(field == null ? message : field + ": " + message, null, false, false);
        this.field = field;
    }

    /** The field's path, such as {@code providers.openai.type}, or null for the file as a whole. */
    public String field() {
        return field;
    }
}
