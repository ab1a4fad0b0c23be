package dev.switchboard.provider.http;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.provider.mapping.ChatBridge;
import dev.switchboard.provider.mapping.TokenEstimate;
import dev.switchboard.llm.Protocol;
import dev.switchboard.time.Scheduler;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamRequest;
import dev.switchboard.upstream.UpstreamResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of the connectors that call an HTTP upstream. A subclass supplies the protocol: how to build
 * the upstream request, how to read its errors, and how to translate its replies; this class runs
 * the exchange. Shared and stateless.
 */
public abstract class HttpConnector implements ProviderConnector {
    private final UpstreamClient client;
    private final Scheduler scheduler;

    protected HttpConnector(UpstreamClient client, Scheduler scheduler) {
        this.client = client;
        this.scheduler = scheduler;
    }

    /**
     * Every error of the attempt reaches {@code sink} without the provider's secrets (see
     * {@link RedactingSink}): the one place that covers errors the provider reports inside a
     * 200 stream, which translators map without knowing the key.
     */
    @Override
    public final Attempt start(ProviderCall call, ResponseSink clientSink) {
        Protocol protocol = call.request().protocol();
        if (call.request().countTokens() && !countsTokens()) {
            TokenEstimate.answer(call.request(), clientSink);
            return Attempt.NONE;
        }
        if (protocol == Protocol.CHAT || serves(protocol, call.provider())) {
            List<ProviderCall> parts;
            try {
                parts = parts(call);
            } catch (GatewayException e) {
                clientSink.fail(Failure.of(e.error()));
                return Attempt.NONE;
            }
            return parts.size() == 1 ? startDirect(parts.get(0), clientSink)
                    : new PartedAttempt(call, parts, clientSink, this::startDirect, this::joined).start();
        }
        if (protocol == Protocol.EMBEDDINGS) {
            clientSink.fail(Failure.of(ErrorKind.INVALID_REQUEST.error("model", "Provider '" + call.provider().id()
                    + "' (type " + call.provider().type().configName() + ") has no embeddings API.")));
            return Attempt.NONE;
        }
        return ChatBridge.start(this::startDirect, call, clientSink);
    }

    /**
     * Whether this connector answers requests of {@code protocol} itself (relayed, or translated
     * by its own code), rather than through its Chat path ({@link ChatBridge}). Chat is always
     * its own.
     */
    protected boolean serves(Protocol protocol, ProviderConfig provider) {
        return false;
    }

    /**
     * The calls that answer {@code call}, sent one after another: just the call, unless the
     * provider caps what one request may carry. Pure.
     *
     * @throws GatewayException (400) when the request cannot be split
     */
    protected List<ProviderCall> parts(ProviderCall call) {
        return List.of(call);
    }

    /**
     * The client's answer from the answers to {@link #parts}, in their order, for a connector that
     * splits requests. Pure.
     */
    protected CompletionBody joined(ProviderCall call, List<CompletionBody> parts) {
        throw new IllegalStateException(getClass().getSimpleName() + " does not split requests.");
    }

    /**
     * Whether the provider counts a request's input tokens itself (Messages' {@code count_tokens});
     * for the others Switchboard answers with an estimate ({@link TokenEstimate}), sending nothing
     * upstream.
     */
    protected boolean countsTokens() {
        return false;
    }

    private Attempt startDirect(ProviderCall call, ResponseSink clientSink) {
        ResponseSink sink = RedactingSink.around(clientSink, call.provider());
        UpstreamRequest upstreamRequest;
        try {
            upstreamRequest = withTraceContext(upstreamRequest(call), call);
        } catch (GatewayException e) {
            sink.fail(Failure.of(e.error()));
            return Attempt.NONE;
        }
        HttpAttempt attempt = new HttpAttempt(this, call, sink, scheduler);
        attempt.start(client, upstreamRequest);
        return attempt;
    }

    /**
     * The upstream request with the attempt's trace context ({@code traceparent} …) among its
     * headers, so that a provider or a gateway in front of it that traces continues the trace
     * (docs/operations.md#tracing). Unchanged when the attempt is not traced.
     */
    static UpstreamRequest withTraceContext(UpstreamRequest upstreamRequest, ProviderCall call) {
        if (!call.trace().isOn()) {
            return upstreamRequest;
        }
        List<UpstreamRequest.Header> headers = new ArrayList<>(upstreamRequest.headers().size() + 2);
        headers.addAll(upstreamRequest.headers());
        call.trace().inject((name, value) -> headers.add(new UpstreamRequest.Header(name, value)));
        return new UpstreamRequest(upstreamRequest.uri(), headers, upstreamRequest.body(),
                upstreamRequest.connectTimeoutMs());
    }

    /**
     * Maps the client's request to the provider's. Pure.
     *
     * @throws GatewayException (400) when the request asks for something this provider cannot do
     */
    protected abstract UpstreamRequest upstreamRequest(ProviderCall call);

    /** Turns a non-2xx upstream response into the client's error. Pure. */
    protected abstract GatewayError upstreamError(ProviderConfig provider, UpstreamResponse upstreamResponse,
                                                  byte[] body, int length);

    /** Translates a whole non-streaming 2xx body. Pure. */
    protected abstract CompletionBody completion(ProviderCall call, byte[] body, int length);

    /** A fresh translator for one streamed 2xx body. */
    protected abstract StreamTranslator streamTranslator(ProviderCall call);
}
