package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code redis} section: defaults, every field, and a URL that never shows in a message. */
class RedisConfigTest {
    private static final String SECRET = "s3cret-passw0rd";

    private static GatewayConfig parse(String redis, Map<String, String> env) {
        return ConfigParser.parse(("{'providers':{'p':{'type':'echo'}},'models':{'m':{'provider':'p'}},"
                + "'tokens':[{'name':'t','token':'test-token-x'}]" + redis + "}").replace('\'', '"'), env, "test");
    }

    @Test
    void withoutASectionStateStaysInMemory() {
        assertThat(parse("", Map.of()).redis()).isNull();
    }

    @Test
    void onlyTheUrlIsRequiredAndTheRestHasDefaults() {
        RedisConfig redis = parse(",'redis':{'url':'${REDIS_URL}'}", Map.of("REDIS_URL", "redis://127.0.0.1:6379")).redis();

        assertThat(redis.url()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(redis.timeoutMs()).isEqualTo(RedisConfig.DEFAULT_TIMEOUT_MS).isEqualTo(100);
        assertThat(redis.onFailure()).isEqualTo(RedisConfig.OnFailure.LOCAL);
        assertThat(redis.keyPrefix()).isEqualTo("switchboard:");
    }

    @Test
    void everyFieldIsRead() {
        RedisConfig redis = parse(",'redis':{'url':'rediss://gateway:" + SECRET + "@redis.internal:6380/2',"
                + "'timeoutMs':250,'onFailure':'reject','keyPrefix':'team-a:'}", Map.of()).redis();

        assertThat(redis.url()).isEqualTo("rediss://gateway:" + SECRET + "@redis.internal:6380/2");
        assertThat(redis.timeoutMs()).isEqualTo(250);
        assertThat(redis.onFailure()).isEqualTo(RedisConfig.OnFailure.REJECT);
        assertThat(redis.keyPrefix()).isEqualTo("team-a:");
        assertThat(redis.toString()).doesNotContain(SECRET).doesNotContain("redis.internal").contains("(secret)");
        assertThat(parse(",'redis':{'url':'redis-sentinel://:" + SECRET + "@s1:26379,s2:26379#mymaster'}", Map.of())
                .redis().url()).startsWith("redis-sentinel://");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http scheme | {'url':'http://u:" + SECRET + "@h:6379'} | redis.url | must start with redis://",
        "no scheme | {'url':'" + SECRET + "@h:6379'} | redis.url | must start with redis://",
        "no url | {'timeoutMs':100} | redis.url | is required",
        "zero timeout | {'url':'redis://h','timeoutMs':0} | redis.timeoutMs | positive whole number",
        "unknown onFailure | {'url':'redis://h','onFailure':'ignore'} | redis.onFailure | expected local or reject",
        "typo | {'url':'redis://h','keyprefix':'x'} | redis.keyprefix | unknown field",
        "not an object | 7 | redis | must be an object",
    })
    void mistakesNameTheirFieldAndNeverTheUrl(String name, String redis, String field, String fragment) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(",'redis':" + redis, Map.of()));
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(fragment).doesNotContain(SECRET);
    }
}
