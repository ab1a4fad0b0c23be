package dev.switchboard.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import org.junit.jupiter.api.Test;

class ReasoningEffortTest {
    @Test
    void readsEveryOpenAiLevel() {
        for (ReasoningEffort effort : ReasoningEffort.values()) {
            assertThat(ReasoningEffort.of(Json.parseObject("{\"reasoning_effort\":\"" + effort.wireName() + "\"}")))
                    .isEqualTo(effort);
        }
        assertThat(ReasoningEffort.of(Json.parseObject("{}"))).isNull();
        assertThat(ReasoningEffort.of(Json.parseObject("{\"reasoning_effort\":null}"))).isNull();
    }

    @Test
    void anUnknownLevelIsA400ListingEveryAcceptedOne() {
        assertThatThrownBy(() -> ReasoningEffort.of(Json.parseObject("{\"reasoning_effort\":\"HIGH\"}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().param()).isEqualTo("reasoning_effort");
                    assertThat(e.error().message())
                            .isEqualTo("'reasoning_effort' must be none, minimal, low, medium, high, xhigh or max, not 'HIGH'.");
                });
    }
}
