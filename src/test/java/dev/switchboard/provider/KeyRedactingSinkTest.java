package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.Usage;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyRedactingSinkTest {
    static final String KEY = "sk-S3CR3T";

    static ProviderConfig provider(String key) {
        return new ProviderConfig("p", ProviderType.OPENAI, URI.create("http://upstream.invalid"), key, Map.of(),
                Timeouts.DEFAULTS);
    }

    /** Records every call, in order. */
    static final class Calls implements ResponseSink {
        final List<String> calls = new ArrayList<>();
        final List<GatewayError> errors = new ArrayList<>();

        @Override
        public void streamStart() {
            calls.add("streamStart");
        }

        @Override
        public void chunk(byte[] json) {
            calls.add("chunk " + new String(json));
        }

        @Override
        public void streamEnd(Usage usage) {
            calls.add("streamEnd");
        }

        @Override
        public void completion(byte[] json, Usage usage) {
            calls.add("completion " + new String(json));
        }

        @Override
        public void fail(GatewayError error) {
            calls.add("fail");
            errors.add(error);
        }

        @Override
        public void fail(GatewayError error, long retryAfterMillis) {
            calls.add("fail after " + retryAfterMillis);
            errors.add(error);
        }

        @Override
        public boolean hasRoom() {
            return false;
        }

        @Override
        public void whenRoom(Runnable resume) {
            calls.add("whenRoom");
        }
    }

    @Test
    void withoutAKeyThereIsNothingToHideAndNoWrapper() {
        Calls calls = new Calls();
        assertThat(KeyRedactingSink.around(calls, provider(null))).isSameAs(calls);
        assertThat(KeyRedactingSink.around(calls, provider(""))).isSameAs(calls);
    }

    @Test
    void errorsLoseTheKeyAndKeepTheirRetryAfter() {
        Calls calls = new Calls();
        ResponseSink sink = KeyRedactingSink.around(calls, provider(KEY));

        sink.fail(ErrorKind.UPSTREAM_ERROR.error("rejected key " + KEY));
        sink.fail(ErrorKind.RATE_LIMITED.error("slow down, " + KEY), 1500);

        assertThat(calls.calls).containsExactly("fail", "fail after 1500");
        assertThat(calls.errors).extracting(GatewayError::message)
                .containsExactly("rejected key <redacted>", "slow down, <redacted>");
    }

    @Test
    void everythingElsePassesThroughUntouched() {
        Calls calls = new Calls();
        ResponseSink sink = KeyRedactingSink.around(calls, provider(KEY));

        sink.streamStart();
        sink.chunk("{\"a\":1}".getBytes());
        sink.whenRoom(() -> { });
        sink.streamEnd(null);
        sink.completion("{}".getBytes(), null);

        assertThat(sink.hasRoom()).isFalse();
        assertThat(calls.calls).containsExactly("streamStart", "chunk {\"a\":1}", "whenRoom", "streamEnd", "completion {}");
    }
}
