package dev.switchboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;

class DirectProtocolExecTest {
    private static final HttpHost TARGET = new HttpHost("https", "api.example.com", 443);

    private final List<HttpRequest> proceeded = new ArrayList<>();
    private final AsyncExecChain chain = (request, entityProducer, scope, callback) -> proceeded.add(request);

    private static AsyncExecChain.Scope scope(HttpRoute route, HttpRequest request) {
        // The step touches neither the dependency nor the runtime: a runtime that fails on any call shows it.
        AsyncExecRuntime unused = (AsyncExecRuntime) Proxy.newProxyInstance(AsyncExecRuntime.class.getClassLoader(),
                new Class<?>[] {AsyncExecRuntime.class}, (proxy, method, args) -> {
                    throw new AssertionError("runtime used: " + method.getName());
                });
        return new AsyncExecChain.Scope("ex-1", route, request, new ComplexCancellable(), HttpClientContext.create(),
                unused);
    }

    @Test
    void aRequestWithItsOwnUriGoesOnAsItIsWithoutACopy() throws Exception {
        BasicHttpRequest upstreamRequest = new BasicHttpRequest(Method.POST,
                URI.create("https://api.example.com/v1/chat/completions?x=%2F"));
        DirectProtocolExec.INSTANCE.execute(upstreamRequest, null, scope(new HttpRoute(TARGET), upstreamRequest), chain,
                null);

        assertThat(proceeded).containsExactly(upstreamRequest);
        assertThat(upstreamRequest.getScheme()).isEqualTo("https");
        assertThat(upstreamRequest.getAuthority().getHostName()).isEqualTo("api.example.com");
        assertThat(upstreamRequest.getPath()).isEqualTo("/v1/chat/completions?x=%2F");
    }

    @Test
    void aRequestWithoutSchemeOrAuthorityTakesThemFromTheRoute() throws Exception {
        BasicHttpRequest upstreamRequest = new BasicHttpRequest(Method.POST, "/v1/messages");
        DirectProtocolExec.INSTANCE.execute(upstreamRequest, null, scope(new HttpRoute(TARGET), upstreamRequest), chain,
                null);

        assertThat(proceeded).containsExactly(upstreamRequest);
        assertThat(upstreamRequest.getScheme()).isEqualTo("https");
        assertThat(upstreamRequest.getAuthority().getHostName()).isEqualTo("api.example.com");
        assertThat(upstreamRequest.getAuthority().getPort()).isEqualTo(443);
    }

    @Test
    void userInfoInTheAuthorityIsRefusedAsHttpClientRefusesIt() {
        BasicHttpRequest upstreamRequest = new BasicHttpRequest(Method.POST,
                URI.create("https://user:secret@api.example.com/v1/chat/completions"));

        assertThatThrownBy(() -> DirectProtocolExec.INSTANCE.execute(upstreamRequest, null,
                scope(new HttpRoute(TARGET), upstreamRequest), chain, null))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("userinfo").hasMessageNotContaining("secret");
        assertThat(proceeded).isEmpty();
    }

    @Test
    void connectAndProxiedRoutesAreRefused() {
        BasicHttpRequest connect = new BasicHttpRequest(Method.CONNECT, "api.example.com:443");
        assertThatThrownBy(() -> DirectProtocolExec.INSTANCE.execute(connect, null, scope(new HttpRoute(TARGET), connect),
                chain, null)).isInstanceOf(ProtocolException.class);

        BasicHttpRequest viaProxy = new BasicHttpRequest(Method.POST, URI.create("https://api.example.com/v1/x"));
        HttpRoute proxied = new HttpRoute(TARGET, new HttpHost("http", "proxy.example.com", 3128));
        assertThatThrownBy(() -> DirectProtocolExec.INSTANCE.execute(viaProxy, null, scope(proxied, viaProxy), chain,
                null)).isInstanceOf(ProtocolException.class).hasMessageContaining("proxy");
        assertThat(proceeded).isEmpty();
    }
}
