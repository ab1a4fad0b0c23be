package dev.switchboard.provider.mapping;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the tokens of a text by OpenAI's {@code o200k_base}, as jtokkit's
 * {@code countTokensOrdinary} does (the same pre-tokenizer pattern, the same ranks, read from
 * jtokkit's own {@code o200k_base.tiktoken}, and tiktoken's byte-pair merge), with the 200,000
 * ranks packed in three arrays: about 4 MB of heap where jtokkit's encoder and decoder maps hold
 * 31 MB in 415,000 objects, kept for the life of the application once a count has needed them
 * (docs/spend.md, "Streams"). Counting only: it never encodes or decodes. Shared, immutable.
 */
final class O200kCounter {
    /** jtokkit's {@code o200k_base} pre-tokenizer, joined and compiled as jtokkit does it. */
    private static final Pattern PIECES = Pattern.compile(String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+"), Pattern.UNICODE_CHARACTER_CLASS);
    private static final String RANKS = "/com/knuddels/jtokkit/o200k_base.tiktoken";
    /** Ranks in the file: o200k_base's 199,998, and room to spare. */
    private static final int CAPACITY = 200_000;
    private static final int NONE = Integer.MAX_VALUE;

    /** Every token's bytes, by rank, one after the other. */
    private final byte[] bytes;
    /** Where each rank's bytes start in {@link #bytes}; one more entry marks the end of the last. */
    private final int[] starts;
    /** Open addressing by the bytes' hash: a rank plus one, 0 for an empty slot. */
    private final int[] slots;
    private final int mask;

    private O200kCounter(byte[] bytes, int[] starts, int ranks) {
        this.bytes = bytes;
        this.starts = starts;
        int size = Integer.highestOneBit(ranks * 2 - 1) << 1;
        this.slots = new int[size];
        this.mask = size - 1;
        for (int rank = 0; rank < ranks; rank++) {
            int slot = hash(bytes, starts[rank], starts[rank + 1]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = rank + 1;
        }
    }

    /** Reads jtokkit's rank file: a token's bytes in base64 and its rank on each line, ranks in order. */
    static O200kCounter load() {
        byte[] packed = new byte[CAPACITY * 8];
        int[] starts = new int[CAPACITY + 1];
        int ranks = 0;
        int length = 0;
        Base64.Decoder base64 = Base64.getDecoder();
        try (InputStream in = O200kCounter.class.getResourceAsStream(RANKS)) {
            if (in == null) {
                throw new IllegalStateException(RANKS + " is not on the class path");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                if (Integer.parseInt(line, space + 1, line.length(), 10) != ranks) {
                    throw new IllegalStateException(RANKS + ": ranks out of order at " + ranks);
                }
                byte[] token = base64.decode(line.substring(0, space));
                if (length + token.length > packed.length) {
                    packed = Arrays.copyOf(packed, packed.length * 2);
                }
                System.arraycopy(token, 0, packed, length, token.length);
                length += token.length;
                starts[++ranks] = length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new O200kCounter(Arrays.copyOf(packed, length), Arrays.copyOf(starts, ranks + 1), ranks);
    }

    /** Bytes of heap its table takes. */
    long tableBytes() {
        return bytes.length + 4L * starts.length + 4L * slots.length;
    }

    /** The tokens of {@code text}, as {@code Encoding.countTokensOrdinary}. */
    int count(String text) {
        int count = 0;
        Matcher pieces = PIECES.matcher(text);
        while (pieces.find()) {
            count += count(pieces.group().getBytes(StandardCharsets.UTF_8));
        }
        return count;
    }

    /**
     * One piece's tokens: 1 if it is a token, else tiktoken's byte-pair merge: the adjacent pair of
     * parts whose joined bytes have the lowest rank (the leftmost of equals) is merged, until no
     * pair is a token. The pairs wait in a heap by rank and position, so a long piece (a paragraph
     * of Chinese is one) costs n log n rather than n².
     */
    private int count(byte[] piece) {
        int n = piece.length;
        if (rank(piece, 0, n) != NONE) {
            return 1;
        }
        // Parts by the byte they start at, linked; next[last part] is n.
        int[] next = new int[n];
        int[] prev = new int[n];
        int[] pairRank = new int[n];
        long[] heap = new long[3 * n]; // n pairs at first, at most two more per merge
        int heapSize = 0;
        for (int i = 0; i < n; i++) {
            next[i] = i + 1;
            prev[i] = i - 1;
            pairRank[i] = i + 2 <= n ? rank(piece, i, i + 2) : NONE;
            if (pairRank[i] != NONE) {
                heapSize = push(heap, heapSize, key(pairRank[i], i));
            }
        }
        int parts = n;
        while (heapSize > 0) {
            long top = heap[0];
            heapSize = pop(heap, heapSize);
            int at = (int) top;
            int rank = (int) (top >>> 32);
            if (next[at] < 0 || pairRank[at] != rank) {
                continue; // merged away, or its pair changed since it was pushed
            }
            int gone = next[at];
            next[at] = next[gone];
            if (next[gone] < n) {
                prev[next[gone]] = at;
            }
            next[gone] = -1;
            parts--;
            pairRank[at] = pairRank(piece, next, at);
            if (pairRank[at] != NONE) {
                heapSize = push(heap, heapSize, key(pairRank[at], at));
            }
            int before = prev[at];
            if (before >= 0) {
                pairRank[before] = pairRank(piece, next, before);
                if (pairRank[before] != NONE) {
                    heapSize = push(heap, heapSize, key(pairRank[before], before));
                }
            }
        }
        return parts;
    }

    /** The rank of the part at {@code at} joined with the next, or {@link #NONE}. */
    private int pairRank(byte[] piece, int[] next, int at) {
        int second = next[at];
        return second < piece.length ? rank(piece, at, next[second]) : NONE;
    }

    private static long key(int rank, int at) {
        return (long) rank << 32 | at;
    }

    private static int push(long[] heap, int size, long key) {
        int i = size;
        heap[i] = key;
        while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
            long parent = heap[(i - 1) / 2];
            heap[(i - 1) / 2] = heap[i];
            heap[i] = parent;
            i = (i - 1) / 2;
        }
        return size + 1;
    }

    private static int pop(long[] heap, int size) {
        heap[0] = heap[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                return size;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[i] <= heap[child]) {
                return size;
            }
            long swap = heap[i];
            heap[i] = heap[child];
            heap[child] = swap;
            i = child;
        }
    }

    /** The rank of {@code piece[from, to)}, or {@link #NONE}. */
    int rank(byte[] piece, int from, int to) {
        int slot = hash(piece, from, to) & mask;
        for (int entry = slots[slot]; entry != 0; entry = slots[slot]) {
            int rank = entry - 1;
            if (Arrays.equals(bytes, starts[rank], starts[rank + 1], piece, from, to)) {
                return rank;
            }
            slot = (slot + 1) & mask;
        }
        return NONE;
    }

    private static int hash(byte[] data, int from, int to) {
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) {
            h = (h ^ data[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
