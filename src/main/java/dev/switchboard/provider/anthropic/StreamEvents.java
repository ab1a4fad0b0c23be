package dev.switchboard.provider.anthropic;

import dev.switchboard.json.Bytes;
import dev.switchboard.json.JsonFields;
import dev.switchboard.json.JsonScanner;
import jakarta.json.JsonObject;

/**
 * The fields {@link MessageStreamDecoder} reads from Anthropic's frequent stream events
 * (docs/protocols/anthropic-messages.md §6), two ways with one meaning: from the parsed object, or
 * scanned straight from the event's bytes ({@link JsonScanner}), which a stream of deltas pays
 * for far less often than a tree per event. A scan throws {@link JsonScanner.NotScanned} for what
 * it does not read, and the decoder then parses the event whole. Both read members as
 * {@link JsonFields} does: {@code null} or a value of another type is a missing member, and of
 * duplicate keys the last wins. Stateless.
 */
final class StreamEvents {
    /** A block's index when the event has none (no block has it, so the event is ignored). */
    static final int NO_INDEX = -1;

    private static final byte[] INDEX = Bytes.ascii("index");
    private static final byte[] DELTA = Bytes.ascii("delta");
    private static final byte[] TYPE = Bytes.ascii("type");
    private static final byte[] TEXT = Bytes.ascii("text");
    private static final byte[] THINKING = Bytes.ascii("thinking");
    private static final byte[] SIGNATURE = Bytes.ascii("signature");
    private static final byte[] PARTIAL_JSON = Bytes.ascii("partial_json");
    private static final byte[] STOP_REASON = Bytes.ascii("stop_reason");
    private static final byte[] USAGE = Bytes.ascii("usage");
    private static final byte[] MESSAGE = Bytes.ascii("message");
    private static final byte[] ID = Bytes.ascii("id");
    private static final byte[] MODEL = Bytes.ascii("model");
    private static final byte[] CONTENT_BLOCK = Bytes.ascii("content_block");
    private static final byte[] DATA = Bytes.ascii("data");
    private static final byte[] NAME = Bytes.ascii("name");

    /** A scanned {@code message_start}: its message's id and model, and its usage, null when missing. */
    record MessageStart(String id, String model, UsageTally.Counts usage) {
    }

    /**
     * A {@code content_block_start}: the block's index, and its content block's type ({@code null}
     * when it has none) and the fields the decoder reads of each kind.
     */
    record BlockStart(int index, String type, String text, String thinking, String signature, String data, String id,
                      String name) {
    }

    /**
     * A {@code content_block_delta}: the block's index and its delta's type and text fields, the
     * one its type names being the one used ({@code hasDelta} false when the delta is missing).
     */
    record BlockDelta(int index, boolean hasDelta, String type, String text, String thinking, String signature,
                      String partialJson) {
    }

    /** A scanned {@code message_delta}: its stop reason, and its usage, null when missing. */
    record MessageDelta(String stopReason, UsageTally.Counts usage) {
    }

    private StreamEvents() {
    }

    static MessageStart scanMessageStart(JsonScanner data) {
        String id = null;
        String model = null;
        UsageTally.Counts usage = null;
        data.beginObject();
        while (data.nextMember()) {
            if (data.keyIs(MESSAGE)) {
                id = model = null;
                usage = null;
                boolean isObject = data.beginObjectIfAny();
                while (isObject && data.nextMember()) {
                    if (data.keyIs(ID)) {
                        id = data.string();
                    } else if (data.keyIs(MODEL)) {
                        model = data.string();
                    } else if (data.keyIs(USAGE)) {
                        usage = UsageTally.Counts.scan(data);
                    } else {
                        data.skipValue();
                    }
                }
            } else {
                data.skipValue();
            }
        }
        data.end();
        return new MessageStart(id, model, usage);
    }

    static BlockStart blockStart(JsonObject data) {
        JsonObject block = JsonFields.object(data, "content_block");
        return new BlockStart(index(data), JsonFields.string(block, "type"), JsonFields.string(block, "text"),
                JsonFields.string(block, "thinking"), JsonFields.string(block, "signature"),
                JsonFields.string(block, "data"), JsonFields.string(block, "id"), JsonFields.string(block, "name"));
    }

