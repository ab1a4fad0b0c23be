package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.TokenConfig;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenVerifierTest {
    private static final String CI_TOKEN = "ci-secret-token";

    /** Tokens as ConfigParser makes them: one plain, one by digest with an allowlist. */
    private static final GatewayConfig CONFIG = ConfigParser.parse(("{'providers':{'e':{'type':'echo'}},"
            + "'models':{'echo':{'provider':'e'},'other':{'provider':'e'}},'aliases':{'fast':['echo']},"
            + "'tokens':[{'name':'alice','token':'alice-secret'},"
            + "{'name':'ci-bot','sha256':'" + HexFormat.of().formatHex(ConfigParser.sha256(CI_TOKEN)) + "','models':['fast','echo']}]}")
            .replace('\'', '"'), Map.of(), "test");

    private final TokenVerifier verifier = new TokenVerifier(CONFIG.tokens());

    @Test
    void plainConfiguredTokenVerifiesAsItsCallerWithAllModels() {
        Caller caller = verifier.verify("alice-secret");

        assertThat(caller).isEqualTo(new Caller("alice", null));
        assertThat(caller.mayUse("other")).isTrue();
    }

    @Test
    void digestConfiguredTokenVerifiesWithItsAllowlist() {
        Caller caller = verifier.verify(CI_TOKEN);

        assertThat(caller.name()).isEqualTo("ci-bot");
        assertThat(caller.models()).containsExactlyInAnyOrder("fast", "echo");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", " ", "wrong", "alice-secret ", " alice-secret", "ALICE-SECRET", "alice-secre", "alice-secrett",
            "ci-bot", "alice"})
    void anyOtherTokenIsRejected(String presented) {
        assertThat(verifier.verify(presented)).isNull();
    }

    @Test
    void theDigestItselfIsNotAToken() {
        assertThat(verifier.verify(HexFormat.of().formatHex(ConfigParser.sha256(CI_TOKEN)))).isNull();
    }

    @Test
    void noConfiguredTokensVerifyNothing() {
        assertThat(new TokenVerifier(List.of()).verify("anything")).isNull();
    }

    @Test
    void firstOfTwoEntriesWithTheSameTokenWins() {
        TokenVerifier twice = new TokenVerifier(List.of(
                new TokenConfig("first", ConfigParser.sha256("same"), Set.of("a")),
                new TokenConfig("second", ConfigParser.sha256("same"), null)));

        assertThat(twice.verify("same").name()).isEqualTo("first");
    }

    @Test
    void nonAsciiTokensAreHashedAsUtf8() {
        TokenVerifier unicode = new TokenVerifier(List.of(new TokenConfig("u", ConfigParser.sha256("t\u00f6ken-\u20ac"), null)));

        assertThat(unicode.verify("t\u00f6ken-\u20ac")).isNotNull();
        assertThat(unicode.verify("token-\u20ac")).isNull();
    }
}
