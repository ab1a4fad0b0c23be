package dev.switchboard.provider.mapping;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.ResponseSink;

/**
 * Serves a request of another door through a connector's Chat path (docs/architecture.md, "As
 * built"): the door's request in the internal model becomes a Chat request ({@link LlmToChat}),
 * written within the request's {@link TranslationBudget}, and what the Chat path answers is
 * turned into the door's wire format ({@link BridgeSink}): the OpenAI-compatible connector's way
 * for a Messages request, whose wire format Chat is, and the echo connector's. A
 * {@code count_tokens} request is answered with an estimate ({@link TokenEstimate}). Shared and
 * stateless.
 */
public final class ChatBridge {
    private ChatBridge() {
    }

    /** @param chatPath the connector's own handling of a Chat request */
    public static Attempt start(ProviderConnector chatPath, ProviderCall call, ResponseSink sink) {
        ClientRequest door = call.request();
        if (door.countTokens()) {
            TokenEstimate.answer(door, sink);
            return Attempt.NONE;
        }
        ChatRequest chat;
        try {
            TranslationBudget budget = TranslationBudget.of(door, call.provider());
            byte[] body = budget.write(LlmToChat.map(door.llmRequest()));
            chat = ChatRequestParser.parse(body, body.length, door.bodyLength());
        } catch (GatewayException e) {
            sink.fail(Failure.of(e.error()));
            return Attempt.NONE;
        }
        return chatPath.start(new ProviderCall(chat, call.model(), call.provider(), call.requestId(), call.trace()),
                new BridgeSink(sink, door.format(), call.requestId()));
    }

    /** The JSON of {@code count_tokens}' answer (docs/protocols/anthropic-messages-ingress.md §4.2). */
    static byte[] countTokens(long tokens) {
        return Json.write(Json.PROVIDER.createObjectBuilder().add("input_tokens", tokens).build());
    }
}
