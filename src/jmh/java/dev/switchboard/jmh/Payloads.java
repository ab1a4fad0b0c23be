package dev.switchboard.jmh;

import dev.switchboard.llm.Usage;
import dev.switchboard.provider.http.StreamTranslator;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the benchmarks feed the gateway's code: upstream event streams shaped like the load
 * harness's mock (bench/java/MockUpstream.java: one text block, {@link #CHUNKS} text deltas) and
 * two client requests, a small one and an agent turn with tools. Stateless.
 */
public final class Payloads {
    /** Text deltas per stream, as in the harness's streaming scenario. */
    public static final int CHUNKS = 8;
    /** Events in {@link #openAiStream()}: role chunk, the deltas, the finish chunk, [DONE]. */
    public static final int OPENAI_EVENTS = CHUNKS + 3;
    /** Events in {@link #anthropicStream()}: message_start, content_block_start, the deltas, content_block_stop, message_delta, message_stop. */
    public static final int ANTHROPIC_EVENTS = CHUNKS + 5;
    /** Events in {@link #geminiStream()}: one per delta, the last with finishReason and the final usage. */
    public static final int GEMINI_EVENTS = CHUNKS;

    public static final long CREATED = 1_767_225_600L;

    /** A system prompt and one question: the common chat request. */
    public static final String SMALL_REQUEST = """
            {"model":"bench-model","messages":[{"role":"system","content":"You are a helpful assistant."},\
            {"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64,"stream":true}""";

    /** An agent turn: tools declared, two parallel calls answered, text and array content, sampling, usage. */
    public static final String TOOLS_REQUEST = """
            {"model":"bench-model","messages":[
             {"role":"system","content":"You are a travel assistant. Use the tools when they help."},
             {"role":"user","content":"What is the weather in Paris and in Berlin? Then summarise."},
             {"role":"assistant","content":null,"tool_calls":[
              {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
              {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Berlin\\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"{\\"temp_c\\":18,\\"sky\\":\\"cloudy\\"}"},
             {"role":"tool","tool_call_id":"call_2","content":"{\\"temp_c\\":15,\\"sky\\":\\"rain\\"}"},
             {"role":"assistant","content":"Paris is 18 °C and cloudy; Berlin is 15 °C with rain."},
             {"role":"user","content":[{"type":"text","text":"Thanks. Now find flights from Paris to Berlin tomorrow under 200 euros."}]}],
             "tools":[
              {"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
               "parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}}},
              {"type":"function","function":{"name":"search_flights","description":"Search direct and connecting flights",
               "parameters":{"type":"object","properties":{"from":{"type":"string"},"to":{"type":"string"},
               "date":{"type":"string","description":"ISO date"},"max_price":{"type":"number"}},"required":["from","to","date"]}}}],
             "tool_choice":"auto","temperature":0.2,"max_tokens":1024,"stream":true,"stream_options":{"include_usage":true}}""";

    private Payloads() {
    }

    public static byte[] openAiStream() {
        String prefix = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                + ",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":";
        StringBuilder sse = new StringBuilder();
        sse.append("data: ").append(prefix)
                .append("{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < CHUNKS; i++) {
            sse.append("data: ").append(prefix).append("{\"content\":\"word").append(i)
                    .append(" \"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: ").append(prefix).append("{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
        sse.append("data: [DONE]\n\n");
        return utf8(sse);
    }

    public static byte[] anthropicStream() {
        StringBuilder sse = new StringBuilder();
        event(sse, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_mock\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
        event(sse, "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (int i = 0; i < CHUNKS; i++) {
            event(sse, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"word" + i + " \"}}");
        }
        event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(sse, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + (CHUNKS + 1) + "}}");
        event(sse, "message_stop", "{\"type\":\"message_stop\"}");
        return utf8(sse);
    }

    /** Gemini's {@code streamGenerateContent?alt=sse}: whole responses, no event names, no terminator. */
    public static byte[] geminiStream() {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < CHUNKS; i++) {
            boolean last = i == CHUNKS - 1;
            sse.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"word").append(i)
                    .append(" \"}],\"role\": \"model\"},").append(last ? "\"finishReason\": \"STOP\"," : "")
                    .append("\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 12,")
                    .append(last ? "\"candidatesTokenCount\": " + CHUNKS + ",\"totalTokenCount\": " + (12 + CHUNKS)
                            : "\"totalTokenCount\": 12")
                    .append("},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"Zr5xaK-3Lq2vnvgP4Jq8sQ4\"}\n\n");
        }
        return utf8(sse);
    }

    /** The stream cut at event boundaries: one network read per event, as a provider flushes them. */
    public static byte[][] perEvent(byte[] sse) {
        List<byte[]> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < sse.length; i++) {
            if (sse[i] == '\n' && sse[i + 1] == '\n') {
                pieces.add(Arrays.copyOfRange(sse, start, i + 2));
                start = i + 2;
            }
        }
        return pieces.toArray(new byte[0][]);
    }

    /** The events the gateway's parser makes of a stream, checked against the expected count. */
    public static List<SseEvent> events(byte[] sse, int expected) {
        List<SseEvent> events = new ArrayList<>();
        new SseParser(events::add).feed(sse, 0, sse.length);
        if (events.size() != expected) {
            throw new IllegalStateException("expected " + expected + " events, parsed " + events.size());
        }
        return events;
    }

    /** The translator alone: each event's JSON parsed, each chunk's JSON written. */
    public static Usage translate(StreamTranslator translator, List<SseEvent> events, Consumer<SseEvent> out) {
        for (SseEvent event : events) {
            translator.onEvent(event, out);
        }
        return translator.finish(out);
    }

    /** HttpAttempt's whole per-event path: network reads through the SSE parser into the translator. */
    public static Usage parseAndTranslate(StreamTranslator translator, byte[][] reads, Consumer<SseEvent> out) {
        SseParser parser = new SseParser(event -> translator.onEvent(event, out));
        for (byte[] read : reads) {
            parser.feed(read, 0, read.length);
        }
        return translator.finish(out);
    }

    public static byte[] utf8(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void event(StringBuilder sse, String name, String data) {
        sse.append("event: ").append(name).append("\ndata: ").append(data).append("\n\n");
    }
}
