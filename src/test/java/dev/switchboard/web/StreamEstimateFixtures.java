package dev.switchboard.web;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.chat.ChatJson;
import dev.switchboard.ingress.messages.MessagesFormat;
import dev.switchboard.ingress.responses.ResponsesFormat;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Streams of every door's shape, fixed by their seeds, for estimates that must not change. */
final class StreamEstimateFixtures {
    private static final String[] WORDS = {" the", " gateway", " counts", " tokens", " of", " every", " stream", " précis",
            " 42", " naïve", "\n", " Übersetzung", " and", " budgets", " hold", " exactly", ",", " 数据", " 🙂", "\"q\""};

    private StreamEstimateFixtures() {
    }

    /** A door's format and its stream. */
    record Fixture(String name, ClientFormat format, List<SseEvent> events) {
    }

    /** Chat streams mixing reasoning, text and tool arguments, with OpenAI's random {@code obfuscation} member. */
    static Fixture chat(int count, long seed) {
        Random random = new Random(seed);
        ChatJson chat = new ChatJson("chatcmpl-" + seed, 1767225600, "gpt-4o-mini", true);
        List<SseEvent> events = new ArrayList<>();
        events.add(SseEvent.of(chat.roleChunk(0)));
        for (int i = 0; i < count; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            byte[] chunk = switch (i * 3 / count) {
                case 0 -> chat.reasoningChunk(0, word);
                case 1 -> chat.contentChunk(0, word);
                default -> i % 50 == 0 ? chat.toolCallStartChunk(0, 0, "call_" + i, "get_weather", "")
                        : chat.toolCallArgumentsChunk(0, 0, word);
            };
            if (random.nextBoolean()) {
                String json = new String(chunk, StandardCharsets.UTF_8);
                chunk = (json.substring(0, json.length() - 1) + ",\"obfuscation\":\"" + Long.toHexString(random.nextLong())
                        + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            events.add(SseEvent.of(chunk));
        }
        events.add(SseEvent.of(chat.finishChunk(0, "stop")));
        return new Fixture("chat " + count, ChatFormat.of(false), events);
    }

    /** A Messages stream: thinking, signature, text and tool input deltas. */
    static Fixture messages(int count, long seed) {
        Random random = new Random(seed);
        List<SseEvent> events = new ArrayList<>();
        events.add(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}"));
        for (int i = 0; i < count; i++) {
            String word = Json.quote(WORDS[random.nextInt(WORDS.length)]);
            String delta = switch (i * 4 / count) {
                case 0 -> "{\"type\":\"thinking_delta\",\"thinking\":" + word + "}";
                case 1 -> "{\"type\":\"signature_delta\",\"signature\":\"EqQBCkgIARAB" + i + "\"}";
                case 2 -> "{\"type\":\"text_delta\",\"text\":" + word + "}";
                default -> "{\"type\":\"input_json_delta\",\"partial_json\":" + word + "}";
            };
            events.add(event("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":" + (i * 4 / count) + ",\"delta\":" + delta + "}"));
        }
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return new Fixture("messages " + count, MessagesFormat.INSTANCE, events);
    }

    /** A Responses stream, numbered: the number differs in every event. */
    static Fixture responses(int count, long seed) {
        Random random = new Random(seed);
        List<SseEvent> events = new ArrayList<>();
        events.add(event("response.created", "{\"type\":\"response.created\",\"sequence_number\":0}"));
        for (int i = 0; i < count; i++) {
            String word = Json.quote(WORDS[random.nextInt(WORDS.length)]);
            events.add(event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\","
                    + "\"output_index\":0,\"content_index\":0,\"delta\":" + word + ",\"logprobs\":[],\"sequence_number\":"
                    + (i + 1) + "}"));
        }
        return new Fixture("responses " + count, ResponsesFormat.INSTANCE, events);
    }

    private static SseEvent event(String type, String json) {
        return new SseEvent(type, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Just enough JSON string quoting for {@link #WORDS}. */
    private static final class Json {
        static String quote(String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
    }
}
