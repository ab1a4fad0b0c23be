package dev.switchboard.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether Switchboard traces and with which OpenTelemetry (docs/operations.md#tracing):
 * the Java agent's when it runs, an SDK of its own configured by the standard {@code OTEL_*}
 * variables when they ask for traces, none otherwise. Stateless.
 */
final class TracingSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TracingSetup.class);

    static final String DEFAULT_SERVICE_NAME = "switchboard";
    /**
     * OTLP over HTTP, as the Java agent 2.x defaults to: SDK autoconfigure still defaults to gRPC,
     * which Switchboard's sender ({@link OtlpHttpSender}) does not speak.
     */
    static final String DEFAULT_PROTOCOL = "http/protobuf";
    /** How long the application's stop waits for the last spans to be exported. */
    static final long SHUTDOWN_SECONDS = 5;
    /**
     * The content-capture switch, as the OpenTelemetry Java agent's GenAI instrumentation names it
     * (environment form {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT}); off unless
     * {@code true}.
     */
    static final String CAPTURE_CONTENT = "otel.instrumentation.genai.capture-message-content";
    /** A class of the OpenTelemetry Java agent, on the system class path when it runs. */
    static final String AGENT_CLASS = "io.opentelemetry.javaagent.OpenTelemetryAgent";

    /** Where the OpenTelemetry in use comes from. */
    enum Source { OFF, AGENT, SDK }

    private TracingSetup() {
    }

    static Tracing start(Map<String, String> env, Properties properties) {
        Source source = source(env, properties, agentRunning());
        boolean captureContent = captureContent(env, properties);
        if (source != Source.OFF && captureContent) {
            LOG.warn("tracing records prompt and completion content ({}=true)", CAPTURE_CONTENT);
        }
        switch (source) {
            case AGENT -> {
                LOG.info("tracing through the OpenTelemetry Java agent's GlobalOpenTelemetry");
                return Tracing.with(GlobalOpenTelemetry.get(), () -> { }, captureContent);
            }
            case SDK -> {
                try {
                    // No JVM shutdown hook: it would hold the SDK, and with it the application's
                    // class loader, after an undeploy; the application's stop shuts the SDK down.
                    List<SpanExporter> exporters = new CopyOnWriteArrayList<>();
                    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                            .addPropertiesSupplier(() -> settings(env, properties))
                            .addSpanExporterCustomizer((exporter, config) -> {
                                SpanExporter onOwnThread = new ExportThread(exporter);
                                exporters.add(onOwnThread);
                                return onOwnThread;
                            })
                            .disableShutdownHook()
                            .build().getOpenTelemetrySdk();
                    LOG.info("tracing on: spans exported as OTEL_* settings say");
                    return Tracing.with(sdk, () -> shutdown(sdk, exporters), captureContent);
                } catch (RuntimeException e) {
                    // A setting the SDK refuses must not stop the gateway: it serves untraced.
                    LOG.error("tracing off: the OpenTelemetry SDK refused its settings: {}", e.toString());
                    return Tracing.OFF;
                }
            }
            default -> {
                return Tracing.OFF;
            }
        }
    }

    /**
     * The agent wins (it has installed the global OpenTelemetry, and a second SDK would trace every
     * request twice); otherwise an SDK when the settings name a traces exporter other than
     * {@code none} or an OTLP endpoint, and the SDK is not disabled.
     */
    static Source source(Map<String, String> env, Properties properties, boolean agentRunning) {
        if (agentRunning) {
            return Source.AGENT;
        }
        if ("true".equalsIgnoreCase(setting(env, properties, "otel.sdk.disabled"))) {
            return Source.OFF;
        }
        String exporter = setting(env, properties, "otel.traces.exporter");
        if (exporter != null && exporter.trim().equalsIgnoreCase("none")) {
            return Source.OFF;
        }
        boolean asked = exporter != null && !exporter.isBlank()
                || notBlank(setting(env, properties, "otel.exporter.otlp.endpoint"))
                || notBlank(setting(env, properties, "otel.exporter.otlp.traces.endpoint"));
        return asked ? Source.SDK : Source.OFF;
    }

    /** Whether content capture is switched on: only by {@code true}, any case. */
    static boolean captureContent(Map<String, String> env, Properties properties) {
        String value = setting(env, properties, CAPTURE_CONTENT);
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    /**
     * Defaults below what the environment sets: the service name, OTLP over HTTP, and no metrics
     * or logs exporter (Switchboard's metrics are Prometheus's; these settings only trace).
     */
    static Map<String, String> defaults(Map<String, String> env, Properties properties) {
        Map<String, String> defaults = new HashMap<>();
        String resource = setting(env, properties, "otel.resource.attributes");
        if (resource == null || !resource.contains("service.name=")) {
            defaults.put("otel.service.name", DEFAULT_SERVICE_NAME);
        }
        defaults.put("otel.exporter.otlp.protocol", DEFAULT_PROTOCOL);
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        return defaults;
    }

    /**
     * What the SDK is configured with: {@link #defaults}, then every {@code OTEL_*} variable and
     * {@code otel.*} property given (the ones the SDK reads itself when they are the process's own,
     * as they are outside tests), a property winning over its variable.
     */
    static Map<String, String> settings(Map<String, String> env, Properties properties) {
        Map<String, String> settings = defaults(env, properties);
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                settings.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("otel.")) {
                settings.put(name, properties.getProperty(name));
            }
        }
        return settings;
    }

    /** A setting by its system-property name, the property first, then its environment form. */
    static String setting(Map<String, String> env, Properties properties, String name) {
        String value = properties.getProperty(name);
        return value != null ? value : env.get(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    static boolean agentRunning() {
        try {
            Class.forName(AGENT_CLASS, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Stops the SDK, giving the last spans {@link #SHUTDOWN_SECONDS}; past that, stops the exporters
     * too, which ends an export still waiting for a collector (and the sender's thread) now rather
     * than at the exporter's own timeout, after the application is gone (docs/operations.md#tracing).
     */
    private static void shutdown(OpenTelemetrySdk sdk, List<SpanExporter> exporters) {
        CompletableResultCode done = sdk.shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        if (!done.isSuccess()) {
            LOG.warn("tracing: the last spans could not all be exported within {} s", SHUTDOWN_SECONDS);
            for (SpanExporter exporter : exporters) {
                exporter.shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            }
            // The batch processor's thread now fails what it was flushing and stops; its shutdown
            // completes just before the thread ends.
            done.join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
    }
}
