package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.RecordingSink;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.sse.SseEvent;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactingSinkTest {
    static final String KEY = "sk-S3CR3T-0123456789";
    static final String HEADER_SECRET = "azure-key-abcdef0123";

    static ProviderConfig provider(String key) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("api-key", HEADER_SECRET);
        headers.put("x-flag", "true");
        return new ProviderConfig("p", ProviderType.OPENAI, URI.create("http://upstream.invalid"), key, headers,
                Timeouts.DEFAULTS);
    }

    @Test
    void everyStringTheProviderSentLosesEveryConfiguredSecretAndTheWaitStays() {
        RecordingSink client = new RecordingSink();
        ResponseSink sink = RedactingSink.around(client, provider(KEY));

        sink.fail(Failure.of(ErrorKind.UPSTREAM_REJECTED.relayed(400, "bad_" + KEY, "code_" + HEADER_SECRET,
                "param_" + KEY, "rejected key " + KEY + " and header " + HEADER_SECRET), 1500));

        Failure failure = client.failure();
        assertThat(failure.retryAfterMillis()).isEqualTo(1500);
        assertThat(failure.kind()).isEqualTo(Failure.of(ErrorKind.UPSTREAM_REJECTED.error("x")).kind());
        GatewayError error = failure.error();
        assertThat(error.message()).isEqualTo("rejected key <redacted> and header <redacted>");
        assertThat(error.type()).isEqualTo("bad_<redacted>");
        assertThat(error.code()).isEqualTo("code_<redacted>");
        assertThat(error.param()).isEqualTo("param_<redacted>");
    }

    @Test
    void aShortHeaderValueIsNoSecretButAShortKeyIs() {
        RecordingSink client = new RecordingSink();
        RedactingSink.around(client, provider("k3y")).fail(Failure.of(ErrorKind.UPSTREAM_ERROR.error("k3y is true")));

        assertThat(client.error().message()).isEqualTo("<redacted> is true");
    }

    @Test
    void theMessageIsCutOnlyAfterTheSecretsAreOut() {
        // A key straddling the cut would leave its first half behind if the message were cut first.
        String message = "x".repeat(RedactingSink.MAX_MESSAGE - 5) + KEY + "y".repeat(5000);
        RecordingSink client = new RecordingSink();

        RedactingSink.around(client, provider(KEY)).fail(Failure.of(ErrorKind.UPSTREAM_ERROR.error(message)));

        String cut = client.error().message();
        assertThat(cut).hasSize(RedactingSink.MAX_MESSAGE + 1).endsWith("…").doesNotContain(KEY.substring(0, 5));
    }

    @Test
    void aCleanErrorPassesAsItIs() {
        GatewayError clean = ErrorKind.UPSTREAM_REJECTED.error("x", "fine");
        assertThat(RedactingSink.clean(clean, provider(KEY).secrets())).isSameAs(clean);
    }

    @Test
    void everythingElsePassesThroughUntouched() {
        RecordingSink client = RecordingSink.withRoom(0);
        ResponseSink sink = RedactingSink.around(client, provider(KEY));

        sink.streamStart();
        sink.chunk(SseEvent.of(("{\"a\":\"" + KEY + "\"}").getBytes()));
        sink.whenRoom(() -> { });
        sink.streamEnd(null);

        assertThat(sink.hasRoom()).isFalse();
        assertThat(client.calls()).containsExactly("streamStart", "chunk {\"a\":\"" + KEY + "\"}", "whenRoom", "streamEnd");
    }
}
