package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatJson;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.mapping.TokenEstimate;
import dev.switchboard.routing.Target;
import dev.switchboard.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangeUsageTest {
    private static final Target TARGET = new Target(new ModelConfig("m", "p", "m", null),
            ProviderConfig.of("p", ProviderType.OPENAI, null, null, Map.of()), null);

    /** What the observer heard: each usage and whether it was estimated. */
    private final List<Object> heard = new ArrayList<>();
    private final ExchangeUsage usage = new ExchangeUsage(new ExchangeObserver() {
        @Override
        public void streamOpened() {
        }

        @Override
        public void firstToken(Target target, long atNanos) {
        }

        @Override
        public long usage(Target target, Usage used, boolean estimated) {
            heard.add(used);
            heard.add(estimated);
            return 1;
        }

        @Override
        public void ended(Target target, int attempts) {
        }
    });
    private final ChatJson chat = new ChatJson("chatcmpl-1", 1, "m", false);
    /** The request's prompt, counted exactly. */
    private static final long PROMPT = TokenEstimate.count(request(true).llmRequest());

    private static ClientRequest request(boolean stream) {
        byte[] body = ("{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"count to ten\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length);
    }

    private void streamed(String... words) {
        usage.parsed(request(true));
        usage.streamOpened();
        usage.generated(SseEvent.of(chat.roleChunk(0)));
        for (String word : words) {
            usage.generated(SseEvent.of(chat.contentChunk(0, word)));
        }
    }

    @Test
    void aStreamCutShortIsChargedItsPromptAndWhatItGeneratedAsAnEstimate() {
        streamed("one", " two", " three");

        usage.ended(TARGET);

        assertThat(heard).containsExactly(new Usage(PROMPT, TokenEstimate.count("one two three")), true);
        assertThat(PROMPT).as("the message's text and framing").isGreaterThan(TokenEstimate.count("count to ten"));
    }

    @Test
    void reportedUsageIsCountedOnceAndNeverEstimatedAfter() {
        streamed("one");

        assertThat(usage.reported(TARGET, new Usage(7, 1))).isEqualTo(1);
        assertThat(usage.reported(TARGET, new Usage(7, 1))).as("already counted").isZero();
        usage.ended(TARGET);

        assertThat(heard).containsExactly(new Usage(7, 1), false);
    }

    @Test
    void aStreamThatEndedWithoutUsageIsEstimated() {
        streamed("one");

        assertThat(usage.reported(TARGET, null)).isZero();
        usage.ended(TARGET);

        assertThat(heard).containsExactly(new Usage(PROMPT, TokenEstimate.count("one")), true);
    }

    @Test
    void aReplyThatNeverBecameAStreamCostsNothing() {
        usage.parsed(request(true));
        usage.ended(TARGET);

        usage.parsed(request(false));
        usage.ended(TARGET);

        assertThat(heard).isEmpty();
    }
}
