package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UpstreamUrisTest {
    @Test
    void theBaseFollowedByThePathParsedOnceAndKept() {
        URI base = URI.create("https://api.example.com/v1");
        URI uri = UpstreamUris.of(base, "/chat/completions");
        assertThat(uri).isEqualTo(URI.create("https://api.example.com/v1/chat/completions"));
        assertThat(UpstreamUris.of(base, "/chat/completions")).isSameAs(uri);
        assertThat(UpstreamUris.of(URI.create("https://api.example.com/v1"), "/chat/completions")).isEqualTo(uri);
        assertThat(UpstreamUris.of(base, "/embeddings")).isEqualTo(URI.create("https://api.example.com/v1/embeddings"));
    }

    @Test
    void aFullCacheStartsOverAndStillAnswersRight() {
        for (int i = 0; i < UpstreamUris.MAX_ENTRIES * 2 + 3; i++) {
            URI base = URI.create("http://10.0.0." + (i % 250) + ":" + (8000 + i) + "/v1");
            assertThat(UpstreamUris.of(base, "/chat/completions"))
                    .isEqualTo(URI.create("http://10.0.0." + (i % 250) + ":" + (8000 + i) + "/v1/chat/completions"));
        }
    }
}
