package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PricingConfigTest {
    private static String withPricing(String pricing) {
        return ("{'providers':{'p':{'type':'anthropic'}},'models':{'m':{'provider':'p','pricing':" + pricing
                + "}},'tokens':[{'name':'t','token':'secret-token-1'}]}").replace('\'', '"');
    }

    @Test
    void aModelsPricesAreKeptExactly() {
        GatewayConfig config = ConfigParser.parse(withPricing(
                "{'input':3.00,'output':15,'cachedInput':0.30,'cacheWrite':3.75,'cacheWrite1h':6}"), Map.of(), "test");

        Pricing pricing = config.models().get("m").pricing();

        assertThat(pricing.input()).isEqualTo(new BigDecimal("3"));
        assertThat(pricing.output()).isEqualTo(new BigDecimal("15"));
        assertThat(pricing.cachedInput()).isEqualTo(new BigDecimal("0.3"));
        assertThat(pricing.cacheWrite()).isEqualTo(new BigDecimal("3.75"));
        assertThat(pricing.cacheWrite1h()).isEqualTo(new BigDecimal("6"));
    }

    @Test
    void aModelWithoutPricingHasNone() {
        GatewayConfig config = ConfigParser.parse(withPricing("null").replace(",\"pricing\":null", ""), Map.of(), "test");

        assertThat(config.models().get("m").pricing()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'input':1}|models.m.pricing.output|is required",
        "{'input':-1,'output':1}|models.m.pricing.input|between 0 and",
        "{'input':1,'output':'2'}|models.m.pricing.output|must be a number",
        "{'input':1,'output':2,'cachedInput':0.0000001}|models.m.pricing.cachedInput|decimal places",
        "{'input':1,'output':2,'batch':1}|models.m.pricing.batch|unknown field",
        "[1,2]|models.m.pricing|must be an object"})
    void badPricesNameTheirField(String pricing, String field, String fragment) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigParser.parse(withPricing(pricing), Map.of(), "test"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(field).contains(fragment);
    }
}
