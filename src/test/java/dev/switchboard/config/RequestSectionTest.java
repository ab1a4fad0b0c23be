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
    void theCapsAreRead() {
        RequestLimits limits = parse("{'maxInFlight':7,'maxStreamMs':60000}").requests();
        assertThat(limits.maxInFlight()).isEqualTo(7);
        assertThat(limits.maxStreamMs()).isEqualTo(60_000);
        assertThat(parse("{'maxStreamMs':0}").requests().maxStreamMs()).isZero();
    }

    @Test
    void theDefaultCapIsSizedToTheHeapAndNeverBelowTheFloor() {
        assertThat(RequestLimits.defaultMaxInFlight(256L * 1024 * 1024)).isEqualTo(RequestLimits.MIN_DEFAULT_MAX_IN_FLIGHT);
        assertThat(RequestLimits.defaultMaxInFlight(4L * 1024 * 1024 * 1024)).isEqualTo(20_971);
        assertThat(RequestLimits.defaultMaxInFlight(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aTokenAndATeamCapAreRead() {
        String text = ("{'providers':{'e':{'type':'echo'}},'models':{'m':{'provider':'e'}},"
                + "'teams':{'research':{'maxConcurrent':4}},"
                + "'tokens':[{'name':'t','token':'secret-token','team':'research','maxConcurrent':2},"
                + "{'name':'u','token':'secret-token-2'}]}").replace('\'', '"');
        GatewayConfig config = ConfigParser.parse(text, Map.of(), "test");
        assertThat(config.tokens().get(0).maxConcurrent()).isEqualTo(2);
        assertThat(config.tokens().get(1).maxConcurrent()).isNull();
        assertThat(config.teams().get("research").maxConcurrent()).isEqualTo(4);
        assertThatThrownBy(() -> ConfigParser.parse(text.replace("\"maxConcurrent\":2", "\"maxConcurrent\":0"),
                Map.of(), "test")).isInstanceOf(ConfigException.class).hasMessageContaining("tokens[0].maxConcurrent");
    }

    @Test
    void badValuesNameTheirField() {
        assertThatThrownBy(() -> parse("{'maxInFlight':0}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests.maxInFlight");
        assertThatThrownBy(() -> parse("{'maxStreamMs':-1}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests.maxStreamMs");
        assertThatThrownBy(() -> parse("{'bodyIdleMs':0}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests.bodyIdleMs");
        assertThatThrownBy(() -> parse("{'bodyMinBytesPerSecond':1.5}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests.bodyMinBytesPerSecond");
        assertThatThrownBy(() -> parse("{'bodyIdleMS':1}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requests.bodyIdleMS");
    }
}
