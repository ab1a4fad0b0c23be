package dev.switchboard.web;

import java.util.Arrays;

/**
 * The data of a stream's sampled events (web.StreamEstimate), packed into one byte array that
 * grows as they come: each event is kept as the bytes that differ from the event before it, since
 * the events of one stream differ in a few bytes of text amid the same framing ({@code id},
 * {@code model}, …), and gives back the exact bytes it was given. An event of OpenAI's chat stream
 * keeps about 20 bytes instead of 200 and two objects. Per stream; not thread-safe (its owner
 * locks).
 */
final class EventSample {
    /** Bytes the array starts with, when the first event comes: a dozen short events. */
    static final int INITIAL_CAPACITY = 256;
    private static final byte[] NONE = new byte[0];

    private byte[] packed = NONE;
    private int length;
    private int events;
    /** The data of the last event added: the next one is kept as what differs from it. */
    private byte[] last = NONE;

    /** Adds one event's data (not copied if kept as is: nobody writes to it after dispatch). */
    void add(byte[] data) {
        int prefix = Arrays.mismatch(last, data);
        if (prefix < 0) {
            prefix = data.length;
        }
        int room = Math.min(last.length, data.length) - prefix;
        int suffix = 0;
        while (suffix < room && last[last.length - 1 - suffix] == data[data.length - 1 - suffix]) {
            suffix++;
        }
        int middle = data.length - prefix - suffix;
        ensure(3 * 5 + middle);
        putVarint(prefix);
        putVarint(suffix);
        putVarint(middle);
        System.arraycopy(data, prefix, packed, length, middle);
        length += middle;
        events++;
        last = data;
    }

    /** How many events it holds. */
    int size() {
        return events;
    }

    /** Bytes of the array that holds them, for tests and the footprint benchmark. */
    int capacity() {
        return packed.length;
    }

    /** Every event's data, in the order they were added. */
    byte[][] events() {
        byte[][] out = new byte[events][];
        byte[] previous = NONE;
        int[] at = {0};
        for (int i = 0; i < events; i++) {
            int prefix = varint(at);
            int suffix = varint(at);
            int middle = varint(at);
            byte[] data = new byte[prefix + middle + suffix];
            System.arraycopy(previous, 0, data, 0, prefix);
            System.arraycopy(packed, at[0], data, prefix, middle);
            System.arraycopy(previous, previous.length - suffix, data, prefix + middle, suffix);
            at[0] += middle;
            out[i] = data;
            previous = data;
        }
        return out;
    }

    /** Empties it, keeping nothing. */
    void clear() {
        packed = NONE;
        length = 0;
        events = 0;
        last = NONE;
    }

    private void ensure(int more) {
        if (length + more > packed.length) {
            packed = Arrays.copyOf(packed, Math.max(INITIAL_CAPACITY, Math.max(length + more, packed.length * 2)));
        }
    }

    private void putVarint(int value) {
        while (value >= 0x80) {
            packed[length++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        packed[length++] = (byte) value;
    }

    private int varint(int[] at) {
        int value = 0;
        for (int shift = 0;; shift += 7) {
            byte b = packed[at[0]++];
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}
