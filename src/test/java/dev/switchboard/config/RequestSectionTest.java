package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code requests} section: defaults, values and refusals naming the field. */
class RequestSectionTest {
    private static GatewayConfig parse(String requests) {
        String text = ("{" + (requests == null ? "" : "'requests':" + requests + ",")
                + "'providers':{'e':{'type':'echo'}},'models':{'m':{'provider':'e'}},"
                + "'tokens':[{'name':'t','token':'secret-token'}]}").replace('\'', '"');
        return ConfigParser.parse(text, Map.of(), "test");
    }

    @Test
    void absentMeansTheDefaultsForThisHeap() {
        assertThat(parse(null).requests()).isEqualTo(RequestLimits.defaults());
        assertThat(RequestLimits.defaults().maxInFlight()).isGreaterThanOrEqualTo(RequestLimits.MIN_DEFAULT_MAX_IN_FLIGHT);
        assertThat(RequestLimits.defaults().maxStreamMs()).isZero();
    }

    @Test
    void everyFieldIsRead() {
        RequestLimits limits = parse("{'bodyIdleMs':3000,'bodyGraceMs':0,'bodyMinBytesPerSecond':0}").requests();
        assertThat(limits).isEqualTo(new RequestLimits(3000, 0, 0, RequestLimits.defaults().maxInFlight(), 0));
    }

    @Test
    void badValuesNameTheirField() {
        assertThatThrownBy(() -> parse("{'bodyIdleMs':0}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests.bodyIdleMs");
        assertThatThrownBy(() -> parse("{'bodyMinBytesPerSecond':1.5}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests.bodyMinBytesPerSecond");
        assertThatThrownBy(() -> parse("{'bodyIdleMS':1}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests.bodyIdleMS");
    }
}
