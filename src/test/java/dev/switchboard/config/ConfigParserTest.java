package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigParserTest {
    private static final String CI_TOKEN = "ci-bot-secret";
    private static final String CI_SHA256 = HexFormat.of().formatHex(ConfigParser.sha256(CI_TOKEN));

    /** The example of docs/configuration.md, shortened, with the ci-bot digest filled in. */
    static final String FULL_EXAMPLE = """
            {"providers":{
               "anthropic":{"type":"anthropic","baseUrl":"https://api.anthropic.com","apiKey":"${ANTHROPIC_API_KEY}"},
               "openai":{"type":"openai","baseUrl":"https://api.openai.com/v1","apiKey":"${OPENAI_API_KEY}"},
               "local":{"type":"openai","baseUrl":"http://127.0.0.1:11434/v1"}},
             "models":{
               "claude-sonnet-4-6":{"provider":"anthropic"},
               "gpt-4o":{"provider":"openai"},
               "gpt-4o-mini":{"provider":"openai"},
               "llama3":{"provider":"local","upstreamModel":"llama3.1:8b"}},
             "aliases":{
               "fast":["gpt-4o-mini","llama3"],
               "balanced":["claude-sonnet-4-6","gpt-4o"],
               "smart":["claude-sonnet-4-6"]},
             "tokens":[
               {"name":"alice","token":"${SWITCHBOARD_TOKEN}"},
               {"name":"ci-bot","sha256":"<hex>","models":["fast","llama3"]}]}
            """.replace("<hex>", CI_SHA256);

    static final Map<String, String> FULL_ENV = Map.of(
            "ANTHROPIC_API_KEY", "sk-ant-test",
            "OPENAI_API_KEY", "sk-openai-test",
            "SWITCHBOARD_TOKEN", "alice-secret");

    /** Writes JSON with single quotes for readability; no value here contains an apostrophe. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A small valid configuration with the given parts; null keeps the default part. */
    private static String config(String providers, String models, String aliases, String tokens) {
        return json("{'providers':" + (providers != null ? providers : "{'p':{'type':'openai','baseUrl':'http://localhost:1/v1'}}")
                + ",'models':" + (models != null ? models : "{'m':{'provider':'p'}}")
                + (aliases != null ? ",'aliases':" + aliases : "")
                + ",'tokens':" + (tokens != null ? tokens : "[{'name':'t','token':'secret-token'}]") + "}");
    }

    private static String withProvider(String provider) {
        return config("{'p':" + provider + "}", null, null, null);
    }

    /** A configuration with a team 'research' and one issuer under auth.jwt, given as fields. */
    private static String withJwt(String issuerFields) {
        return json("{'providers':{'p':{'type':'echo'}},'models':{'m':{'provider':'p'}},'teams':{'research':{'models':['m']}},"
                + "'auth':{'jwt':[{" + issuerFields + "}]}}");
    }

    private static final String GOOD_ISSUER = "'issuer':'https://login.example.com/realms/acme','audience':'switchboard',"
            + "'teamsClaim':'groups','teams':{'ml':'research'}";

    private static String withToken(String token) {
        return config(null, null, null, "[" + token + "]");
    }

    private static GatewayConfig parse(String text) {
        return ConfigParser.parse(text, Map.of(), "test");
    }

    private static Arguments bad(String name, String config, String field, String fragment) {
        return Arguments.of(name, config, Map.of(), field, fragment);
    }

    @Test
    void jwtIssuersNeedNoStaticToken() {
        GatewayConfig config = ConfigParser.parse(withJwt(GOOD_ISSUER + ",'jwksUri':'http://127.0.0.1:9/keys'"), Map.of(), "test");
        assertThat(config.tokens()).isEmpty();
        assertThat(config.jwtIssuers()).singleElement().satisfies(issuer -> {
            assertThat(issuer.nameClaim()).isEqualTo("sub");
            assertThat(issuer.teams()).containsEntry("ml", "research");
            assertThat(issuer.jwksUri()).hasToString("http://127.0.0.1:9/keys");
        });
    }

    static Stream<Arguments> invalidConfigs() {
        Map<String, String> noAnthropicKey = new HashMap<>(FULL_ENV);
        noAnthropicKey.remove("ANTHROPIC_API_KEY");
        return Stream.of(
                // the file as a whole
                bad("malformed JSON", "{\"providers\":", null, "the configuration must be one JSON object"),
                bad("empty file", "", null, "the configuration must be one JSON object"),
                bad("array", "[]", null, "expected a JSON object but found an array"),
                bad("two objects", config(null, null, null, null) + "{}", null, "the configuration must be one JSON object"),
                bad("duplicate key", json("{'providers':{},'providers':{}}"), null, "Duplicate key 'providers'"),
                bad("unknown top-level field", config(null, null, null, null).replace("\"tokens\"", "\"token\""), "token",
                        "unknown field (expected one of aliases, auth, cooldown, database, maxRequestBytes, maxTranslationFactor, metrics, models, providers, redis, requests, retry,"
                                + " shutdownGraceMs, teams, tokens)"),
                // providers
                bad("providers missing", json("{'models':{},'tokens':[]}"), "providers", "is required"),
                bad("providers empty", config("{}", null, null, null), "providers", "at least one provider is required"),
                bad("providers an array", config("[]", null, null, null), "providers", "must be an object, but it is an array"),
                bad("provider a string", withProvider("'openai'"), "providers.p", "must be an object, but it is a string"),
                bad("unknown provider type", withProvider("{'type':'azure'}"), "providers.p.type",
                        "unknown provider type 'azure' (expected openai, anthropic, gemini or echo)"),
                bad("provider type in capitals", withProvider("{'type':'OpenAI'}"), "providers.p.type", "unknown provider type 'OpenAI'"),
                bad("provider type missing", withProvider("{'baseUrl':'http://h'}"), "providers.p.type", "is required"),
                bad("provider type a number", withProvider("{'type':1}"), "providers.p.type", "must be a string, but it is a number"),
                bad("provider field typo", withProvider("{'type':'openai','baseURL':'http://h'}"), "providers.p.baseURL",
                        "unknown field (expected one of apiKey, baseUrl, cooldown, headers, responsesApi, retry, timeouts, type)"),
                bad("baseUrl ftp", withProvider("{'type':'openai','baseUrl':'ftp://h/v1'}"), "providers.p.baseUrl",
                        "'ftp://h/v1' must be an absolute http:// or https:// URL"),
                bad("baseUrl relative", withProvider("{'type':'openai','baseUrl':'/v1'}"), "providers.p.baseUrl", "must be an absolute http:// or https:// URL"),
                bad("baseUrl without host", withProvider("{'type':'openai','baseUrl':'http:///v1'}"), "providers.p.baseUrl", "must be an absolute http:// or https:// URL"),
                bad("baseUrl hostname only", withProvider("{'type':'openai','baseUrl':'api.openai.com'}"), "providers.p.baseUrl", "must be an absolute http:// or https:// URL"),
                bad("baseUrl with a space", withProvider("{'type':'openai','baseUrl':'http://exa mple.com'}"), "providers.p.baseUrl", "is not a valid URL"),
                bad("baseUrl with a query", withProvider("{'type':'openai','baseUrl':'http://h/v1?key=x'}"), "providers.p.baseUrl", "must not carry a query or fragment"),
                bad("baseUrl with a fragment", withProvider("{'type':'openai','baseUrl':'http://h/v1#x'}"), "providers.p.baseUrl", "must not carry a query or fragment"),
                bad("baseUrl a number", withProvider("{'type':'openai','baseUrl':8080}"), "providers.p.baseUrl", "must be a string"),
                bad("header name with a space", withProvider("{'type':'openai','headers':{'bad header':'x'}}"), "providers.p.headers.bad header",
                        "is not a valid HTTP header name"),
                bad("header value a number", withProvider("{'type':'openai','headers':{'X-Id':1}}"), "providers.p.headers.X-Id", "must be a string"),
                bad("header name with a line break", withProvider("{'type':'openai','headers':{'X-Id\\r\\nX-Evil':'x'}}"),
                        "providers.p.headers.X-Id\\r\\nX-Evil", "is not a valid HTTP header name"),
                bad("header value with CR LF", withProvider("{'type':'openai','headers':{'X-Id':'a\\r\\nX-Evil: 1'}}"),
                        "providers.p.headers.X-Id", "must not contain a carriage return (CR)"),
                bad("header value with a bare LF", withProvider("{'type':'openai','headers':{'X-Id':'a\\nb'}}"),
                        "providers.p.headers.X-Id", "must not contain a line feed (LF)"),
                bad("header value with NUL", withProvider("{'type':'openai','headers':{'X-Id':'a\\u0000b'}}"),
                        "providers.p.headers.X-Id", "must not contain a control character"),
                Arguments.of("header value whose variable ends in a line break",
                        withProvider("{'type':'openai','headers':{'X-Id':'${HEADER_VALUE}'}}"), Map.of("HEADER_VALUE", "v1\n"),
                        "providers.p.headers.X-Id", "must not contain a line feed (LF)"),
                Arguments.of("apiKey whose variable ends in a line break",
                        withProvider("{'type':'openai','apiKey':'${OPENAI_API_KEY}'}"), Map.of("OPENAI_API_KEY", "sk-test\r\n"),
                        "providers.p.apiKey", "must not contain a carriage return (CR)"),
                bad("header value with unset variable", withProvider("{'type':'openai','headers':{'X-Id':'${UNSET_HEADER}'}}"),
                        "providers.p.headers.X-Id", "environment variable UNSET_HEADER is not set"),
                bad("connect timeout zero", withProvider("{'type':'openai','timeouts':{'connectMs':0}}"), "providers.p.timeouts.connectMs",
                        "must be a positive whole number"),
                bad("first-byte timeout negative", withProvider("{'type':'openai','timeouts':{'firstByteMs':-1}}"), "providers.p.timeouts.firstByteMs",
                        "must be a positive whole number"),
                bad("idle timeout fractional", withProvider("{'type':'openai','timeouts':{'idleMs':1.5}}"), "providers.p.timeouts.idleMs",
                        "must be a positive whole number"),
                bad("idle timeout a string", withProvider("{'type':'openai','timeouts':{'idleMs':'1000'}}"), "providers.p.timeouts.idleMs",
                        "must be a positive whole number"),
                bad("timeout beyond an int", withProvider("{'type':'openai','timeouts':{'connectMs':3000000000}}"), "providers.p.timeouts.connectMs",
                        "must be a positive whole number"),
                bad("timeout field typo", withProvider("{'type':'openai','timeouts':{'readMs':5}}"), "providers.p.timeouts.readMs",
                        "unknown field (expected one of connectMs, firstByteMs, idleMs)"),
                bad("timeouts a number", withProvider("{'type':'openai','timeouts':5}"), "providers.p.timeouts", "must be an object"),
                // models
                bad("models missing", json("{'providers':{'p':{'type':'echo'}},'tokens':[]}"), "models", "is required"),
                bad("models empty", config(null, "{}", null, null), "models", "at least one model is required"),
                bad("model naming a missing provider", config(null, "{'m':{'provider':'nope'}}", null, null), "models.m.provider",
                        "names provider 'nope', which is not defined under 'providers'"),
                bad("model without provider", config(null, "{'m':{}}", null, null), "models.m.provider", "is required"),
                bad("model field typo", config(null, "{'m':{'provider':'p','upstream_model':'x'}}", null, null), "models.m.upstream_model",
                        "unknown field (expected one of maxOutputTokens, pricing, provider, type, upstreamModel)"),
                bad("model maxOutputTokens zero", config(null, "{'m':{'provider':'p','maxOutputTokens':0}}", null, null),
                        "models.m.maxOutputTokens", "must be a positive whole number"),
                bad("blank model id", config(null, "{' ':{'provider':'p'}}", null, null), "models. ", "a model id must not be blank"),
                bad("model a string", config(null, "{'m':'p'}", null, null), "models.m", "must be an object"),
                // aliases
                bad("alias naming a missing model", config(null, null, "{'fast':['m','nope']}", null), "aliases.fast[1]",
                        "names model 'nope', which is not defined under 'models'"),
                bad("alias clashing with a model id", config(null, null, "{'m':['m']}", null), "aliases.m",
                        "'m' is already a model id; an alias needs its own name"),
                bad("alias with no models", config(null, null, "{'fast':[]}", null), "aliases.fast", "an alias needs at least one model"),
                bad("alias a string", config(null, null, "{'fast':'m'}", null), "aliases.fast", "must be a list of model ids or an object with 'strategy' and 'targets', but it is a string"),
                bad("alias target a number", config(null, null, "{'fast':[1]}", null), "aliases.fast[0]", "must be a string"),
                bad("aliases an array", config(null, null, "[]", null), "aliases", "must be an object"),
                // environment
                Arguments.of("unset variable in the full example", FULL_EXAMPLE, noAnthropicKey, "providers.anthropic.apiKey",
                        "environment variable ANTHROPIC_API_KEY is not set and has no default"),
                Arguments.of("unset variable in a token", FULL_EXAMPLE, Map.of("ANTHROPIC_API_KEY", "a", "OPENAI_API_KEY", "o"),
                        "tokens[0].token", "environment variable SWITCHBOARD_TOKEN is not set"),
                Arguments.of("empty variable as a token", FULL_EXAMPLE, Map.of("ANTHROPIC_API_KEY", "a", "OPENAI_API_KEY", "o", "SWITCHBOARD_TOKEN", ""),
                        "tokens[0].token", "must not be empty"),
                // auth.jwt
                bad("http issuer elsewhere than loopback", withJwt(GOOD_ISSUER.replace("https://login", "http://login")),
                        "auth.jwt[0].issuer", "must use https://"),
                bad("http jwksUri elsewhere than loopback", withJwt(GOOD_ISSUER + ",'jwksUri':'http://10.0.0.1/keys'"),
                        "auth.jwt[0].jwksUri", "must use https://"),
                bad("issuer with a fragment", withJwt(GOOD_ISSUER.replace("acme'", "acme#x'")), "auth.jwt[0].issuer",
                        "no query and no fragment"),
                bad("issuer too long", withJwt(GOOD_ISSUER.replace("acme'", "a".repeat(100) + "'")), "auth.jwt[0].issuer",
                        "longer than 120"),
                bad("no audience", withJwt(GOOD_ISSUER.replace("'audience':'switchboard',", "")), "auth.jwt[0].audience",
                        "is required"),
                bad("mapping to an unknown team", withJwt(GOOD_ISSUER.replace("'research'}", "'nope'}")),
                        "auth.jwt[0].teams.ml", "names team 'nope'"),
                bad("unknown default team", withJwt(GOOD_ISSUER + ",'defaultTeam':'nope'"), "auth.jwt[0].defaultTeam",
                        "names team 'nope'"),
                bad("no team at all", withJwt(GOOD_ISSUER.replace(",'teams':{'ml':'research'}", "")), "auth.jwt[0].teams",
                        "every caller of this issuer would be refused"),
                bad("short shared secret", withJwt(GOOD_ISSUER + ",'sharedSecret':'short'"), "auth.jwt[0].sharedSecret",
                        "at least 32"),
                bad("unknown issuer field", withJwt(GOOD_ISSUER + ",'audiences':['x']"), "auth.jwt[0].audiences",
                        "unknown field"),
                bad("static token named like a JWT caller", withJwt(GOOD_ISSUER).replace("}]}}",
                        "}]},\"tokens\":[{\"name\":\"jwt:x\",\"token\":\"static-token-123\"}]}"), "tokens[0].name",
                        "must not start with 'jwt:'"),
                // tokens
                bad("tokens missing", json("{'providers':{'p':{'type':'echo'}},'models':{'m':{'provider':'p'}}}"), "tokens",
                        "at least one token is required"),
                bad("tokens empty", config(null, null, null, "[]"), "tokens", "at least one token is required"),
                bad("tokens an object", config(null, null, null, "{}"), "tokens", "must be an array"),
                bad("token a string", config(null, null, null, "['secret']"), "tokens[0]", "must be an object"),
                bad("token with neither token nor sha256", withToken("{'name':'t'}"), "tokens[0]", "a token needs either 'token' or 'sha256'"),
                bad("token with both", withToken("{'name':'t','token':'test-token-x','sha256':'" + CI_SHA256 + "'}"), "tokens[0]",
                        "give either 'token' or 'sha256', not both"),
                bad("sha256 too short", withToken("{'name':'t','sha256':'abc123'}"), "tokens[0].sha256", "must be 64 hexadecimal digits"),
                bad("sha256 not hex", withToken("{'name':'t','sha256':'" + "g".repeat(64) + "'}"), "tokens[0].sha256", "must be 64 hexadecimal digits"),
                bad("sha256 too long", withToken("{'name':'t','sha256':'" + CI_SHA256 + "0'}"), "tokens[0].sha256", "must be 64 hexadecimal digits"),
                bad("empty token", withToken("{'name':'t','token':''}"), "tokens[0].token", "must not be empty"),
                bad("one-character token", withToken("{'name':'t','token':'x'}"), "tokens[0].token",
                        "is 1 characters long; a bearer token needs at least 12"),
                bad("eleven-character token", withToken("{'name':'t','token':'sb-it-token'}"), "tokens[0].token",
                        "is 11 characters long; a bearer token needs at least 12"),
                bad("short token in the second entry", config(null, null, null,
                        "[{'name':'a','token':'long-enough-token'},{'name':'b','token':'secret'}]"), "tokens[1].token",
                        "is 6 characters long"),
                Arguments.of("short token from a variable", FULL_EXAMPLE, Map.of("ANTHROPIC_API_KEY", "a", "OPENAI_API_KEY", "o",
                        "SWITCHBOARD_TOKEN", "alice"), "tokens[0].token", "is 5 characters long"),
                bad("token name missing", withToken("{'token':'test-token-x'}"), "tokens[0].name", "is required"),
                bad("duplicate token names", config(null, null, null, "[{'name':'t','token':'test-token-a'},{'name':'t','token':'test-token-b'}]"), "tokens[1].name",
                        "token name 't' is used twice"),
                bad("allowlist naming an unknown model", config(null, null, "{'fast':['m']}", "[{'name':'t','token':'test-token-x','models':['fast','nope']}]"),
                        "tokens[0].models[1]", "names 'nope', which is neither a model nor an alias"),
                bad("allowlist a string", withToken("{'name':'t','token':'test-token-x','models':'m'}"), "tokens[0].models", "must be an array"),
                bad("token field typo", withToken("{'name':'t','token':'test-token-x','model':['m']}"), "tokens[0].model",
                        "unknown field (expected one of admin, budget, maxConcurrent, metrics, models, name, rpm, sha256, team, token, tpm)"),
                // limits
                bad("maxTranslationFactor zero", config(null, null, null, null).replace("{\"providers\"", "{\"maxTranslationFactor\":0,\"providers\""),
                        "maxTranslationFactor", "must be a positive whole number"),
                bad("maxTranslationFactor fractional", config(null, null, null, null).replace("{\"providers\"", "{\"maxTranslationFactor\":2.5,\"providers\""),
                        "maxTranslationFactor", "must be a positive whole number"),
                bad("maxRequestBytes zero", config(null, null, null, null).replace("{\"providers\"", "{\"maxRequestBytes\":0,\"providers\""),
                        "maxRequestBytes", "must be a positive whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void invalidConfigIsAConfigExceptionNamingTheField(String name, String config, Map<String, String> env, String field, String fragment) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(config, env, "test"));

        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(fragment);
        if (field != null) {
            assertThat(e.getMessage()).startsWith(field + ": ");
        }
    }

    @Test
    void fullExampleParsesWithEnvironmentSubstituted() {
        GatewayConfig config = ConfigParser.parse(FULL_EXAMPLE, FULL_ENV, "file /etc/switchboard.json");

        assertThat(config.source()).isEqualTo("file /etc/switchboard.json");
        assertThat(config.maxRequestBytes()).isEqualTo(GatewayConfig.DEFAULT_MAX_REQUEST_BYTES);

        assertThat(config.providers().keySet()).containsExactly("anthropic", "openai", "local");
        ProviderConfig anthropic = config.providers().get("anthropic");
        assertThat(anthropic.type()).isEqualTo(ProviderType.ANTHROPIC);
        assertThat(anthropic.baseUrl()).isEqualTo(URI.create("https://api.anthropic.com"));
        assertThat(anthropic.apiKey()).isEqualTo("sk-ant-test");
        assertThat(anthropic.timeouts()).isEqualTo(Timeouts.DEFAULTS);
        assertThat(config.providers().get("openai").apiKey()).isEqualTo("sk-openai-test");
        ProviderConfig local = config.providers().get("local");
        assertThat(local.type()).isEqualTo(ProviderType.OPENAI);
        assertThat(local.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:11434/v1"));
        assertThat(local.apiKey()).isNull();
        assertThat(local.headers()).isEmpty();

        assertThat(config.models().keySet()).containsExactly("claude-sonnet-4-6", "gpt-4o", "gpt-4o-mini", "llama3");
        assertThat(config.models().get("llama3")).isEqualTo(new ModelConfig("llama3", "local", "llama3.1:8b", null));
        assertThat(config.models().get("gpt-4o")).isEqualTo(new ModelConfig("gpt-4o", "openai", "gpt-4o", null));

        assertThat(config.aliases().keySet()).containsExactly("fast", "balanced", "smart");
        assertThat(config.aliases().get("fast").models()).containsExactly("gpt-4o-mini", "llama3");
        assertThat(config.aliases().get("balanced").models()).containsExactly("claude-sonnet-4-6", "gpt-4o");
        assertThat(config.aliases().get("smart").models()).containsExactly("claude-sonnet-4-6");

        assertThat(config.tokens()).extracting(TokenConfig::name).containsExactly("alice", "ci-bot");
        TokenConfig alice = config.tokens().get(0);
        assertThat(alice.sha256()).isEqualTo(ConfigParser.sha256("alice-secret"));
        assertThat(alice.models()).isNull();
        TokenConfig ci = config.tokens().get(1);
        assertThat(ci.sha256()).isEqualTo(ConfigParser.sha256(CI_TOKEN));
        assertThat(ci.models()).containsExactlyInAnyOrder("fast", "llama3");
    }

    @Test
    void parsedConfigurationIsUnmodifiable() {
        GatewayConfig config = ConfigParser.parse(FULL_EXAMPLE, FULL_ENV, "test");

        assertThat(config.models()).isUnmodifiable();
        assertThat(config.aliases()).isUnmodifiable();
        assertThat(config.providers()).isUnmodifiable();
        assertThat(config.tokens()).isUnmodifiable();
    }

    @ParameterizedTest(name = "[{index}] {0} with env {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "${K:-fallback}     | ``       | fallback",
            "${K:-fallback}     | set      | set",
            "${EMPTY:-fallback} | ``       | fallback",
            "pre-${K}-post      | v        | pre-v-post",
            "$${K}              | v        | ${K}"})
    void stringValuesAreSubstituted(String apiKey, String k, String expected) {
        Map<String, String> env = new HashMap<>();
        env.put("EMPTY", "");
        if (!k.isEmpty()) {
            env.put("K", k);
        }
        String text = withProvider("{'type':'openai','apiKey':'" + apiKey + "'}");

        GatewayConfig config = ConfigParser.parse(text, env, "test");

        assertThat(config.providers().get("p").apiKey()).isEqualTo(expected);
    }

    @Test
    void substitutionReachesHeadersAliasesAndAllowlists() {
        String text = config("{'p':{'type':'openai','headers':{'X-Org':'${ORG}','X-Lit':'$${ORG}'}}}",
                "{'m':{'provider':'p','upstreamModel':'${UPSTREAM:-real-name}'}}",
                "{'fast':['${FAST_MODEL}']}",
                "[{'name':'t','token':'test-token-x','models':['${ALLOWED}']}]");

        GatewayConfig config = ConfigParser.parse(text, Map.of("ORG", "acme", "FAST_MODEL", "m", "ALLOWED", "fast"), "test");

        assertThat(config.providers().get("p").headers()).containsEntry("X-Org", "acme").containsEntry("X-Lit", "${ORG}");
        assertThat(config.models().get("m").upstreamModel()).isEqualTo("real-name");
        assertThat(config.aliases().get("fast").models()).containsExactly("m");
        assertThat(config.tokens().get(0).models()).containsExactly("fast");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "openai    | https://api.openai.com/v1",
            "anthropic | https://api.anthropic.com",
            "gemini    | https://generativelanguage.googleapis.com"})
    void baseUrlDefaultsPerType(String type, String expected) {
        GatewayConfig config = parse(withProvider("{'type':'" + type + "'}"));

        assertThat(config.providers().get("p").baseUrl()).isEqualTo(URI.create(expected));
        assertThat(config.providers().get("p").type().configName()).isEqualTo(type);
    }

    @Test
    void echoNeedsNoBaseUrl() {
        ProviderConfig echo = parse(withProvider("{'type':'echo'}")).providers().get("p");

        assertThat(echo.type()).isEqualTo(ProviderType.ECHO);
        assertThat(echo.baseUrl()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:11434/v1/ | http://127.0.0.1:11434/v1",
            "https://example.com/       | https://example.com",
            "https://example.com/v1     | https://example.com/v1",
            "http://[::1]:8000/v1/      | http://[::1]:8000/v1"})
    void trailingSlashOfBaseUrlIsDropped(String given, String expected) {
        GatewayConfig config = parse(withProvider("{'type':'openai','baseUrl':'" + given + "'}"));

        assertThat(config.providers().get("p").baseUrl()).isEqualTo(URI.create(expected));
    }

    @Test
    void emptyApiKeyMeansNone() {
        assertThat(parse(withProvider("{'type':'openai','apiKey':''}")).providers().get("p").apiKey()).isNull();
    }

    @Test
    void timeoutsAndLimitsAreRead() {
        String text = config("{'p':{'type':'openai','timeouts':{'connectMs':1000,'idleMs':30000}}}",
                "{'m':{'provider':'p','maxOutputTokens':4096}}", null, null)
                .replace("{\"providers\"", "{\"maxRequestBytes\":1048576,\"providers\"");

        GatewayConfig config = parse(text);

        assertThat(config.providers().get("p").timeouts())
                .isEqualTo(new Timeouts(1000, Timeouts.DEFAULT_FIRST_BYTE_MS, 30000));
        assertThat(config.models().get("m").maxOutputTokens()).isEqualTo(4096);
        assertThat(config.maxRequestBytes()).isEqualTo(1048576);
    }

    @Test
    void maxTranslationFactorDefaultsAndReachesEveryProvider() {
        String providers = "{'p':{'type':'openai','baseUrl':'http://localhost:1/v1'},'e':{'type':'echo'}}";
        assertThat(parse(config(providers, null, null, null)).providers().values())
                .extracting(ProviderConfig::maxTranslationFactor)
                .containsOnly(ProviderConfig.DEFAULT_MAX_TRANSLATION_FACTOR);

        GatewayConfig config = parse(config(providers, null, null, null)
                .replace("{\"providers\"", "{\"maxTranslationFactor\":8,\"providers\""));

        assertThat(config.providers().values()).extracting(ProviderConfig::maxTranslationFactor).containsOnly(8);
    }

    @Test
    void errorsAboutSecretsNeverRepeatThem() {
        ConfigException shortToken = catchThrowableOfType(ConfigException.class,
                () -> parse(withToken("{'name':'t','token':'hunter2'}")));
        ConfigException brokenKey = catchThrowableOfType(ConfigException.class,
                () -> parse(withProvider("{'type':'openai','apiKey':'sk-live-1234\\n'}")));

        assertThat(shortToken.getMessage()).doesNotContain("hunter2");
        assertThat(brokenKey.getMessage()).doesNotContain("sk-live-1234");
    }

    @Test
    void aTabInAHeaderValueIsAllowed() {
        assertThat(parse(withProvider("{'type':'openai','headers':{'X-Id':'a\\tb'}}")).providers().get("p").headers())
                .containsEntry("X-Id", "a\tb");
    }

    @Test
    void upstreamModelDefaultsToTheId() {
        assertThat(parse(config(null, null, null, null)).models().get("m").upstreamModel()).isEqualTo("m");
    }

    @Test
    void sha256TokenMatchesTheDigestOfThePlainToken() {
        GatewayConfig plain = parse(withToken("{'name':'t','token':'" + CI_TOKEN + "'}"));
        GatewayConfig lower = parse(withToken("{'name':'t','sha256':'" + CI_SHA256 + "'}"));
        GatewayConfig upper = parse(withToken("{'name':'t','sha256':'" + CI_SHA256.toUpperCase(java.util.Locale.ROOT) + "'}"));

        assertThat(lower.tokens().get(0).sha256())
                .isEqualTo(plain.tokens().get(0).sha256())
                .isEqualTo(upper.tokens().get(0).sha256())
                .isEqualTo(ConfigParser.sha256(CI_TOKEN));
    }

    @Test
    void sha256IsTheStandardDigest() {
        assertThat(HexFormat.of().formatHex(ConfigParser.sha256("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void modelsAliasesAndProvidersKeepFileOrder() {
        String text = config("{'zeta':{'type':'echo'},'alpha':{'type':'echo'},'mid':{'type':'echo'}}",
                "{'z-model':{'provider':'zeta'},'a-model':{'provider':'alpha'},'q':{'provider':'mid'},'b':{'provider':'zeta'}}",
                "{'zz':['b','a-model'],'aa':['q'],'mm':['z-model','q','b']}",
                "[{'name':'t','token':'test-token-x'}]");

        GatewayConfig config = parse(text);

        assertThat(config.providers().keySet()).containsExactly("zeta", "alpha", "mid");
        assertThat(config.models().keySet()).containsExactly("z-model", "a-model", "q", "b");
        assertThat(config.aliases().keySet()).containsExactly("zz", "aa", "mm");
        assertThat(config.aliases().get("mm").models()).containsExactly("z-model", "q", "b");
    }

    @Test
    void aliasesAreOptional() {
        assertThat(parse(config(null, null, null, null)).aliases()).isEmpty();
    }

    @Test
    void tokenWithoutAllowlistMayUseEverything() {
        assertThat(parse(config(null, null, null, null)).tokens()).extracting(TokenConfig::models).containsExactly((java.util.Set<String>) null);
    }

    @Test
    void secretsStayOutOfToString() {
        GatewayConfig config = ConfigParser.parse(FULL_EXAMPLE, FULL_ENV, "test");

        assertThat(config.toString()).doesNotContain("sk-ant-test", "sk-openai-test", "alice-secret");
        assertThat(config.providers().get("anthropic").toString()).doesNotContain("sk-ant-test");
    }

    @Test
    void tokenDigestCannotBeChangedThroughItsAccessor() {
        TokenConfig token = parse(config(null, null, null, null)).tokens().get(0);

        token.sha256()[0] ^= 1;

        assertThat(token.sha256()).isEqualTo(ConfigParser.sha256("secret-token"));
    }

    @Test
    void exampleModelsAreListedInTheOrderGiven() {
        assertThat(List.copyOf(ConfigParser.parse(FULL_EXAMPLE, FULL_ENV, "t").models().values()))
                .extracting(ModelConfig::provider).containsExactly("anthropic", "openai", "openai", "local");
    }

    @Test
    void teamsNameTheirModelsAndLimitsAndTokensJoinThem() {
        GatewayConfig config = parse("""
                {"providers": {"p": {"type": "echo"}}, "models": {"m": {"provider": "p"}, "n": {"provider": "p"}},
                 "aliases": {"fast": ["m"]},
                 "teams": {"research": {"models": ["fast", "n"], "rpm": 600, "tpm": 100000}, "open": {}},
                 "tokens": [{"name": "ci", "token": "sb-0123456789ab", "team": "research"},
                            {"name": "dev", "token": "sb-0123456789cd"}]}""");

        assertThat(config.teams().keySet()).containsExactly("research", "open");
        assertThat(config.teams().get("research")).isEqualTo(new TeamConfig("research", Set.of("fast", "n"), 600L, 100000L));
        assertThat(config.teams().get("open").models()).isNull();
        assertThat(config.tokens().get(0).team()).isEqualTo("research");
        assertThat(config.tokens().get(1).team()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'research': {'models': ['nope']}}    | research     | teams.research.models[0]",
            "{'research': {'budget': 5}}           | research     | teams.research.budget",
            "{'research': {'rpm': 0}}              | research     | teams.research.rpm",
            "{'research': {}}                      | elsewhere    | tokens[0].team"})
    void aBadTeamIsRefusedNamingTheField(String teams, String tokenTeam, String field) {
        String text = ("{'providers': {'p': {'type': 'echo'}}, 'models': {'m': {'provider': 'p'}},"
                + " 'teams': " + teams + ", 'tokens': [{'name': 'ci', 'token': 'sb-0123456789ab', 'team': '"
                + tokenTeam + "'}]}").replace('\'', '"');

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(text));

        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo(field);
    }
}
