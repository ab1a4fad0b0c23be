package dev.switchboard.bench.floor;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;

/**
 * The benchmark's floor: the least a correct gateway does on Tomcat and HttpClient 5, and nothing
 * else. Every POST is relayed byte for byte to the same path on the upstream named by the system
 * property {@value #UPSTREAM_PROPERTY}, with the provider key added; the answer goes back whole
 * (non-streaming) or as it arrives (event streams), see {@link FloorExchange}. {@code GET /healthz}
 * answers 200 so that bench/run.sh can tell it started. Shared and thread-safe.
 *
 * <p>No authentication, routing, parsing, translation, metrics, access log or retries: what is
 * left is the cost of the container, the upstream client and the two hand-offs between them,
 * which Switchboard pays too. bench/README.md reports every Switchboard figure as a ratio to this.
 */
@WebServlet(urlPatterns = "/", asyncSupported = true, loadOnStartup = 1)
public final class FloorServlet extends HttpServlet {
    static final String UPSTREAM_PROPERTY = "floor.upstream";
    /** As large as Switchboard's pool: every live stream holds one upstream connection. */
    static final int MAX_CONNECTIONS = 20_000;
    /** Idle pooled connections are closed after this, before a server's keep-alive timeout closes them under a request. */
    static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(30);

    /**
     * Each upstream connection's buffers, as Switchboard sets them (UpstreamClient), for two
     * reasons measured here: 5,000 live streams fit the same heap, and the relay's window holds.
     * With HttpCore 5.4's 8 KiB default, a client reading a fast 60 MB stream at 160 KB/s left
     * the whole stream in the floor's heap (HttpCore's HTTP/1.1 reader went on reading far past
     * the window this consumer grants); with 2 KiB the upstream stalled at the window.
     */
    static final int CONNECTION_BUFFER_BYTES = 2 * 1024;

    private CloseableHttpAsyncClient client;
    private HttpHost upstream;

    @Override
    public void init() throws ServletException {
        String base = System.getProperty(UPSTREAM_PROPERTY);
        if (base == null) {
            throw new ServletException("set -D" + UPSTREAM_PROPERTY + "=http://host:port");
        }
        upstream = HttpHost.create(URI.create(base));
        // HttpClient's defaults but for what a relay must not do: decompress bodies it passes on,
        // retry or redirect a POST (a second completion is billed twice), keep cookies between
        // callers; and but for the pool's default of 5 connections per route, which would queue
        // requests, and the buffer size above.
        client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .build())
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .setHttp1Config(Http1Config.custom().setBufferSize(CONNECTION_BUFFER_BYTES).build())
                .disableAuthCaching()
                .evictIdleConnections(IDLE_EVICTION)
                .build();
        client.start();
    }

    @Override
    public void destroy() {
        client.close(CloseMode.GRACEFUL);
    }

    @Override
    protected void doGet(HttpServletRequest clientRequest, HttpServletResponse clientResponse) {
        clientResponse.setStatus(clientRequest.getRequestURI().equals("/healthz")
                ? HttpServletResponse.SC_OK : HttpServletResponse.SC_NOT_FOUND);
        clientResponse.setContentLength(0);
    }

    @Override
    protected void doPost(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        AsyncContext async = clientRequest.startAsync();
        FloorExchange exchange = new FloorExchange(client, upstream, async, clientRequest, clientResponse);
        exchange.start();
    }
}