    static BlockStart scanBlockStart(JsonScanner data) {
        int index = NO_INDEX;
        String type = null;
        String text = null;
        String thinking = null;
        String signature = null;
        String blockData = null;
        String id = null;
        String name = null;
        data.beginObject();
        while (data.nextMember()) {
            if (data.keyIs(INDEX)) {
                index = scanIndex(data);
            } else if (data.keyIs(CONTENT_BLOCK)) {
                type = text = thinking = signature = blockData = id = name = null;
                boolean isObject = data.beginObjectIfAny();
                while (isObject && data.nextMember()) {
                    if (data.keyIs(TYPE)) {
                        type = data.string();
                    } else if (data.keyIs(TEXT)) {
                        text = data.string();
                    } else if (data.keyIs(THINKING)) {
                        thinking = data.string();
                    } else if (data.keyIs(SIGNATURE)) {
                        signature = data.string();
                    } else if (data.keyIs(DATA)) {
                        blockData = data.string();
                    } else if (data.keyIs(ID)) {
                        id = data.string();
                    } else if (data.keyIs(NAME)) {
                        name = data.string();
                    } else {
                        data.skipValue();
                    }
                }
            } else {
                data.skipValue();
            }
        }
        data.end();
        return new BlockStart(index, type, text, thinking, signature, blockData, id, name);
    }

    static BlockDelta blockDelta(JsonObject data) {
        JsonObject delta = JsonFields.object(data, "delta");
        return new BlockDelta(index(data), delta != null, JsonFields.string(delta, "type"),
                JsonFields.string(delta, "text"), JsonFields.string(delta, "thinking"),
                JsonFields.string(delta, "signature"), JsonFields.string(delta, "partial_json"));
    }

    static BlockDelta scanBlockDelta(JsonScanner data) {
        int index = NO_INDEX;
        boolean hasDelta = false;
        String type = null;
        String text = null;
        String thinking = null;
        String signature = null;
        String partialJson = null;
        data.beginObject();
        while (data.nextMember()) {
            if (data.keyIs(INDEX)) {
                index = scanIndex(data);
            } else if (data.keyIs(DELTA)) {
                type = text = thinking = signature = partialJson = null;
                hasDelta = data.beginObjectIfAny();
                while (hasDelta && data.nextMember()) {
                    if (data.keyIs(TYPE)) {
                        type = data.string();
                    } else if (data.keyIs(TEXT)) {
                        text = data.string();
                    } else if (data.keyIs(THINKING)) {
                        thinking = data.string();
                    } else if (data.keyIs(SIGNATURE)) {
                        signature = data.string();
                    } else if (data.keyIs(PARTIAL_JSON)) {
                        partialJson = data.string();
                    } else {
                        data.skipValue();
                    }
                }
            } else {
                data.skipValue();
            }
        }
        data.end();
        return new BlockDelta(index, hasDelta, type, text, thinking, signature, partialJson);
    }

    /** A {@code content_block_stop}'s block index. */
    static int blockStop(JsonObject data) {
        return index(data);
    }

    static Integer scanBlockStop(JsonScanner data) {
        return scanIndexOnly(data);
    }

    private static int scanIndexOnly(JsonScanner data) {
        int index = NO_INDEX;
        data.beginObject();
        while (data.nextMember()) {
            if (data.keyIs(INDEX)) {
                index = scanIndex(data);
            } else {
                data.skipValue();
            }
        }
        data.end();
        return index;
    }

    /** A parsed {@code message_delta}'s stop reason; its usage is {@link UsageTally#update(JsonObject)}'s to read. */
    static String stopReason(JsonObject data) {
        return JsonFields.string(JsonFields.object(data, "delta"), "stop_reason");
    }

    static MessageDelta scanMessageDelta(JsonScanner data) {
        String stopReason = null;
        UsageTally.Counts usage = null;
        data.beginObject();
        while (data.nextMember()) {
            if (data.keyIs(DELTA)) {
                stopReason = null;
                boolean isObject = data.beginObjectIfAny();
                while (isObject && data.nextMember()) {
                    if (data.keyIs(STOP_REASON)) {
                        stopReason = data.string();
                    } else {
                        data.skipValue();
                    }
                }
            } else if (data.keyIs(USAGE)) {
                usage = UsageTally.Counts.scan(data);
            } else {
                data.skipValue();
            }
        }
        data.end();
        return new MessageDelta(stopReason, usage);
    }

    /** The {@code index} member of a block event, {@link #NO_INDEX} when missing. */
    static int index(JsonObject data) {
        return JsonFields.number(data, "index") == null ? NO_INDEX : JsonFields.number(data, "index").intValue();
    }

    /** An index as {@link #index(JsonObject)} reads it; one beyond an int is left to the tree. */
    private static int scanIndex(JsonScanner data) {
        return data.intValue(NO_INDEX);
    }
}
