package dev.switchboard.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** When Switchboard traces, and with which OpenTelemetry, from the standard settings. */
class TracingSetupTest {
    static Properties properties(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void offUnlessATracesExporterOrAnEndpointIsSet() {
        assertThat(TracingSetup.source(Map.of(), properties(), false)).isEqualTo(TracingSetup.Source.OFF);
        assertThat(TracingSetup.source(Map.of("OTEL_SERVICE_NAME", "gw"), properties(), false))
                .as("other OTEL_* settings alone do not turn it on").isEqualTo(TracingSetup.Source.OFF);
        assertThat(TracingSetup.source(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), properties(), false))
                .isEqualTo(TracingSetup.Source.SDK);
        assertThat(TracingSetup.source(Map.of("OTEL_TRACES_EXPORTER", "otlp"), properties(), false))
                .isEqualTo(TracingSetup.Source.SDK);
        assertThat(TracingSetup.source(Map.of(), properties("otel.exporter.otlp.endpoint", "http://c:4318"), false))
                .isEqualTo(TracingSetup.Source.SDK);
        assertThat(TracingSetup.source(Map.of(), properties("otel.traces.exporter", "console"), false))
                .isEqualTo(TracingSetup.Source.SDK);
    }

    @Test
    void noneOrADisabledSdkKeepsItOff() {
        assertThat(TracingSetup.source(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"),
                properties(), false)).isEqualTo(TracingSetup.Source.OFF);
        assertThat(TracingSetup.source(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED", "true"),
                properties(), false)).isEqualTo(TracingSetup.Source.OFF);
        assertThat(TracingSetup.source(Map.of("OTEL_TRACES_EXPORTER", "otlp"), properties("otel.traces.exporter", "none"),
                false)).as("the system property wins over the variable").isEqualTo(TracingSetup.Source.OFF);
    }

    @Test
    void theAgentsOpenTelemetryWinsOverAnSdkOfOurOwn() {
        assertThat(TracingSetup.source(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), properties(), true))
                .isEqualTo(TracingSetup.Source.AGENT);
        assertThat(TracingSetup.source(Map.of(), properties(), true)).isEqualTo(TracingSetup.Source.AGENT);
        assertThat(TracingSetup.agentRunning()).as("no agent in unit tests").isFalse();
    }

    @Test
    void defaultsNameTheServiceAndExportOnlyTracesOverHttp() {
        assertThat(TracingSetup.defaults(Map.of(), properties())).containsEntry("otel.service.name", "switchboard")
                .containsEntry("otel.exporter.otlp.protocol", "http/protobuf")
                .containsEntry("otel.metrics.exporter", "none").containsEntry("otel.logs.exporter", "none");
        assertThat(TracingSetup.defaults(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=gw,team=ml"), properties()))
                .as("a service name in the resource attributes is kept").doesNotContainKey("otel.service.name");
    }

    @Test
    void anSdkStartsFromTheSettingsAndStopsWithoutAnyCollector() {
        Tracing tracing = TracingSetup.start(Map.of(), properties("otel.traces.exporter", "otlp",
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:9"));
        try {
            assertThat(tracing.isOn()).isTrue();
        } finally {
            tracing.close();
        }
        Tracing refused = TracingSetup.start(Map.of(), properties("otel.traces.exporter", "no-such-exporter"));
        assertThat(refused).as("settings the SDK refuses leave tracing off").isSameAs(Tracing.OFF);
    }

    /**
     * The exporter takes the one sender it finds; a second one (the SDK's JDK HttpClient sender,
     * whose threads outlive an undeploy) would be picked or not at the SDK's whim
     * (docs/operations.md#tracing).
     */
    @Test
    void theOnlyOtlpSenderInTheWarIsSwitchboardsOwn() {
        assertThat(ServiceLoader.load(HttpSenderProvider.class).stream().map(provider -> provider.type().getName()))
                .containsExactly(OtlpHttpSenderProvider.class.getName());
    }

    @Test
    void contentCaptureIsOffUnlessSwitchedOnWithTrue() {
        assertThat(TracingSetup.captureContent(Map.of(), properties())).isFalse();
        assertThat(TracingSetup.captureContent(Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "yes"),
                properties())).isFalse();
        assertThat(TracingSetup.captureContent(Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "TRUE"),
                properties())).isTrue();
        assertThat(TracingSetup.captureContent(Map.of(),
                properties("otel.instrumentation.genai.capture-message-content", "true"))).isTrue();
        assertThat(TracingSetup.captureContent(Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true"),
                properties("otel.instrumentation.genai.capture-message-content", "false")))
                .as("the system property wins over the variable").isFalse();
    }
}
