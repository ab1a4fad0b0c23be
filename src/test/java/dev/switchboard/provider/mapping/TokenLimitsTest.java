package dev.switchboard.provider.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.LlmRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenLimitsTest {
    static final ModelConfig UNCAPPED = new ModelConfig("m", "p", "u", null);
    static final ModelConfig CAPPED = new ModelConfig("m", "p", "u", 2048);

    /** A Chat request in the internal model, as the Chat door builds it. */
    private static LlmRequest chat(String fields) {
        byte[] body = ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]" + fields + "}")
                .getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length).llmRequest();
    }

    @Test
    void maxCompletionTokensWinsThenMaxTokensThenTheModelEntry() {
        assertThat(TokenLimits.requested(chat(",\"max_completion_tokens\":5,\"max_tokens\":7"), CAPPED)).isEqualTo(5L);
        assertThat(TokenLimits.requested(chat(",\"max_completion_tokens\":null,\"max_tokens\":7"), CAPPED)).isEqualTo(7L);
        assertThat(TokenLimits.requested(chat(""), CAPPED)).isEqualTo(2048L);
        assertThat(TokenLimits.requested(chat(""), UNCAPPED)).isNull();
    }

    @Test
    void aClientLimitBelowOneIsA400NamingIt() {
        assertThatThrownBy(() -> chat(",\"max_tokens\":0"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("max_tokens");
                });
    }

    @ParameterizedTest(name = "limit {0}, budget {1} -> {2}")
    @CsvSource({
            "4096, 0,     4096",
            "300,  24576, 24876",
            "24576, 24576, 49152",
            "30000, 24576, 30000",
    })
    void aLimitStaysAboveTheThinkingBudget(long limit, int budget, long expected) {
        assertThat(TokenLimits.aboveBudget(limit, budget)).isEqualTo(expected);
    }
}
