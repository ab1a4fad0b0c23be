package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.upstream.UpstreamRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamHeadersTest {
    private static final UpstreamHeaders.KeyHeader BEARER = new UpstreamHeaders.KeyHeader("Authorization", "Bearer ");

    private static ProviderConfig provider(String apiKey, Map<String, String> headers) {
        return ProviderConfig.of("p", ProviderType.OPENAI, URI.create("http://127.0.0.1/v1"), apiKey, headers);
    }

    private static List<String> render(List<UpstreamRequest.Header> headers) {
        return headers.stream().map(header -> header.name() + "=" + header.value()).toList();
    }

    @Test
    void acceptDefaultsKeyThenConfiguredInThatOrder() {
        Map<String, String> configured = new LinkedHashMap<>();
        configured.put("OpenAI-Organization", "org-1");
        assertThat(render(UpstreamHeaders.of(provider("sk-key-123456", configured), true, BEARER,
                Map.of("anthropic-version", "2023-06-01"))))
                .containsExactly("Accept=text/event-stream", "anthropic-version=2023-06-01",
                        "Authorization=Bearer sk-key-123456", "OpenAI-Organization=org-1");
        assertThat(render(UpstreamHeaders.of(provider("sk-key-123456", Map.of()), false, BEARER, Map.of())))
                .containsExactly("Accept=application/json", "Authorization=Bearer sk-key-123456");
    }

    @Test
    void aConfiguredHeaderReplacesTheDefaultOrKeyHeaderOfTheSameNameWhateverItsCase() {
        Map<String, String> configured = new LinkedHashMap<>();
        configured.put("Anthropic-Version", "2099-01-01");
        configured.put("authorization", "Token other");
        assertThat(render(UpstreamHeaders.of(provider("sk-key-123456", configured), false, BEARER,
                Map.of("anthropic-version", "2023-06-01"))))
                .containsExactly("Accept=application/json", "Anthropic-Version=2099-01-01", "authorization=Token other");
    }

    @Test
    void noKeyNoKeyHeader() {
        assertThat(render(UpstreamHeaders.of(provider(null, Map.of()), false, BEARER, Map.of())))
                .containsExactly("Accept=application/json");
    }
}
