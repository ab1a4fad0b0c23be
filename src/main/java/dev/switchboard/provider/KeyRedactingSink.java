package dev.switchboard.provider;

import dev.switchboard.chat.Usage;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayError;
import java.util.List;

/**
 * Cuts the provider's key out of every error an attempt reports, whoever built it. An error from
 * a non-2xx body is redacted where the connector maps it; but one the provider sends inside a 200
 * stream or body is mapped by a translator, which never sees the provider's configuration, and an
 * upstream that quotes the key it was sent must not hand it to the client either way. Everything
 * else passes through untouched. Per attempt.
 */
final class KeyRedactingSink implements ResponseSink {
    private final ResponseSink sink;
    private final ProviderConfig provider;

    KeyRedactingSink(ResponseSink sink, ProviderConfig provider) {
        this.sink = sink;
        this.provider = provider;
    }

    /** The sink an attempt for {@code provider} reports to: this wrapper only when there is a key to hide. */
    static ResponseSink around(ResponseSink sink, ProviderConfig provider) {
        return provider.apiKey() == null || provider.apiKey().isEmpty() ? sink : new KeyRedactingSink(sink, provider);
    }

    @Override
    public void streamStart() {
        sink.streamStart();
    }

    @Override
    public void chunk(byte[] json) {
        sink.chunk(json);
    }

    @Override
    public void chunks(List<byte[]> jsons) {
        sink.chunks(jsons);
    }

    @Override
    public void streamEnd(Usage usage) {
        sink.streamEnd(usage);
    }

    @Override
    public void completion(byte[] json, Usage usage) {
        sink.completion(json, usage);
    }

    @Override
    public void fail(GatewayError error) {
        sink.fail(UpstreamErrors.withoutKey(provider, error));
    }

    @Override
    public void fail(GatewayError error, long retryAfterMillis) {
        sink.fail(UpstreamErrors.withoutKey(provider, error), retryAfterMillis);
    }

    @Override
    public boolean hasRoom() {
        return sink.hasRoom();
    }

    @Override
    public void whenRoom(Runnable resume) {
        sink.whenRoom(resume);
    }
}
