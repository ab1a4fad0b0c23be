package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.RawJson;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.anthropic.AnthropicConnector;
import dev.switchboard.provider.gemini.GeminiConnector;
import dev.switchboard.provider.mapping.SignedToolCallIds;
import dev.switchboard.provider.mapping.TranslationBudget;
import dev.switchboard.provider.openai.OpenAiConnector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No request mapper turns a client's body into an upstream body of more than
 * {@link TranslationBudget} allows ({@code maxTranslationFactor} times the client's body, at least
 * {@link TranslationBudget#MIN_BYTES}): adversarial requests, built to multiply themselves in
 * translation, are mapped by every connector and either stay within the bound or are refused with
 * a 400. The echo provider's bound is tested in its own test.
 */
class TranslationBoundsTest {
    static final ModelConfig CLAUDE = new ModelConfig("m", "p", "claude-sonnet-4-5", null);
    static final ModelConfig GEMINI = new ModelConfig("m", "p", "gemini-2.5-flash", null);
    static final ModelConfig GPT = new ModelConfig("m", "p", "gpt-4o", null);
    static final ProviderConfig ANTHROPIC = provider(ProviderType.ANTHROPIC);
    static final ProviderConfig GOOGLE = provider(ProviderType.GEMINI);
    static final ProviderConfig OPENAI = provider(ProviderType.OPENAI);

    static ProviderConfig provider(ProviderType type) {
        return new ProviderConfig("p", type, URI.create("https://upstream.invalid"), "k", Map.of(), Timeouts.DEFAULTS);
    }

    /** The most a translated body may take for a client body of {@code clientBytes}, at the default factor. */
    static long bound(int clientBytes) {
        return Math.max(TranslationBudget.MIN_BYTES, (long) ProviderConfig.DEFAULT_MAX_TRANSLATION_FACTOR * clientBytes);
    }

    // ---- adversarial requests --------------------------------------------------------------

    /**
     * A tool whose schema nests {@code $defs} {@code depth} levels deep, each level referring to
     * the next {@code branching} times, and whose leaf carries {@code leafBytes} of description and
     * enum: inlined for Gemini, every one of branching^depth copies carries the whole leaf.
     */
    static String refChainSchema(int depth, int branching, int leafBytes) {
        StringBuilder defs = new StringBuilder();
        for (int level = 0; level < depth; level++) {
            defs.append("\"L").append(level).append("\":{\"type\":\"object\",\"properties\":{");
            for (int b = 0; b < branching; b++) {
                defs.append(b == 0 ? "" : ",").append("\"p").append(b).append("\":{\"$ref\":\"#/$defs/L")
                        .append(level + 1).append("\"}");
            }
            defs.append("}},");
        }
        StringBuilder enumValues = new StringBuilder();
        for (int i = 0; enumValues.length() < leafBytes / 2; i++) {
            enumValues.append(i == 0 ? "" : ",").append("\"value-").append(i).append("-").append("v".repeat(24)).append('"');
        }
        defs.append("\"L").append(depth).append("\":{\"type\":\"string\",\"pattern\":\"^[a-z-]+$\",\"description\":\"")
                .append("d".repeat(leafBytes / 2)).append("\",\"enum\":[").append(enumValues).append("]}");
        return "{\"type\":\"object\",\"properties\":{\"root\":{\"$ref\":\"#/$defs/L0\"}},\"$defs\":{" + defs + "}}";
    }

    static String tool(String name, String parameters) {
        return "{\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"parameters\":" + parameters + "}}";
    }

    static String request(String messages, String extra) {
        return "{\"model\":\"m\",\"messages\":" + messages + extra + "}";
    }

    static final String HI = "[{\"role\":\"user\",\"content\":\"hi\"}]";

    /** Depth 7, branching 3: 2,187 inlined copies of a 16 KB leaf, under the cleaner's node cap. */
    static String deepRefChain() {
        return request(HI, ",\"tools\":[" + tool("fine", "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}")
                + "," + tool("expands", refChainSchema(7, 3, 16 * 1024)) + "]");
    }

    /** 70 definitions of 1 KB each, each referred to 70 times: about 20 times the request once inlined. */
    static String manyDefs() {
        StringBuilder defs = new StringBuilder();
        StringBuilder properties = new StringBuilder();
        for (int d = 0; d < 70; d++) {
            defs.append(d == 0 ? "" : ",").append("\"D").append(d).append("\":{\"type\":\"string\",\"description\":\"")
                    .append("x".repeat(1024)).append("\"}");
            for (int r = 0; r < 70; r++) {
                properties.append(d + r == 0 ? "" : ",").append("\"p").append(d).append('_').append(r)
                        .append("\":{\"$ref\":\"#/$defs/D").append(d).append("\"}");
            }
        }
        return request(HI, ",\"tools\":[" + tool("many", "{\"type\":\"object\",\"properties\":{" + properties
                + "},\"$defs\":{" + defs + "}}") + "]");
    }

    /** 80 tools, each expanding 60 times: each alone would pass, together they are over the bound. */
    static String manyExpandingTools() {
        StringBuilder tools = new StringBuilder();
        for (int t = 0; t < 80; t++) {
            tools.append(t == 0 ? "" : ",").append(tool("t" + t, refChainSchema(4, 3, 1500)));
        }
        return request(HI, ",\"tools\":[" + tools + "]");
    }

    /** 5,000 small tools. */
    static String manySmallTools() {
        StringBuilder tools = new StringBuilder();
        for (int t = 0; t < 5000; t++) {
            tools.append(t == 0 ? "" : ",").append(tool("t" + t, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"));
        }
        return request(HI, ",\"tools\":[" + tools + "]");
    }

    /** The largest {@code n} with a 512 KB message. */
    static String hugeN() {
        return request("[{\"role\":\"user\",\"content\":\"" + "word ".repeat(100 * 1024) + "\"}]", ",\"n\":128");
    }

    /** 20,000 image parts, tiny data URLs and URLs alternating. */
    static String manyImages() {
        StringBuilder parts = new StringBuilder("{\"type\":\"text\",\"text\":\"look\"}");
        for (int i = 0; i < 20_000; i++) {
            parts.append(",{\"type\":\"image_url\",\"image_url\":{\"url\":\"")
                    .append(i % 2 == 0 ? "data:image/png;base64,AA==" : "https://x.example/" + i + ".png").append("\"}}");
        }
        return request("[{\"role\":\"user\",\"content\":[" + parts + "]}]", "");
    }

    /**
     * One tool call with a 64 KB function name, answered by 1,000 tool messages: Gemini's
     * functionResponse repeats the name of the call it answers, so each 50-byte message would
     * carry 64 KB upstream.
     */
    static String repeatedToolName() {
        StringBuilder messages = new StringBuilder("[{\"role\":\"user\",\"content\":\"go\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"")
                .append("f".repeat(64 * 1024)).append("\",\"arguments\":\"{}\"}}]}");
        for (int i = 0; i < 1000; i++) {
            messages.append(",{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"ok\"}");
        }
        return request(messages + "]", "");
    }

    /** 5,000 tool calls and results whose one-character ids Anthropic's id rule makes 13 characters longer. */
    static String rewrittenIds() {
        StringBuilder calls = new StringBuilder();
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            String id = ".:@#~".charAt(i % 5) + Integer.toString(i);
            calls.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id)
                    .append("\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}");
            results.append(",{\"role\":\"tool\",\"tool_call_id\":\"").append(id).append("\",\"content\":\"r\"}");
        }
        return request("[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"tool_calls\":[" + calls + "]}"
                + results + "]", ",\"tools\":[" + tool("f", "{\"type\":\"object\",\"properties\":{}}") + "]");
    }

    /** A plain-text file of 300 KB of control bytes: decoded and JSON-escaped, each byte becomes six. */
    static String controlCharacterFile() {
        byte[] bytes = new byte[300 * 1024];
        java.util.Arrays.fill(bytes, (byte) 1);
        return request("[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"filename\":\"a.txt\",\"file_data\":\""
                + Base64.getEncoder().encodeToString(bytes) + "\"}}]}]", "");
    }

    /** 2,000 tool calls whose ids carry a Gemini thought signature. */
    static String signedIds() {
        StringBuilder calls = new StringBuilder();
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String id = "call_" + i + SignedToolCallIds.MARKER + "S".repeat(300);
            calls.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id)
                    .append("\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}");
            results.append(",{\"role\":\"tool\",\"tool_call_id\":\"").append(id).append("\",\"content\":\"r\"}");
        }
        return request("[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"tool_calls\":[" + calls + "]}"
                + results + "]", ",\"tools\":[" + tool("f", "{\"type\":\"object\",\"properties\":{}}") + "]");
    }

    /** A response_format schema that expands as {@link #deepRefChain} does. */
    static String deepResponseSchema() {
        return request(HI, ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":"
                + refChainSchema(7, 3, 16 * 1024) + "}}");
    }

    static Stream<Arguments> connectorsAndRequests() {
        Map<String, Supplier<String>> requests = new java.util.LinkedHashMap<>();
        requests.put("deep $ref chain", TranslationBoundsTest::deepRefChain);
        requests.put("deep response schema", TranslationBoundsTest::deepResponseSchema);
        requests.put("many $defs", TranslationBoundsTest::manyDefs);
        requests.put("many expanding tools", TranslationBoundsTest::manyExpandingTools);
        requests.put("many small tools", TranslationBoundsTest::manySmallTools);
        requests.put("n=128 with a big message", TranslationBoundsTest::hugeN);
        requests.put("many images", TranslationBoundsTest::manyImages);
        requests.put("tool name repeated by results", TranslationBoundsTest::repeatedToolName);
        requests.put("rewritten tool-call ids", TranslationBoundsTest::rewrittenIds);
        requests.put("control-character text file", TranslationBoundsTest::controlCharacterFile);
        requests.put("signed tool-call ids", TranslationBoundsTest::signedIds);
        Stream.Builder<Arguments> all = Stream.builder();
        requests.forEach((name, body) -> {
            all.add(Arguments.of("anthropic", name, body, new AnthropicConnector(null, null), CLAUDE, ANTHROPIC));
            all.add(Arguments.of("gemini", name, body, new GeminiConnector(null, null), GEMINI, GOOGLE));
            all.add(Arguments.of("openai", name, body, new OpenAiConnector(null, null), GPT, OPENAI));
        });
        return all.build();
    }

    /** The body the Gemini connector would send. */
    static byte[] gemini(ChatRequest request, ProviderConfig provider) {
        HttpConnector connector = new GeminiConnector(null, null);
        return connector.upstreamRequest(new ProviderCall(request, GEMINI, provider, "req_test")).body();
    }

    static ChatRequest parse(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ChatRequestParser.parse(bytes, bytes.length);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("connectorsAndRequests")
    void anUpstreamBodyStaysWithinTheBoundOrTheRequestIsA400(String connectorName, String requestName,
                                                              Supplier<String> body, HttpConnector connector,
                                                              ModelConfig model, ProviderConfig provider) {
        ChatRequest request = parse(body.get());
        int clientBytes = body.get().getBytes(StandardCharsets.UTF_8).length;
        byte[] upstream;
        try {
            upstream = connector.upstreamRequest(new ProviderCall(request, model, provider, "req_test")).body();
        } catch (GatewayException e) {
            assertThat(e.error().status()).as(e.error().message()).isEqualTo(400);
            return;
        }
        assertThat((long) upstream.length).as("%s: %d client bytes became %d upstream", requestName, clientBytes,
                upstream.length).isLessThanOrEqualTo(bound(clientBytes));
    }

    @Test
    void aSchemaThatInlinesPastTheBoundIsA400NamingItsTool() {
        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gemini(parse(deepRefChain()), GOOGLE));

        assertThat(e).isNotNull();
        assertThat(e.error().status()).isEqualTo(400);
        assertThat(e.error().param()).isEqualTo("tools[1].function.parameters");
        assertThat(e.error().message()).contains("tools[1].function.parameters").contains("$ref");
    }

    @Test
    void aResponseSchemaThatInlinesPastTheBoundIsA400NamingIt() {
        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gemini(parse(deepResponseSchema()), GOOGLE));

        assertThat(e).isNotNull();
        assertThat(e.error().param()).isEqualTo("response_format.json_schema.schema");
    }

    @Test
    void theToolsOfOneRequestShareOneBudget() {
        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gemini(parse(manyExpandingTools()), GOOGLE));

        assertThat(e).isNotNull();
        assertThat(e.error().param()).matches("tools\\[\\d+]\\.function\\.parameters").isNotEqualTo("tools[0].function.parameters");
    }

    @Test
    void schemasThatInlineWithinTheBoundStillPass() {
        String body = manyDefs();
        byte[] upstream = gemini(parse(body), GOOGLE);

        assertThat(upstream.length).isGreaterThan(10 * body.length());
    }

    @Test
    void aSmallerFactorLowersTheBound() {
        ProviderConfig strict = new ProviderConfig("p", ProviderType.GEMINI, URI.create("https://g"), "k", Map.of(),
                Timeouts.DEFAULTS, dev.switchboard.config.RetryPolicy.DEFAULTS, dev.switchboard.config.CooldownPolicy.DEFAULTS, 2);
        String body = request("[{\"role\":\"user\",\"content\":" + new String(RawJson.quote("x".repeat(2 * 1024 * 1024)),
                StandardCharsets.UTF_8) + "}]", ",\"tools\":[" + tool("f", refChainSchema(3, 3, 200 * 1024)) + "]");

        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gemini(parse(body), strict));
        byte[] upstream = gemini(parse(body), GOOGLE);

        assertThat(e).isNotNull();
        assertThat(e.error().param()).isEqualTo("tools[0].function.parameters");
        assertThat(upstream.length).isGreaterThan(2 * body.length());
    }

    /** A Messages request whose tool's schema inlines to megabytes, as {@link #deepRefChain()} for Chat. */
    static String messagesDeepRefChain() {
        return "{\"model\":\"m\",\"max_tokens\":100,\"messages\":" + HI + ",\"tools\":[{\"name\":\"expands\","
                + "\"input_schema\":" + refChainSchema(7, 3, 16 * 1024) + "}]}";
    }

    /** A Responses request with the same tool. */
    static String responsesDeepRefChain() {
        return "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"expands\","
                + "\"parameters\":" + refChainSchema(7, 3, 16 * 1024) + "}]}";
    }

    static Stream<Arguments> doorsAndConnectors() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (String door : List.of("messages", "responses")) {
            all.add(Arguments.of(door, "anthropic", new AnthropicConnector(null, null), CLAUDE, ANTHROPIC, false));
            all.add(Arguments.of(door, "gemini", new GeminiConnector(null, null), GEMINI, GOOGLE, true));
            all.add(Arguments.of(door, "openai", new OpenAiConnector(null, null), GPT, OPENAI, false));
        }
        return all.build();
    }

    /**
     * A door's request is measured against the client's own body, whether the connector maps it
     * straight from the internal model (Gemini) or through a Chat request made from it: that Chat
     * request is written within the request's budget, and the connector's translation of it is
     * measured against the client's size, not the Chat request's, so the two steps cannot compound.
     */
    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("doorsAndConnectors")
    void aDoorsTranslationIsMeasuredAgainstTheClientsBody(String door, String connectorName, HttpConnector connector,
                                                          ModelConfig model, ProviderConfig provider, boolean direct) {
        String body = door.equals("messages") ? messagesDeepRefChain() : responsesDeepRefChain();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        dev.switchboard.llm.ClientRequest request = door.equals("messages")
                ? dev.switchboard.ingress.messages.MessagesRequest.parse(bytes, bytes.length, false, null)
                : dev.switchboard.ingress.responses.ResponsesRequest.parse(bytes, bytes.length);
        byte[] upstream;
        try {
            dev.switchboard.llm.ClientRequest served = request;
            if (!direct) {
                byte[] chat = TranslationBudget.of(request, provider).write(
                        dev.switchboard.provider.mapping.LlmToChat.map(request.llmRequest()));
                served = ChatRequestParser.parse(chat, chat.length, bytes.length);
            }
            upstream = connector.upstreamRequest(new ProviderCall(served, model, provider, "req_test")).body();
        } catch (GatewayException e) {
            assertThat(connectorName).as("only Gemini inlines $refs").isEqualTo("gemini");
            assertThat(e.error().status()).isEqualTo(400);
            assertThat(e.error().param()).as("the door's own field")
                    .isEqualTo(door.equals("messages") ? "tools[0].input_schema" : "tools[0].parameters");
            return;
        }
        assertThat((long) upstream.length).isLessThanOrEqualTo(bound(bytes.length));
        assertThat(connectorName).isNotEqualTo("gemini");
    }
}
