package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.RecordingSink;
import dev.switchboard.provider.ResponseSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A request in parts: one upstream request after another, the answers joined in order, the first failure final. */
class PartedAttemptTest {
    /** The parts started so far, with the sink each answers to, and how many were cancelled. */
    final List<ResponseSink> started = new ArrayList<>();
    final AtomicInteger cancelled = new AtomicInteger();
    final RecordingSink client = new RecordingSink();

    // The calls are only handed on, so calls that name nothing but their part do.
    final List<ProviderCall> parts = List.of(new ProviderCall(null, null, null, "part0"),
            new ProviderCall(null, null, null, "part1"), new ProviderCall(null, null, null, "part2"));
    final List<String> startedParts = new ArrayList<>();

    PartedAttempt attempt() {
        return new PartedAttempt(null, parts, client, (part, sink) -> {
            started.add(sink);
            startedParts.add(part.requestId());
            return cancelled::incrementAndGet;
        }, (call, answers) -> {
            StringBuilder joined = new StringBuilder();
            long tokens = 0;
            for (CompletionBody answer : answers) {
                joined.append(new String(answer.json(), StandardCharsets.UTF_8));
                tokens += answer.usage().promptTokens();
            }
            return new CompletionBody(joined.toString().getBytes(StandardCharsets.UTF_8), new Usage(tokens, 0));
        });
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachPartStartsWhenTheOneBeforeHasAnsweredAndTheClientGetsThemJoinedInOrder() {
        attempt().start();
        assertThat(started).hasSize(1);
        started.get(0).completion(bytes("a"), new Usage(1, 0));
        assertThat(started).hasSize(2);
        started.get(1).completion(bytes("b"), new Usage(2, 0));
        assertThat(client.calls()).isEmpty();
        started.get(2).completion(bytes("c"), new Usage(4, 0));

        assertThat(startedParts).containsExactly("part0", "part1", "part2");
        assertThat(client.calls()).containsExactly("completion");
        assertThat(new String(client.completionJson(), StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(client.usage()).isEqualTo(new Usage(7, 0));
    }

    @Test
    void theFirstFailureIsTheAttemptsAndTheRestAreNotSent() {
        attempt().start();
        started.get(0).completion(bytes("a"), new Usage(1, 0));
        started.get(1).fail(Failure.of(ErrorKind.UPSTREAM_ERROR.error("boom")));

        assertThat(started).hasSize(2);
        assertThat(client.calls()).containsExactly("fail 502");
    }

    @Test
    void cancellingStopsThePartInFlightAndNothingFollows() {
        Attempt attempt = attempt().start();
        started.get(0).completion(bytes("a"), new Usage(1, 0));
        attempt.cancel();
        started.get(1).completion(bytes("b"), new Usage(2, 0));

        assertThat(cancelled).hasValue(1);
        assertThat(started).hasSize(2);
        assertThat(client.calls()).isEmpty();
    }
}
