package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.llm.Usage;
import dev.switchboard.spend.CostCalculator;
import dev.switchboard.spend.DefaultPrices;
import dev.switchboard.spend.Rates;
import dev.switchboard.telemetry.Usd;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** OpenAI's usage semantics priced (docs/spend.md, "Usage"): cached tokens and reasoning are subsets. */
class UsageCostTest {
    private static final Rates GPT_5 = Rates.of(DefaultPrices.instance().lookup("gpt-5"));

    @Test
    void promptTokensIncludeTheCachedOnesAndCompletionTokensTheReasoning() {
        Usage usage = OpenAiResponses.readUsage("""
                {"id":"chatcmpl-1","object":"chat.completion","choices":[],
                 "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                  "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
                  "completion_tokens_details":{"reasoning_tokens":192,"audio_tokens":0}}}
                """.getBytes(StandardCharsets.UTF_8));

        long cost = CostCalculator.picoUsd(usage, GPT_5);

        // 86 uncached × 1.25 + 1920 cached × 0.125 + 300 output (192 of them reasoning) × 10, per million.
        assertThat(Usd.format(cost)).isEqualTo("0.0033475");
    }

    @Test
    void theResponsesApiCountsTheSameWay() {
        Usage usage = ResponsesRelay.completionUsage("""
                {"id":"resp_1","object":"response","status":"completed","output":[],
                 "usage":{"input_tokens":2006,"input_tokens_details":{"cached_tokens":1920},
                  "output_tokens":300,"output_tokens_details":{"reasoning_tokens":192},"total_tokens":2306}}
                """.getBytes(StandardCharsets.UTF_8));

        assertThat(Usd.format(CostCalculator.picoUsd(usage, GPT_5))).isEqualTo("0.0033475");
    }
}
