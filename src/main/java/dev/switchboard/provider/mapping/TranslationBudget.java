package dev.switchboard.provider.mapping;

import dev.switchboard.llm.ClientRequest;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;

/**
 * How much a translation of one client request may produce: {@code maxTranslationFactor} times
 * the client's body, and never less than {@link #MIN_BYTES} (docs/configuration.md). Whatever a
 * connector builds from a request (an upstream body, the echo provider's reply) stays within it,
 * so no request can make the gateway hold more than a bounded multiple of its own size.
 *
 * <p>A mapper serialises its upstream body with {@link #write}, which stops at the limit instead
 * of finishing a body of any size; and a mapper whose output can multiply what the client sent
 * (Gemini's schema cleaner inlines {@code $ref}s) counts what it produces with {@link #spend} as
 * it goes, so that it stops before building it and names the field. Either way the request is
 * refused with a 400. Per request.
 */
public final class TranslationBudget {
    /**
     * Small requests may always grow to this: a mapping's fixed additions (a placeholder turn, a
     * thinking config, the JSON-mode tool) are many times a body of a few hundred bytes, and a
     * mebibyte is nothing next to the 32 MiB a single request body may hold.
     */
    public static final long MIN_BYTES = 1024 * 1024;

    private final long limit;
    private final int clientBytes;
    private final int factor;
    private long spent;

    /** The budget of a client body of {@code clientBytes} at {@code factor} times. */
    public TranslationBudget(int clientBytes, int factor) {
        this.clientBytes = clientBytes;
        this.factor = factor;
        this.limit = Math.max(MIN_BYTES, (long) factor * clientBytes);
    }

    /** The budget of {@code clientRequest} translated for {@code provider}. */
    public static TranslationBudget of(ClientRequest clientRequest, ProviderConfig provider) {
        return new TranslationBudget(clientRequest.bodyLength(), provider.maxTranslationFactor());
    }

    /** The most bytes the translation may take. */
    public long limit() {
        return limit;
    }

    /**
     * Counts {@code bytes} that a mapper produced, for a mapper that refuses the request itself
     * (with a 400 naming the field that grew, and {@link #describeLimit()}) once this is false.
     */
    public boolean spend(long bytes) {
        spent += bytes;
        return spent <= limit;
    }

    /**
     * Serialises an upstream body, refusing it as soon as it passes {@link #limit()}: the bytes
     * beyond are never held.
     *
     * @throws GatewayException (400) when the body would be larger
     */
    public byte[] write(JsonValue body) {
        LimitedBuffer out = new LimitedBuffer(limit);
        try (JsonGenerator generator = Json.generator(out)) {
            generator.write(body);
        } catch (LimitedBuffer.Full full) {
            throw ErrorKind.INVALID_REQUEST.exception("This request grows past " + limit
                    + " bytes once translated for this provider " + describeLimit()
                    + ". Send fewer repeated parts (tool results answering one call, inlined schemas) or a smaller request.");
        }
        return out.toByteArray();
    }

    /** The limit and where it comes from, in parentheses, for an error message. */
    public String describeLimit() {
        return "(the limit is the larger of " + MIN_BYTES + " bytes and maxTranslationFactor, " + factor
                + ", times the request's " + clientBytes + " bytes)";
    }

    /** A byte buffer that throws once more than its limit is written. Per call. */
    private static final class LimitedBuffer extends ByteArrayOutputStream {
        /** Thrown through the generator; no stack trace, it is an expected outcome. */
        static final class Full extends RuntimeException {
            Full() {
                super("translated body over its budget", null, false, false);
            }
        }

        private final long limit;

        LimitedBuffer(long limit) {
            super(256);
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            if (count + 1L > limit) {
                throw new Full();
            }
            super.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (count + (long) length > limit) {
                throw new Full();
            }
            super.write(bytes, offset, length);
        }
    }
}
