package dev.switchboard.provider.echo;

import dev.switchboard.chat.ChatJson;
import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.Choice;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.llm.Protocol;
import dev.switchboard.provider.mapping.ChatBridge;
import dev.switchboard.provider.mapping.TranslationBudget;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The built-in provider: no network, it answers with the text of the last user message, streamed
 * a few words per chunk. It lets a new user try the gateway without a key and lets load tests
 * measure the gateway alone (docs/providers/echo.md). Shared and stateless.
 *
 * <p>What it sends is bounded like an upstream body ({@link TranslationBudget}): each of the
 * {@code n} choices may take {@code 1/n} of the request's budget, counted in the bytes it sends
 * (its chunks when streaming, which for short words are many times the text; its content in a
 * whole reply). A choice that would need more is cut there and finishes with {@code length}, as a
 * model's reply does at its token limit. Without this, {@code n: 128} with a 32 MiB message was a
 * 4 GiB reply built in memory, and streamed, a few words per chunk, some 100 GB of chunks.
 */
public final class EchoConnector implements ProviderConnector {
    /** Words per streamed content chunk. */
    static final int WORDS_PER_CHUNK = 3;
    static final String STOP = "stop";
    /** The finish reason of a choice cut at its share of the budget: a model's at its token limit. */
    static final String LENGTH = "length";

    /**
     * A Chat request is echoed as it is; a Messages or Responses request through the Chat path
     * ({@link ChatBridge}), so that every door can be tried without a key. Echo has no embeddings.
     */
    @Override
    public Attempt start(ProviderCall call, ResponseSink sink) {
        Protocol protocol = call.request().protocol();
        if (protocol == Protocol.EMBEDDINGS) {
            sink.fail(Failure.of(ErrorKind.INVALID_REQUEST.error("model", "The echo provider has no embeddings.")));
            return Attempt.NONE;
        }
        return protocol == Protocol.CHAT ? startChat(call, sink) : ChatBridge.start(this::startChat, call, sink);
    }

    private Attempt startChat(ProviderCall call, ResponseSink sink) {
        ChatRequest clientRequest;
        try {
            clientRequest = call.chatRequest();
        } catch (GatewayException e) {
            sink.fail(Failure.of(e.error()));
            return Attempt.NONE;
        }
        ModelConfig model = call.model();
        ProviderConfig provider = call.provider();
        // The request parser keeps n within 1..ChatRequestParser.MAX_N.
        int choices = clientRequest.json().get("n") instanceof JsonNumber number ? number.intValue() : 1;
        JsonArray messages = clientRequest.json().getJsonArray("messages");
        String reply = lastUserText(messages);
        long bytesPerChoice = TranslationBudget.of(clientRequest, provider).limit() / choices;
        long promptTokens = EchoTokens.prompt(messages);
        ChatJson json = new ChatJson(newId(), System.currentTimeMillis() / 1000, model.id(), clientRequest.includeUsage());
        if (!clientRequest.stream()) {
            String text = reply.substring(0, fittingPrefix(reply, bytesPerChoice));
            String finishReason = text.length() < reply.length() ? LENGTH : STOP;
            List<Choice> all = new ArrayList<>(choices);
            for (int i = 0; i < choices; i++) {
                all.add(new Choice(i, text, null, List.of(), finishReason));
            }
            Usage total = new Usage(promptTokens, EchoTokens.count(text) * choices);
            sink.completion(json.completion(all, total), total);
            return Attempt.NONE;
        }
        EchoStream stream = new EchoStream(json, reply, choices, bytesPerChoice, promptTokens,
                clientRequest.includeUsage(), sink);
        sink.streamStart();
        stream.run();
        return stream;
    }

