package dev.switchboard.upstream;

import java.io.IOException;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.net.URIAuthority;

/**
 * HttpClient 5's protocol step ({@code ChainElement.PROTOCOL}) for a client that never proxies and
 * never answers an HTTP authentication challenge. Stateless, shared by every exchange.
 *
 * <p>HttpClient's own step ({@code AsyncProtocolExec}) prepares challenge-response authentication
 * on every request: it parses the request path with a {@code URIBuilder} for the scope of an
 * authentication cache and looks up two authentication exchanges, a few microseconds of every
 * upstream request on the container thread (docs/architecture.md#the-upstream-client). Providers
 * take their keys in headers, which Switchboard sets itself; a provider's 401 is an answer to relay,
 * not a challenge to retry, and the client is built without a proxy or credentials. What remains of
 * the step is kept: the request's scheme and authority from the route, and its refusals.
 */
final class DirectProtocolExec implements AsyncExecChainHandler {
    static final DirectProtocolExec INSTANCE = new DirectProtocolExec();

    private DirectProtocolExec() {
    }

    @Override
    public void execute(HttpRequest upstreamRequest, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
                        AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
        if (Method.CONNECT.isSame(upstreamRequest.getMethod())) {
            throw new ProtocolException("Direct execution of CONNECT is not allowed");
        }
        HttpRoute route = scope.route;
        if (route.getProxyHost() != null) {
            throw new ProtocolException("Upstream requests go without a proxy");
        }
        if (upstreamRequest.getScheme() == null) {
            upstreamRequest.setScheme(route.getTargetHost().getSchemeName());
        }
        if (upstreamRequest.getAuthority() == null) {
            upstreamRequest.setAuthority(new URIAuthority(route.getTargetHost()));
        }
        if (upstreamRequest.getAuthority().getUserInfo() != null) {
            throw new ProtocolException("Request URI authority contains deprecated userinfo component");
        }
        chain.proceed(upstreamRequest, entityProducer, scope, callback);
    }
}
