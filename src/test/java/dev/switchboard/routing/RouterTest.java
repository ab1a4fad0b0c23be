package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.echo.EchoConnector;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {
    private static final GatewayConfig CONFIG = ConfigParser.parse(("{"
            + "'providers':{'builtin':{'type':'echo'},'remote':{'type':'anthropic','apiKey':'k'}},"
            + "'models':{'echo':{'provider':'builtin'},'echo-2':{'provider':'builtin','upstreamModel':'echo-upstream'},"
            + "'claude':{'provider':'remote','upstreamModel':'claude-sonnet-4-6'}},"
            + "'aliases':{'fast':['echo-2','echo'],'smart':['claude','echo']},"
            + "'tokens':[{'name':'t','token':'test-token-x'}]}").replace('\'', '"'), Map.of(), "test");

    private static final EchoConnector ECHO = new EchoConnector();
    private static final ScriptedConnector REMOTE = new ScriptedConnector();

    private static final Predicate<String> EVERYTHING = name -> true;
    private static final Predicate<String> ONLY_FAST = Set.of("fast", "echo")::contains;

    private final Router router = new Router(CONFIG, connectors());

    private static Map<ProviderType, ProviderConnector> connectors() {
        Map<ProviderType, ProviderConnector> connectors = new EnumMap<>(ProviderType.class);
        for (ProviderType type : ProviderType.values()) {
            connectors.put(type, REMOTE);
        }
        connectors.put(ProviderType.ECHO, ECHO);
        return connectors;
    }

    private GatewayError errorResolving(String name, Predicate<String> caller) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> router.resolve(name, caller));
        assertThat(e).as("expected %s to be refused", name).isNotNull();
        return e.error();
    }

    @Test
    void modelIdResolvesToItsOneTarget() {
        Route route = router.resolve("echo-2", EVERYTHING);

        assertThat(route.requested()).isEqualTo("echo-2");
        assertThat(route.targets()).singleElement().satisfies(target -> {
            assertThat(target.model()).isEqualTo(CONFIG.models().get("echo-2"));
            assertThat(target.model().upstreamModel()).isEqualTo("echo-upstream");
            assertThat(target.provider()).isEqualTo(CONFIG.providers().get("builtin"));
            assertThat(target.connector()).isSameAs(ECHO);
        });
    }

    @Test
    void targetsGetTheConnectorOfTheirProvidersType() {
        Route route = router.resolve("claude", EVERYTHING);

        assertThat(route.targets()).singleElement().satisfies(target -> {
            assertThat(target.provider().id()).isEqualTo("remote");
            assertThat(target.connector()).isSameAs(REMOTE);
        });
    }

    @Test
    void aliasResolvesToItsTargetsInOrder() {
        Route fast = router.resolve("fast", EVERYTHING);
        Route smart = router.resolve("smart", EVERYTHING);

        assertThat(fast.requested()).isEqualTo("fast");
        assertThat(fast.targets()).extracting(target -> target.model().id()).containsExactly("echo-2", "echo");
        assertThat(smart.targets()).extracting(target -> target.model().id()).containsExactly("claude", "echo");
        assertThat(smart.targets()).extracting(Target::connector).containsExactly(REMOTE, ECHO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o", "", "FAST", "fast ", "echo-upstream", "claude-sonnet-4-6", "builtin"})
    void unknownNameIs404ModelNotFound(String name) {
        GatewayError error = errorResolving(name, EVERYTHING);

        assertThat(error.status()).isEqualTo(404);
        assertThat(error.type()).isEqualTo("invalid_request_error");
        assertThat(error.code()).isEqualTo("model_not_found");
        assertThat(error.param()).isEqualTo("model");
        assertThat(error.message()).contains("'" + name + "'").contains("does not exist or you do not have access to it");
        assertThat(FailureKind.of(error.kind()).retryable()).isFalse();
    }

    @Test
    void callerMayUseWhatItsAllowlistNames() {
        assertThat(router.resolve("fast", ONLY_FAST).targets()).hasSize(2);
        assertThat(router.resolve("echo", ONLY_FAST).targets()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"smart", "claude", "echo-2"})
    void nameOutsideTheAllowlistGetsExactlyTheUnknownModelError(String name) {
        GatewayError refused = errorResolving(name, ONLY_FAST);
        GatewayError unknown = errorResolving(name, Set.<String>of()::contains);

        assertThat(refused).isEqualTo(unknown);
        assertThat(refused).isEqualTo(Router.notFound(name).error());
        assertThat(refused.status()).isEqualTo(404);
    }

    @Test
    void existingButForbiddenLooksTheSameAsNonexistent() {
        GatewayError forbidden = errorResolving("smart", ONLY_FAST);
        GatewayError missing = errorResolving("no-such-model", ONLY_FAST);

        assertThat(forbidden.withMessage("")).isEqualTo(missing.withMessage(""));
        assertThat(forbidden.message().replace("smart", "X")).isEqualTo(missing.message().replace("no-such-model", "X"));
    }

    @Test
    void allowlistedAliasDoesNotOpenItsTargetsByName() {
        Predicate<String> fastOnly = Set.of("fast")::contains;

        assertThat(router.resolve("fast", fastOnly).targets()).hasSize(2);
        assertThat(errorResolving("echo-2", fastOnly).code()).isEqualTo("model_not_found");
    }
}