    static String lastUserText(JsonArray messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonObject message = messages.getJsonObject(i);
            if ("user".equals(message.getString("role"))) {
                return EchoTokens.text(message.get("content"));
            }
        }
        return "";
    }

    /**
     * Where the piece of {@link #WORDS_PER_CHUNK} words that starts at {@code start} ends:
     * whitespace stays with the word before it (leading whitespace with the first piece), so the
     * pieces concatenate to the text. Found as the stream goes, so a long echo is never split up
     * front.
     */
    static int pieceEnd(String text, int start) {
        int words = 0;
        boolean inWord = false;
        for (int i = start; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                if (words == WORDS_PER_CHUNK) {
                    return i;
                }
                words++;
            }
            inWord = !space;
        }
        return text.length();
    }

    /**
     * The length of the longest prefix of {@code text} whose JSON string takes at most
     * {@code maxBytes} in UTF-8, never splitting a surrogate pair. A control character is counted
     * at its longest escape, six bytes, so the prefix may come out a little short, never long.
     */
    static int fittingPrefix(String text, long maxBytes) {
        long bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int size;
            if (c == '"' || c == '\\') {
                size = 2;
            } else if (c < 0x20) {
                size = 6;
            } else if (c < 0x80) {
                size = 1;
            } else if (c < 0x800) {
                size = 2;
            } else if (Character.isHighSurrogate(c)) {
                size = 4;
            } else if (Character.isLowSurrogate(c)) {
                size = 0;
            } else {
                size = 3;
            }
            bytes += size;
            if (bytes > maxBytes) {
                return i > 0 && Character.isLowSurrogate(c) ? i - 1 : i;
            }
        }
        return text.length();
    }

    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "chatcmpl-echo" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    }

    /**
     * Emits one streamed echo as fast as the client takes it: pauses when the sink is full and
     * resumes when it drains, so even a 32 MiB echo is never buffered whole. Per request.
     */
    private static final class EchoStream implements Attempt, Runnable {
        private final ChatJson json;
        private final String reply;
        private final int choices;
        private final long bytesPerChoice;
        private final long promptTokens;
        private final boolean includeUsage;
        private final ResponseSink sink;
        private volatile boolean cancelled;
        private int choice;
        /** -1: role chunk next; 0..reply.length()-1: where the next content piece starts; reply.length(): finish chunk. */
        private int position = -1;
        /** Bytes the current choice has sent. */
        private long sent;
        /** Whether the current choice ran out of its share of the budget. */
        private boolean cut;
        private long completionTokens;
        private boolean running;
        private boolean again;

        EchoStream(ChatJson json, String reply, int choices, long bytesPerChoice, long promptTokens, boolean includeUsage,
                   ResponseSink sink) {
            this.json = json;
            this.reply = reply;
            this.choices = choices;
            this.bytesPerChoice = bytesPerChoice;
            this.promptTokens = promptTokens;
            this.includeUsage = includeUsage;
            this.sink = sink;
        }

        /**
         * Emits while the sink has room. A resume that arrives while emitting (even from inside
         * {@code whenRoom} on this very thread) sets {@code again} instead of being lost.
         */
        @Override
        public void run() {
            synchronized (this) {
                if (running) {
                    again = true;
                    return;
                }
                running = true;
            }
            for (;;) {
                emitWhileRoom();
                synchronized (this) {
                    if (!again) {
                        running = false;
                        return;
                    }
                    again = false;
                }
            }
        }

        private void emitWhileRoom() {
            while (!cancelled && choice < choices) {
                if (!sink.hasRoom()) {
                    sink.whenRoom(this);
                    return;
                }
                byte[] chunk;
                if (position < 0) {
                    chunk = json.roleChunk(choice);
                    position = 0;
                } else if (position < reply.length() && !cut) {
                    int end = pieceEnd(reply, position);
                    String piece = reply.substring(position, end);
                    chunk = json.contentChunk(choice, piece);
                    if (sent + chunk.length > bytesPerChoice) {
                        cut = true;
                        continue;
                    }
                    completionTokens += EchoTokens.count(piece);
                    position = end;
                } else {
                    sink.chunk(SseEvent.of(json.finishChunk(choice, cut ? LENGTH : STOP)));
                    choice++;
                    position = -1;
                    sent = 0;
                    cut = false;
                    continue;
                }
                sent += chunk.length;
                sink.chunk(SseEvent.of(chunk));
            }
            if (!cancelled) {
                cancelled = true;
                Usage usage = new Usage(promptTokens, completionTokens);
                if (includeUsage) {
                    sink.chunk(SseEvent.of(json.usageChunk(usage)));
                }
                sink.streamEnd(usage);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
