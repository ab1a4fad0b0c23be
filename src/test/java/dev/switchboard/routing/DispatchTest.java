package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.Caller;
import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.chat.Usage;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.NotImplementedConnector;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.provider.echo.EchoConnector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatchTest {
    private static final GatewayConfig CONFIG = ConfigParser.parse(("{"
            + "'providers':{'builtin':{'type':'echo'},'remote':{'type':'gemini','apiKey':'k'}},"
            + "'models':{'echo':{'provider':'builtin'},'gem':{'provider':'remote'}},"
            + "'aliases':{'gem-first':['gem','echo']},"
            + "'tokens':[{'name':'t','token':'x'}]}").replace('\'', '"'), Map.of(), "test");

    private static final Router ROUTER = new Router(CONFIG, connectors());
    private static final Caller CALLER = new Caller("t", null);

    private static Map<ProviderType, ProviderConnector> connectors() {
        Map<ProviderType, ProviderConnector> connectors = new EnumMap<>(ProviderType.class);
        for (ProviderType type : ProviderType.values()) {
            connectors.put(type, new NotImplementedConnector());
        }
        connectors.put(ProviderType.ECHO, new EchoConnector());
        return connectors;
    }

    private static ChatRequest request(String model, boolean stream) {
        byte[] body = ("{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"one two three four five six seven\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(body, body.length);
    }

    /** The client side: records what reaches it and holds at most {@code room} chunks. */
    private static final class ClientSink implements ResponseSink {
        final List<String> calls = new ArrayList<>();
        GatewayError failure;
        int room;
        Runnable resume;

        ClientSink(int room) {
            this.room = room;
        }

        @Override
        public void chunk(byte[] json) {
            calls.add("chunk");
            room--;
        }

        @Override
        public void streamEnd(Usage usage) {
            calls.add("streamEnd");
        }

        @Override
        public void completion(byte[] json, Usage usage) {
            calls.add("completion");
        }

        @Override
        public void fail(GatewayError error) {
            calls.add("fail");
            failure = error;
        }

        @Override
        public boolean hasRoom() {
            return room > 0;
        }

        @Override
        public void whenRoom(Runnable resume) {
            this.resume = resume;
        }
    }

    @Test
    void startRunsTheFirstTargetAndDeliversItsOutput() {
        ClientSink client = new ClientSink(Integer.MAX_VALUE);
        Dispatch dispatch = new Dispatch(ROUTER.resolve("echo", CALLER), request("echo", false), client);

        dispatch.start();

        assertThat(client.calls).containsExactly("completion");
        assertThat(dispatch.attempts()).isEqualTo(1);
        assertThat(dispatch.target().model().id()).isEqualTo("echo");
    }

    @Test
    void failureOfTheAttemptReachesTheClient() {
        ClientSink client = new ClientSink(Integer.MAX_VALUE);
        Dispatch dispatch = new Dispatch(ROUTER.resolve("gem-first", CALLER), request("gem-first", false), client);

        dispatch.start();

        assertThat(client.calls).containsExactly("fail");
        assertThat(client.failure.status()).isEqualTo(501);
        assertThat(client.failure.code()).isEqualTo("provider_not_implemented");
        assertThat(client.failure.message()).contains("'remote'").contains("'gemini'");
        assertThat(dispatch.target().model().id()).isEqualTo("gem");
    }

    @Test
    void streamFlowsThroughWithBackPressure() {
        ClientSink client = new ClientSink(2);
        Dispatch dispatch = new Dispatch(ROUTER.resolve("echo", CALLER), request("echo", true), client);

        dispatch.start();
        assertThat(client.calls).containsExactly("chunk", "chunk");
        assertThat(client.resume).isNotNull();

        client.room = Integer.MAX_VALUE;
        client.resume.run();

        assertThat(client.calls).containsExactly("chunk", "chunk", "chunk", "chunk", "chunk", "streamEnd");
    }

    @Test
    void nothingReachesTheClientAfterCancel() {
        ClientSink client = new ClientSink(2);
        Dispatch dispatch = new Dispatch(ROUTER.resolve("echo", CALLER), request("echo", true), client);
        dispatch.start();

        dispatch.cancel();
        client.room = Integer.MAX_VALUE;
        client.resume.run();

        assertThat(client.calls).containsExactly("chunk", "chunk");
    }

    @Test
    void cancelledDispatchStartsNoAttempt() {
        ClientSink client = new ClientSink(Integer.MAX_VALUE);
        Dispatch dispatch = new Dispatch(ROUTER.resolve("echo", CALLER), request("echo", false), client);

        dispatch.cancel();
        dispatch.start();

        assertThat(client.calls).isEmpty();
        assertThat(dispatch.attempts()).isZero();
    }
}
