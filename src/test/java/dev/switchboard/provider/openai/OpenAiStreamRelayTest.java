package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.FailureKind;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiStreamRelayTest {
    private static final String CONTENT = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\\u006co \u00e9\"},\"finish_reason\":null}],  \"x_future\":1.50}";
    private static final String FINISH = "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
    private static final String USAGE = "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}";

    private final OpenAiStreamRelay relay = new OpenAiStreamRelay(true);
    private final List<byte[]> out = new ArrayList<>();

    private static SseEvent event(String data) {
        return new SseEvent(null, data.getBytes(StandardCharsets.UTF_8));
    }

    private void send(String data) {
        relay.onEvent(event(data), relayed -> out.add(relayed.data()));
    }

    private List<String> relayed() {
        return out.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void chunksPassThroughByteForByte() {
        SseEvent event = event(CONTENT);

        relay.onEvent(event, relayed -> out.add(relayed.data()));

        assertThat(out).singleElement().satisfies(bytes -> assertThat(bytes).isEqualTo(CONTENT.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void doneIsSwallowedAndCompletesTheStream() {
        send(CONTENT);
        assertThat(relay.isComplete()).isFalse();

        send("[DONE]");

        assertThat(relayed()).containsExactly(CONTENT);
        assertThat(relay.isComplete()).isTrue();
    }

    @Test
    void finishReasonAloneCompletesTheStream() {
        send(CONTENT);
        send(FINISH);

        assertThat(relay.isComplete()).isTrue();
        assertThat(relayed()).containsExactly(CONTENT, FINISH);
    }

    @Test
    void onlyDoneFinishesTheReply() {
        send(CONTENT);
        send(FINISH);
        send(USAGE);
        assertThat(relay.isFinished()).as("a finish_reason may be followed by other choices and the usage chunk").isFalse();

        send("[DONE]");

        assertThat(relay.isFinished()).isTrue();
    }

    @Test
    void contentAloneDoesNotCompleteTheStream() {
        send(CONTENT);
        send(CONTENT);

        assertThat(relay.isComplete()).isFalse();
    }

    @Test
    void nothingAfterDoneIsRelayedOrChecked() {
        send(FINISH);
        send("[DONE]");

        send(CONTENT);
        send("{\"error\":{\"message\":\"late\"}}");
        send("[DONE]");

        assertThat(relayed()).containsExactly(FINISH);
    }

    @Test
    void usageIsRememberedAndReturnedByFinishWhichEmitsNothing() {
        send(CONTENT);
        send(FINISH);
        send(USAGE);
        send("[DONE]");

        List<SseEvent> more = new ArrayList<>();
        Usage usage = relay.finish(more::add);

        assertThat(usage).isEqualTo(new Usage(3, 4));
        assertThat(more).isEmpty();
        assertThat(relayed()).containsExactly(CONTENT, FINISH, USAGE);
    }

    @Test
    void finishWithoutUsageReturnsNull() {
        send(FINISH);

        assertThat(relay.finish(relayed -> out.add(relayed.data()))).isNull();
    }

    @Test
    void errorChunkThrowsAGatewayErrorAndIsNotRelayed() {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> send(
                "{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));

        GatewayError error = e.error();
        assertThat(error.status()).isEqualTo(502);
        assertThat(error.type()).isEqualTo("invalid_request_error");
        assertThat(error.code()).isEqualTo("context_length_exceeded");
        assertThat(error.param()).isEqualTo("messages");
        assertThat(error.message()).isEqualTo("context too long");
        assertThat(FailureKind.of(error.kind()).retryable()).isFalse();
        assertThat(out).isEmpty();
    }

    @Test
    void errorChunkWithoutDetailsStillSaysSomething() {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> send("{\"error\":{}}"));

        assertThat(e.error().type()).isEqualTo("server_error");
        assertThat(e.error().message()).isEqualTo("The provider reported an error.");
    }

    @Test
    void errorTextChunkThrows() {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> send("{\"error\":\"server overloaded\"}"));

        assertThat(e.error().message()).isEqualTo("server overloaded");
    }

    @Test
    void unreadableDataIsRelayedAsItIs() {
        send("not json at all");
        send("[1,2,3]");

        assertThat(relayed()).containsExactly("not json at all", "[1,2,3]");
        assertThat(relay.isComplete()).isFalse();
    }

    @Test
    void recordedStreamThroughTheParserRelaysEveryChunkAndNoDone() {
        String stream = "data: " + CONTENT + "\n\n"
                + ": keep-alive\n\n"
                + "data: " + FINISH + "\r\n\r\n"
                + "data: " + USAGE + "\n\n"
                + "data: [DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        SseParser parser = new SseParser(event -> relay.onEvent(event, relayed -> out.add(relayed.data())));
        for (int i = 0; i < bytes.length; i += 5) {
            parser.feed(bytes, i, Math.min(5, bytes.length - i));
        }

        assertThat(relayed()).containsExactly(CONTENT, FINISH, USAGE);
        assertThat(relay.isComplete()).isTrue();
        assertThat(relay.finish(relayed -> out.add(relayed.data()))).isEqualTo(new Usage(3, 4));
    }

    @Test
    void theUsageChunkTheClientAskedForIsRelayed() {
        send(CONTENT);
        send(FINISH);
        send(USAGE);
        send("[DONE]");

        assertThat(relayed()).containsExactly(CONTENT, FINISH, USAGE);
        assertThat(relay.finish(event -> { })).isEqualTo(new Usage(3, 4));
    }

    @Test
    void theUsageChunkTheGatewayAskedForIsKeptFromTheClientButCounted() {
        OpenAiStreamRelay unasked = new OpenAiStreamRelay(false);
        String usageOnChoice = "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}";
        for (String chunk : List.of(CONTENT, usageOnChoice, USAGE, "[DONE]")) {
            unasked.onEvent(event(chunk), relayed -> out.add(relayed.data()));
        }

        assertThat(relayed()).containsExactly(CONTENT, usageOnChoice);
        assertThat(unasked.isFinished()).isTrue();
        assertThat(unasked.finish(event -> { })).isEqualTo(new Usage(3, 4));
    }

    @Test
    void usageRidingOnAChoiceIsRelayedEvenUnasked() {
        OpenAiStreamRelay unasked = new OpenAiStreamRelay(false);
        String finishWithUsage = "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}";

        unasked.onEvent(event(finishWithUsage), relayed -> out.add(relayed.data()));

        assertThat(relayed()).containsExactly(finishWithUsage);
        assertThat(unasked.finish(event -> { })).isEqualTo(new Usage(3, 4));
    }
}
