package dev.switchboard.provider.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.llm.LlmRequest;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {
    private static final String[] WORDS = {"the", "gateway", "counts", "tokens", "of", "every", "stream", "précis",
            "42", "naïve", "{\"a\":1}", "Übersetzung", "and", "budgets", "hold", "exactly", "—", "数据", "\n"};

    /** Text of {@code words} words drawn from a fixed mix of English, numbers, JSON, accents and CJK. */
    static String text(int words, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return text.toString();
    }

    private static LlmRequest chat(String userText) {
        byte[] body = ("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":" + jakarta.json.Json.createValue(userText) + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length).llmRequest();
    }

    @Test
    void aTextWithinTheSampleIsCountedExactly() {
        String text = text(2_000, 1);

        assertThat(TokenEstimate.estimate(text)).isEqualTo(TokenEstimate.count(text)).isPositive();
    }

    @Test
    void aTextBeyondTheSampleIsExtrapolatedClosely() {
        String text = text(200_000, 2);
        assertThat(text.length()).isGreaterThan(10 * TokenEstimate.SAMPLE_CHARS);

        long exact = TokenEstimate.count(text);
        long estimate = TokenEstimate.estimate(text);

        assertThat((double) estimate).isCloseTo(exact, within(exact * 0.05));
        assertThat(estimate).isNotEqualTo(exact);
    }

    @Test
    void aRequestBeyondTheSampleIsEstimatedCloselyAndCountsItsFraming() {
        LlmRequest small = chat("hello there");
        LlmRequest large = chat(text(200_000, 3));

        assertThat(TokenEstimate.estimate(small)).isEqualTo(TokenEstimate.count(small))
                .as("the system prompt, and the question with its message's framing")
                .isEqualTo(TokenEstimate.PER_MESSAGE + TokenEstimate.count("Be brief.") + TokenEstimate.count("hello there"));
        long exact = TokenEstimate.count(large);
        assertThat((double) TokenEstimate.estimate(large)).isCloseTo(exact, within(exact * 0.05));
    }

    @Test
    void theEstimateCostsABoundedTimeWhateverTheLength() {
        String text = text(2_000_000, 4);
        TokenEstimate.estimate(text);

        long start = System.nanoTime();
        long tokens = TokenEstimate.estimate(text);
        long micros = (System.nanoTime() - start) / 1000;

        assertThat(tokens).isGreaterThan(1_000_000);
        assertThat(micros).as("%s chars estimated in %s µs", text.length(), micros).isLessThan(500_000);
    }
}
