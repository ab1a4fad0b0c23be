package dev.switchboard.provider.echo;

import dev.switchboard.chat.ChatJson;
import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.Choice;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.ProviderConnector;
import dev.switchboard.provider.ResponseSink;
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
 */
public final class EchoConnector implements ProviderConnector {
    /** Words per streamed content chunk. */
    static final int WORDS_PER_CHUNK = 3;

    @Override
    public Attempt start(ChatRequest clientRequest, ModelConfig model, ProviderConfig provider, ResponseSink sink) {
        // Every choice is built in memory; the request parser keeps n within 1..ChatRequestParser.MAX_N.
        int choices = clientRequest.json().get("n") instanceof JsonNumber number ? number.intValue() : 1;
        JsonArray messages = clientRequest.json().getJsonArray("messages");
        String reply = lastUserText(messages);
        Usage usage = new Usage(EchoTokens.prompt(messages), EchoTokens.count(reply));
        ChatJson json = new ChatJson(newId(), System.currentTimeMillis() / 1000, model.id(), clientRequest.includeUsage());
        if (!clientRequest.stream()) {
            List<Choice> all = new ArrayList<>(choices);
            for (int i = 0; i < choices; i++) {
                all.add(new Choice(i, reply, null, List.of(), "stop"));
            }
            Usage total = new Usage(usage.promptTokens(), usage.completionTokens() * choices);
            sink.completion(json.completion(all, total), total);
            return Attempt.NONE;
        }
        EchoStream stream = new EchoStream(json, split(reply), choices,
                new Usage(usage.promptTokens(), usage.completionTokens() * choices), clientRequest.includeUsage(), sink);
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

    /** Pieces of {@link #WORDS_PER_CHUNK} words each, whitespace kept, so they concatenate to the text. */
    static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                if (words == WORDS_PER_CHUNK) {
                    pieces.add(text.substring(start, i));
                    start = i;
                    words = 0;
                }
                words++;
            }
            inWord = !space;
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
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
        private final List<String> pieces;
        private final int choices;
        private final Usage usage;
        private final boolean includeUsage;
        private final ResponseSink sink;
        private volatile boolean cancelled;
        private int choice;
        /** -1: role chunk next; 0..pieces-1: content; pieces: finish chunk. */
        private int position = -1;
        private boolean running;
        private boolean again;

        EchoStream(ChatJson json, List<String> pieces, int choices, Usage usage, boolean includeUsage, ResponseSink sink) {
            this.json = json;
            this.pieces = pieces;
            this.choices = choices;
            this.usage = usage;
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
                if (position < 0) {
                    sink.chunk(json.roleChunk(choice));
                } else if (position < pieces.size()) {
                    sink.chunk(json.contentChunk(choice, pieces.get(position)));
                } else {
                    sink.chunk(json.finishChunk(choice, "stop"));
                    choice++;
                    position = -1;
                    continue;
                }
                position++;
            }
            if (!cancelled) {
                cancelled = true;
                if (includeUsage) {
                    sink.chunk(json.usageChunk(usage));
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
