package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The routing parts of the configuration: alias strategies, retry and cooldown policies, rate limits. */
class RoutingConfigTest {
    private static GatewayConfig parse(String singleQuoted) {
        return ConfigParser.parse(singleQuoted.replace('\'', '"'), Map.of(), "test");
    }

    private static String config(String extraTop, String provider, String aliases, String token) {
        return "{" + extraTop + "'providers':{'p':{'type':'openai','baseUrl':'http://h/v1'" + provider + "}},"
                + "'models':{'a':{'provider':'p'},'b':{'provider':'p'},'c':{'provider':'p'}},"
                + "'aliases':" + aliases + ","
                + "'tokens':[{'name':'t','token':'test-token-x'" + token + "}]}";
    }

    @Test
    void aliasesTakeAListOrAStrategyWithPlainOrWeightedTargets() {
        GatewayConfig config = parse(config("", "", "{'list':['a','b'],"
                + "'rr':{'strategy':'round-robin','targets':['b','c']},"
                + "'w':{'strategy':'weighted','targets':[{'model':'a','weight':3},{'model':'b'}]},"
                + "'plain':{'targets':['c']}}", ""));

        assertThat(config.aliases().get("list").strategy()).isEqualTo(AliasConfig.Strategy.FALLBACK);
        assertThat(config.aliases().get("list").models()).containsExactly("a", "b");
        assertThat(config.aliases().get("rr").strategy()).isEqualTo(AliasConfig.Strategy.ROUND_ROBIN);
        assertThat(config.aliases().get("w").targets()).containsExactly(
                new AliasConfig.AliasTarget("a", 3), new AliasConfig.AliasTarget("b", 1));
        assertThat(config.aliases().get("plain").strategy()).isEqualTo(AliasConfig.Strategy.FALLBACK);
    }

    @Test
    void leastLatencyAndLeastBusyAreStrategiesByTheirConfigNames() {
        GatewayConfig config = parse(config("", "", "{'quick':{'strategy':'least-latency','targets':['a','b']},"
                + "'idle':{'strategy':'least-busy','targets':['b','c']}}", ""));

        assertThat(config.aliases().get("quick").strategy()).isEqualTo(AliasConfig.Strategy.LEAST_LATENCY);
        assertThat(config.aliases().get("idle").strategy()).isEqualTo(AliasConfig.Strategy.LEAST_BUSY);
        assertThat(config.aliases().get("idle").models()).containsExactly("b", "c");
    }

    @Test
    void retryAndCooldownDefaultGloballyAndAProviderOverridesFieldByField() {
        GatewayConfig defaults = parse(config("", "", "{}", ""));
        assertThat(defaults.providers().get("p").retry()).isEqualTo(RetryPolicy.DEFAULTS);
        assertThat(defaults.providers().get("p").cooldown()).isEqualTo(CooldownPolicy.DEFAULTS);

        GatewayConfig config = parse(config("'retry':{'attempts':4,'capMs':9000},'cooldown':{'periodMs':60000},",
                ",'retry':{'baseMs':500},'cooldown':{'failures':5}", "{}", ""));
        assertThat(config.providers().get("p").retry()).isEqualTo(new RetryPolicy(4, 500, 9000));
        assertThat(config.providers().get("p").cooldown()).isEqualTo(new CooldownPolicy(5, 60000));
    }

    @Test
    void tokensMayCarryRequestAndTokenBudgets() {
        TokenConfig token = parse(config("", "", "{}", ",'rpm':60,'tpm':100000")).tokens().get(0);
        assertThat(token.rpm()).isEqualTo(60L);
        assertThat(token.tpm()).isEqualTo(100000L);
        assertThat(parse(config("", "", "{}", "")).tokens().get(0).rpm()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown strategy | {'x':{'strategy':'random','targets':['a']}} | aliases.x.strategy | unknown strategy 'random'",
        "no targets | {'x':{'strategy':'weighted'}} | aliases.x.targets | is required",
        "empty targets | {'x':{'targets':[]}} | aliases.x.targets | an alias needs at least one model",
        "zero weight | {'x':{'strategy':'weighted','targets':[{'model':'a','weight':0}]}} | aliases.x.targets[0].weight | positive whole number",
        "missing model | {'x':{'targets':[{'model':'zz'}]}} | aliases.x.targets[0] | names model 'zz'",
        "typo in target | {'x':{'targets':[{'modle':'a'}]}} | aliases.x.targets[0].modle | unknown field",
        "typo in alias | {'x':{'strategy':'fallback','target':['a']}} | aliases.x.target | unknown field",
        "a number | {'x':7} | aliases.x | must be a list of model ids or an object",
    })
    void badAliasesNameTheirField(String name, String aliases, String field, String fragment) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(config("", "", aliases, "")));
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(fragment);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zero attempts | 'retry':{'attempts':0}, | | retry.attempts",
        "cap below base | 'retry':{'baseMs':1000,'capMs':10}, | | retry.capMs",
        "retry typo | 'retry':{'attempt':3}, | | retry.attempt",
        "provider zero failures | | ,'cooldown':{'failures':0} | providers.p.cooldown.failures",
        "provider negative period | | ,'cooldown':{'periodMs':-1} | providers.p.cooldown.periodMs",
    })
    void badPoliciesNameTheirField(String name, String top, String provider, String field) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(config(
                top == null ? "" : top, provider == null ? "" : provider, "{}", "")));
        assertThat(e.field()).isEqualTo(field);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zero rpm | ,'rpm':0 | tokens[0].rpm",
        "fractional tpm | ,'tpm':1.5 | tokens[0].tpm",
        "string rpm | ,'rpm':'60' | tokens[0].rpm",
    })
    void badBudgetsNameTheirField(String name, String token, String field) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(config("", "", "{}", token)));
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains("positive whole number");
    }
}
