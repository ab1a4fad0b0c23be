import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The scenario list, as data: what each scenario sends, to whom, how it is measured, and with
 * which gateway configuration. To add one, add an entry to {@link #all}; bench/README.md
 * ("Adding a scenario") says what each field means. Stateless.
 */
final class Scenarios {
    private Scenarios() {
    }

    /** How a scenario is driven and what is reported for it. */
    enum Kind {
        /** One connection, one request at a time; every request timed; rounds alternate between targets. */
        SEQUENTIAL,
        /** wrk, 32 connections, whole JSON replies: throughput, latency, CPU per request. */
        CONCURRENT,
        /** The harness's client, 32 connections, streamed replies: throughput, time to first byte, CPU per request. */
        STREAM,
        /** Thousands of slow streams held open, then dropped: threads, heap, stalls, release. */
        TRICKLE
    }

    /** One request: path, JSON body, and the bytes a good reply's body ends with (at most 64). */
    record Call(String path, String body, byte[] end) {
    }

    /**
     * @param id        the name in BENCH_SCENARIOS and in the JSON results
     * @param title     the row label in the table
     * @param config    the gateway configuration: {@code default} is bench/switchboard-bench.json,
     *                  any other name bench/switchboard-bench-&lt;name&gt;.json; scenarios are run in
     *                  one pass (one start of every Tomcat) per configuration
     * @param gateway   what Switchboard (baseline and current) is sent, with the bearer token
     * @param upstream  what the mock is sent directly and what the floor relays to it unchanged
     * @param byDefault run when BENCH_SCENARIOS is {@code all}; planned scenarios are false
     *                  until the gateway serves them, and run only when named
     */
    record Scenario(String id, String title, Kind kind, String config, Call gateway, Call upstream, boolean byDefault) {
    }

    static final String CHAT = "/v1/chat/completions";
    static final String MESSAGES = "/v1/messages";
    static final String RESPONSES = "/v1/responses";
    /** Public model ids in bench/switchboard-bench.json. */
    static final String OPENAI_MODEL = "gpt-4o-mini";
    static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";
    static final String TRICKLE_MODEL = "trickle";

    private static final String SYSTEM = "You are a helpful assistant.";
    private static final String USER = "Say hello in one short sentence.";
    private static final String CHAT_MESSAGES = "[{\"role\":\"system\",\"content\":\"" + SYSTEM + "\"},"
            + "{\"role\":\"user\",\"content\":\"" + USER + "\"}]";
    static final byte[] JSON_END = ascii("}");
    static final byte[] OPENAI_END = ascii("data: [DONE]\n\n");
    static final byte[] ANTHROPIC_END = ascii("{\"type\":\"message_stop\"}\n\n");

    static List<Scenario> all(int chunks) {
        Call chat = new Call(CHAT, chatBody(OPENAI_MODEL, false), JSON_END);
        Call chatStream = new Call(CHAT, chatBody(OPENAI_MODEL, true), OPENAI_END);
        Call anthropicStream = new Call(MESSAGES, anthropicBody(true), ANTHROPIC_END);
        Call responsesStream = new Call(RESPONSES, responsesBody(true), responsesEnd(chunks));
        Call trickle = new Call(CHAT, chatBody(TRICKLE_MODEL, true), OPENAI_END);
        return List.of(
                new Scenario("sequential", "1. Sequential, non-streaming", Kind.SEQUENTIAL, "default", chat, chat, true),
                new Scenario("nonstreaming", "2. Non-streaming, c=32", Kind.CONCURRENT, "default", chat, chat, true),
                new Scenario("stream-openai", "3a. OpenAI stream, " + chunks + " chunks, c=32", Kind.STREAM, "default",
                        chatStream, chatStream, true),
                // Switchboard translates OpenAI to Anthropic and back; the floor relays the Anthropic stream as is.
                new Scenario("stream-anthropic", "3b. Anthropic stream, translated, " + chunks + " chunks, c=32",
                        Kind.STREAM, "default", new Call(CHAT, chatBody(ANTHROPIC_MODEL, true), OPENAI_END),
                        anthropicStream, true),
                new Scenario("trickle", "4. Trickle streams", Kind.TRICKLE, "default", trickle, trickle, true),
                new Scenario("stream-messages", "5. Messages passthrough stream, " + chunks + " chunks, c=32", Kind.STREAM,
                        "default", anthropicStream, anthropicStream, true),
                // Its own configuration: the OpenAI provider says responsesApi, which a baseline older
                // than the Responses door cannot parse; the default pass keeps working for it.
                new Scenario("stream-responses", "6. Responses passthrough stream, " + chunks + " chunks, c=32", Kind.STREAM,
                        "doors", responsesStream, responsesStream, true),
                // The same load with a limited token: its rpm and tpm counted in memory (7a) and in
                // Redis (7b, which needs a Redis: BENCH_REDIS_URL, default 127.0.0.1:6379).
                new Scenario("nonstreaming-limits", "7a. Non-streaming, c=32, limits in memory", Kind.CONCURRENT, "limits",
                        chat, chat, false),
                new Scenario("nonstreaming-redis", "7b. Non-streaming, c=32, limits in Redis", Kind.CONCURRENT, "redis",
                        chat, chat, false));
    }

    static String chatBody(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":" + CHAT_MESSAGES + ",\"max_tokens\":64"
                + (stream ? ",\"stream\":true}" : "}");
    }

    /** The Anthropic request Switchboard sends upstream for {@code chatBody(ANTHROPIC_MODEL, true)}, give or take key order. */
    static String anthropicBody(boolean stream) {
        return "{\"model\":\"" + ANTHROPIC_MODEL + "\",\"max_tokens\":64,\"system\":[{\"type\":\"text\",\"text\":\""
                + SYSTEM + "\"}],\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + USER
                + "\"}]}]" + (stream ? ",\"stream\":true}" : "}");
    }

    static String responsesBody(boolean stream) {
        return "{\"model\":\"" + OPENAI_MODEL + "\",\"instructions\":\"" + SYSTEM + "\",\"input\":\"" + USER
                + "\",\"max_output_tokens\":64" + (stream ? ",\"stream\":true}" : "}");
    }

    /** The end of the mocks' response.completed event (the only one whose usage is not null). */
    private static byte[] responsesEnd(int chunks) {
        return ascii("\"total_tokens\":" + (12 + chunks) + "},\"metadata\":{}}}\n\n");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
