package dev.switchboard.json;

/** A body that is not the JSON it should be; the message is safe to show to the sender. */
public final class JsonSyntaxException extends RuntimeException {
    public JsonSyntaxException(String message) {
        super(message, null, false, false);
    }
}
