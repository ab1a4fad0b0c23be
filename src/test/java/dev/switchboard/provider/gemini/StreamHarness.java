package dev.switchboard.provider.gemini;

import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Runs a recorded upstream body through the real SSE parser and a translator, in pieces of chosen
 * sizes, and collects what a client would get, with {@link #CREATED} for {@code created}. Lines that are not SSE go to the translator's
 * {@code onOtherLine} and the parser is ended with the body, as HttpAttempt must wire them for
 * Gemini's bare JSON errors to reach the client (see StreamTranslator#onOtherLine).
 */
final class StreamHarness {
    /** What came out: the chunks in order, whether the translator saw the end, the usage, and any error. */
    record Result(List<String> chunks, boolean complete, Usage usage, GatewayException error) {
    }

    private StreamHarness() {
    }

    static byte[] fixture(String name) {
        try (InputStream in = StreamHarness.class.getResourceAsStream("/fixtures/gemini/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> expected(String name) {
        return new String(fixture(name), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    }

    /** The {@code created} every chunk is given here: the Chat encoder takes it from the clock. */
    static final long CREATED = 1767225600L;

    static String created(String chunk) {
        return chunk.replaceFirst("\"created\":\\d+", "\"created\":" + CREATED);
    }

    /** Feeds {@code body} in pieces whose sizes {@code pieceSizes} chooses, then ends it as the attempt would. */
    static Result run(StreamTranslator translator, byte[] body, IntSupplier pieceSizes) {
        List<String> chunks = new ArrayList<>();
        SseParser parser = new SseParser(event -> translator.onEvent(event,
                chunk -> chunks.add(created(new String(chunk.data(), StandardCharsets.UTF_8)))), translator::onOtherLine);
        int offset = 0;
        try {
            while (offset < body.length) {
                int length = Math.min(body.length - offset, Math.max(1, pieceSizes.getAsInt()));
                parser.feed(body, offset, length);
                offset += length;
            }
            parser.end();
        } catch (GatewayException e) {
            return new Result(chunks, translator.isComplete(), null, e);
        }
        boolean complete = translator.isComplete();
        Usage usage = complete ? translator.finish(chunk -> chunks.add(created(new String(chunk.data(), StandardCharsets.UTF_8)))) : null;
        return new Result(chunks, complete, usage, null);
    }

    static Result whole(StreamTranslator translator, byte[] body) {
        return run(translator, body, () -> Integer.MAX_VALUE);
    }
}
