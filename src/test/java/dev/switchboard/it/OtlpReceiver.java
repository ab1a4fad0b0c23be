package dev.switchboard.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A collector stand-in on loopback: accepts OTLP/HTTP trace exports ({@code POST /v1/traces},
 * {@code application/x-protobuf}, gzip or not), decodes them with the protocol's generated
 * classes and keeps every span with its resource. Anything else is answered 404 and counted, so a
 * test can tell an exporter that sent the wrong thing from one that sent nothing.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One exported span with the resource and the instrumentation scope it came under. */
    record Received(Resource resource, InstrumentationScope scope, Span span) {
        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        /** The attribute's value, or null when the span has none of that name. */
        AnyValue attribute(String name) {
            return find(span.getAttributesList(), name);
        }

        String string(String name) {
            AnyValue value = attribute(name);
            return value == null ? null : value.getStringValue();
        }

        Long number(String name) {
            AnyValue value = attribute(name);
            return value == null ? null : value.getIntValue();
        }

        /** The resource's attribute as a string, or null when the resource has none of that name. */
        String resourceString(String name) {
            AnyValue value = find(resource.getAttributesList(), name);
            return value == null ? null : value.getStringValue();
        }

        List<String> strings(String name) {
            AnyValue value = attribute(name);
            return value == null ? null
                    : value.getArrayValue().getValuesList().stream().map(AnyValue::getStringValue).toList();
        }

        static AnyValue find(List<KeyValue> attributes, String name) {
            return attributes.stream().filter(kv -> kv.getKey().equals(name)).map(KeyValue::getValue)
                    .findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> spans = Collections.synchronizedList(new ArrayList<>());
    private volatile int refused;
    /** How long each export waits before it is read: a collector that does not answer. */
    private volatile long stallMillis;
    private final AtomicInteger stalled = new AtomicInteger();

    OtlpReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (stallMillis > 0) {
                stalled.incrementAndGet();
                try {
                    Thread.sleep(stallMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/traces".equals(exchange.getRequestURI().getPath())
                    || type == null || !type.startsWith("application/x-protobuf")) {
                refused++;
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    for (Span span : scopeSpans.getSpansList()) {
                        spans.add(new Received(resourceSpans.getResource(), scopeSpans.getScope(), span));
                    }
                }
            }
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            exchange.getResponseBody().write(response);
        }
    }

    /** From now on each export waits {@code millis} before it is read and answered (0: none). */
    void stall(long millis) {
        stallMillis = millis;
    }

    /** Exports that were held by {@link #stall}. */
    int stalled() {
        return stalled.get();
    }

    /** Every span received so far. */
    List<Received> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** Requests that were not a protobuf trace export. */
    int refused() {
        return refused;
    }

    /**
     * Waits until {@code count} received spans match, and returns them in the order received;
     * fails after the timeout with what did arrive.
     */
    List<Received> await(Predicate<Received> matching, int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<Received> found = spans().stream().filter(matching).toList();
            if (found.size() >= count || System.currentTimeMillis() > deadline) {
                if (found.size() < count) {
                    throw new AssertionError("expected " + count + " matching span(s), got " + found.size()
                            + " of " + spans().size() + " received (" + refused + " requests refused)");
                }
                return found;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
