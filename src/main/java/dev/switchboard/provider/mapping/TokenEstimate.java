package dev.switchboard.provider.mapping;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Message;
import dev.switchboard.llm.Tool;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ResponseSink;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An estimate of a request's input tokens with OpenAI's {@code o200k_base} tokenizer
 * ({@link O200kCounter}: jtokkit's, counted from a packed table),
 * for {@code count_tokens} on a provider that cannot count them itself
 * (docs/protocols/anthropic-messages-ingress.md §4.2; docs/providers/README.md): the text of the
 * system prompt, of every text block, tool call and result, and the tools' definitions, plus
 * {@link #PER_MESSAGE} for each message's framing. Other tokenizers differ by some tenths; the
 * response header says it is an estimate. Shared and stateless.
 */
public final class TokenEstimate {
    /** Tokens each message's framing costs in OpenAI's chat format. */
    static final int PER_MESSAGE = 3;
    /** Tokens an image is counted at: OpenAI's cost of a low-detail image. */
    static final int PER_IMAGE = 85;

    /**
     * Characters of text a bounded estimate tokenizes, so that it costs the same for any prompt
     * (o200k_base in jtokkit took 0.7 ms, warm, for 16,384 characters of English here, and
     * proportionally more for text of other scripts); the rest is counted at the rate the sample
     * gave, which for one language is within a percent or so (TokenEstimateTest).
     */
    public static final int SAMPLE_CHARS = 16 * 1024;
    /** OpenAI's rule of thumb for English, for text of which no sample could be tokenized. */
    static final int CHARS_PER_TOKEN = 4;

    /**
     * Read once, by {@link #load} as the application starts: the first estimate would otherwise
     * read it (0.15–0.9 s) on whichever thread asked, an I/O thread thinning a long stream's sample
     * among them, which serves every other upstream connection meanwhile. Kept for good (4 MB).
     */
    private static final class Table {
        static final O200kCounter COUNTER = O200kCounter.load();
    }

    private TokenEstimate() {
    }

    /** Reads the {@code o200k_base} table now if no one has; returns how long that took, in milliseconds. */
    public static long load() {
        long start = System.nanoTime();
        Objects.requireNonNull(Table.COUNTER);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Every text of {@code request} tokenized: exact, and as slow as the request is long. */
    public static long count(LlmRequest request) {
        Tally tally = new Tally(Long.MAX_VALUE);
        tally(request, tally);
        return tally.tokens();
    }

    /**
     * {@link #count(LlmRequest)} at a bounded cost, for the request path (a token's {@code tpm}, a
     * stream cut short; docs/spend.md, "Streams"): the first {@link #SAMPLE_CHARS} characters of
     * text are tokenized, the rest counted at the rate they gave.
     */
    public static long estimate(LlmRequest request) {
        Tally tally = new Tally(SAMPLE_CHARS);
        tally(request, tally);
        return tally.tokens();
    }

    /**
     * The tokens of a text, its first {@link #SAMPLE_CHARS} characters tokenized and the rest
     * counted at their rate.
     */
    public static long estimate(String text) {
        Tally tally = new Tally(SAMPLE_CHARS);
        tally.text(text);
        return tally.tokens();
    }

    private static void tally(LlmRequest request, Tally tally) {
        for (Content.Text text : request.system()) {
            tally.text(text.text());
        }
        for (Message message : request.messages()) {
            tally.add(PER_MESSAGE);
            for (Content block : message.content()) {
                tally(block, tally);
            }
        }
        for (Tool tool : request.tools()) {
            tally.text(tool.name());
            if (tool.description() != null) {
                tally.text(tool.description());
            }
            if (tool.schema() != null) {
                tally.text(new String(Json.write(tool.schema()), StandardCharsets.UTF_8));
            }
        }
    }

    private static void tally(Content block, Tally tally) {
        if (block instanceof Content.Text text) {
            tally.text(text.text());
        } else if (block instanceof Content.FunctionCall call) {
            tally.text(call.name());
            tally.text(call.arguments());
        } else if (block instanceof Content.ToolResult result) {
            for (Content part : result.content()) {
                tally(part, tally);
            }
        } else if (block instanceof Content.Reasoning reasoning && reasoning.text() != null) {
            tally.text(reasoning.text());
        } else if (block instanceof Content.Document document && document.text() != null) {
            tally.text(document.text());
        } else if (block instanceof Content.Image) {
            tally.add(PER_IMAGE);
        }
    }

    /**
     * Tokens counted so far: texts are tokenized until {@code sampleChars} characters have been,
     * the characters after that only counted, and converted at the end at the sample's rate (or
     * {@link #CHARS_PER_TOKEN} when the sample held none). Per count.
     */
    private static final class Tally {
        private final long sampleChars;
        private long tokens;
        private long sampledChars;
        private long sampledTokens;
        private long unsampledChars;

        Tally(long sampleChars) {
            this.sampleChars = sampleChars;
        }

        void add(long fixed) {
            tokens += fixed;
        }

        void text(String text) {
            if (text == null || text.isEmpty()) {
                return;
            }
            long room = sampleChars - sampledChars;
            if (room <= 0) {
                unsampledChars += text.length();
                return;
            }
            String sampled = text.length() <= room ? text : text.substring(0, (int) room);
            sampledTokens += Table.COUNTER.count(sampled);
            sampledChars += sampled.length();
            unsampledChars += text.length() - sampled.length();
        }

        long tokens() {
            double perChar = sampledTokens > 0 ? (double) sampledTokens / sampledChars : 1.0 / CHARS_PER_TOKEN;
            return tokens + sampledTokens + Math.round(unsampledChars * perChar);
        }
    }

    /** The tokens of one text. */
    public static long count(String text) {
        return Table.COUNTER.count(text);
    }

    /** {@code count_tokens}' answer, {@code {"input_tokens":N}}, with the estimate. */
    public static byte[] countTokensBody(LlmRequest request) {
        return ChatBridge.countTokens(count(request));
    }

    /**
     * Answers a {@code count_tokens} request on {@code sink} with the estimate, or with the 400
     * of a request that cannot be read into the internal model.
     */
    public static void answer(ClientRequest request, ResponseSink sink) {
        byte[] body;
        try {
            body = countTokensBody(request.llmRequest());
        } catch (GatewayException e) {
            sink.fail(Failure.of(e.error()));
            return;
        }
        sink.completion(body, null);
    }
}
