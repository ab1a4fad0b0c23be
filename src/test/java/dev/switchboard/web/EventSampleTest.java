package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSampleTest {
    @Test
    void givesBackTheExactBytesOfEveryDoorsEvents() {
        for (StreamEstimateFixtures.Fixture fixture : List.of(StreamEstimateFixtures.chat(500, 11),
                StreamEstimateFixtures.messages(500, 12), StreamEstimateFixtures.responses(500, 13))) {
            EventSample sample = new EventSample();
            fixture.events().forEach(event -> sample.add(event.data()));

            assertThat(sample.events()).as(fixture.name())
                    .isDeepEqualTo(fixture.events().stream().map(SseEvent::data).toArray(byte[][]::new));
        }
    }

    @Test
    void keepsEventsThatShareNothingOrEverything() {
        EventSample sample = new EventSample();
        List<byte[]> events = List.of(bytes("abc"), bytes(""), bytes("abc"), bytes("abc"), bytes("xbz"), bytes("abcabc"),
                bytes("ab"), bytes("b"), bytes("é".repeat(200)), bytes("é".repeat(100)));
        events.forEach(sample::add);

        assertThat(sample.events()).isDeepEqualTo(events.toArray(byte[][]::new));
        assertThat(sample.size()).isEqualTo(events.size());
    }

    @Test
    void allocatesNothingUntilTheFirstEventAndFreesOnClear() {
        EventSample sample = new EventSample();
        assertThat(sample.capacity()).isZero();

        sample.add(bytes("{\"choices\":[]}"));
        assertThat(sample.capacity()).isEqualTo(EventSample.INITIAL_CAPACITY);

        sample.clear();
        assertThat(sample.capacity()).isZero();
        assertThat(sample.events()).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
