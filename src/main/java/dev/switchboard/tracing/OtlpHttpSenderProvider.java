package dev.switchboard.tracing;

import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/**
 * The OTLP/HTTP exporter's sender (docs/operations.md#tracing), found by the SDK through
 * {@code META-INF/services}: the only {@link HttpSenderProvider} in the WAR, so the exporter uses
 * it without being told. Stateless; public for {@link java.util.ServiceLoader}.
 */
public final class OtlpHttpSenderProvider implements HttpSenderProvider {
    @Override
    public HttpSender createSender(HttpSenderConfig config) {
        return new OtlpHttpSender(config);
    }
}
