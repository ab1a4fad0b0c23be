package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.error.GatewayError;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.provider.FailureKind;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatRequestParserTest {
    private static final String USER_HI = "{\"role\":\"user\",\"content\":\"hi\"}";
    private static final String MINIMAL = "{\"model\":\"m\",\"messages\":[" + USER_HI + "]}";

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ChatRequest parse(String body) {
        byte[] bytes = utf8(body);
        return ChatRequestParser.parse(bytes, bytes.length);
    }

    private static GatewayError errorOf(byte[] body) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> ChatRequestParser.parse(body, body.length));
        assertThat(e).as("expected a GatewayException").isNotNull();
        return e.error();
    }

    /** A valid body with one more top-level member. */
    private static String withField(String member) {
        return "{\"model\":\"m\",\"messages\":[" + USER_HI + "]," + member + "}";
    }

    /** A valid envelope around the given messages. */
    private static String withMessages(String... messages) {
        return "{\"model\":\"m\",\"messages\":[" + String.join(",", messages) + "]}";
    }

    private static Arguments bad(String name, String body, String param, String fragment) {
        return Arguments.of(name, utf8(body), param, fragment);
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                // the 'model' field
                bad("model missing", "{\"messages\":[" + USER_HI + "]}", "model", "'model' must be a string naming a model or alias, but it is nothing"),
                bad("model a number", "{\"model\":4,\"messages\":[" + USER_HI + "]}", "model", "but it is a number"),
                bad("model null", "{\"model\":null,\"messages\":[" + USER_HI + "]}", "model", "but it is null"),
                bad("model an array", "{\"model\":[\"m\"],\"messages\":[" + USER_HI + "]}", "model", "but it is an array"),
                bad("model empty", "{\"model\":\"\",\"messages\":[" + USER_HI + "]}", "model", "'model' must not be empty"),
                // the 'messages' field
                bad("messages missing", "{\"model\":\"m\"}", "messages", "'messages' must be a non-empty array of message objects, but it is nothing"),
                bad("messages an object", "{\"model\":\"m\",\"messages\":" + USER_HI + "}", "messages", "but it is an object"),
                bad("messages a string", "{\"model\":\"m\",\"messages\":\"hi\"}", "messages", "but it is a string"),
                bad("messages empty", "{\"model\":\"m\",\"messages\":[]}", "messages", "at least one message"),
                bad("message a string", withMessages("\"hi\""), "messages[0]", "messages[0] must be a message object, but it is a string"),
                bad("second message null", withMessages(USER_HI, "null"), "messages[1]", "but it is null"),
                bad("unknown role", withMessages("{\"role\":\"robot\",\"content\":\"x\"}"), "messages[0].role", "must be one of system, developer, user, assistant, tool or function"),
                bad("role missing", withMessages("{\"content\":\"x\"}"), "messages[0].role", "must be one of"),
                bad("role not a string", withMessages("{\"role\":1,\"content\":\"x\"}"), "messages[0].role", "must be one of"),
                bad("role in wrong case", withMessages("{\"role\":\"User\",\"content\":\"x\"}"), "messages[0].role", "must be one of"),
                bad("user content missing", withMessages("{\"role\":\"user\"}"), "messages[0].content", "messages[0].content is required for a user message"),
                bad("user content null", withMessages("{\"role\":\"user\",\"content\":null}"), "messages[0].content", "required for a user message"),
                bad("system content missing", withMessages("{\"role\":\"system\"}", USER_HI), "messages[0].content", "required for a system message"),
                bad("tool content missing", withMessages("{\"role\":\"tool\",\"tool_call_id\":\"c\"}"), "messages[0].content", "required for a tool message"),
                bad("content a number", withMessages("{\"role\":\"user\",\"content\":5}"), "messages[0].content", "must be a string or an array of content parts, but it is a number"),
                bad("content an object", withMessages("{\"role\":\"user\",\"content\":{\"type\":\"text\"}}"), "messages[0].content", "but it is an object"),
                bad("tool message without tool_call_id", withMessages(USER_HI, "{\"role\":\"tool\",\"content\":\"42\"}"), "messages[1].tool_call_id", "messages[1].tool_call_id is required"),
                bad("tool_call_id a number", withMessages("{\"role\":\"tool\",\"content\":\"42\",\"tool_call_id\":7}"), "messages[0].tool_call_id", "must be a string, but it is a number"),
                bad("content part without type", withMessages("{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}"), "messages[0].content[0]", "must be a content part object with a string 'type'"),
                bad("content part type a number", withMessages("{\"role\":\"user\",\"content\":[{\"type\":1,\"text\":\"x\"}]}"), "messages[0].content[0]", "string 'type'"),
                bad("content part a string", withMessages("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},\"b\"]}"), "messages[0].content[1]", "content part object"),
                bad("text part without text", withMessages("{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}"), "messages[0].content[0].text", "messages[0].content[0].text is required"),
                bad("text part with null text", withMessages("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":null}]}"), "messages[0].content[0].text", "is required"),
                bad("text part with numeric text", withMessages("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":3}]}"), "messages[0].content[0].text", "must be a string, but it is a number"),
                bad("name not a string", withMessages("{\"role\":\"user\",\"content\":\"x\",\"name\":[]}"), "messages[0].name", "must be a string, but it is an array"),
                bad("tool_calls not an array", withMessages(USER_HI, "{\"role\":\"assistant\",\"tool_calls\":{}}"), "messages[1].tool_calls", "must be an array, but it is an object"),
                bad("tool call not an object", withMessages("{\"role\":\"assistant\",\"tool_calls\":[1]}"), "messages[0].tool_calls[0]", "must be an object"),
                bad("tool call id a number", withMessages("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":1}]}"), "messages[0].tool_calls[0].id", "must be a string"),
                bad("tool call function a string", withMessages("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":\"f\"}]}"), "messages[0].tool_calls[0].function", "must be an object"),
                bad("tool call without function name", withMessages("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"arguments\":\"{}\"}}]}"), "messages[0].tool_calls[0].function.name", "is required"),
                bad("tool call arguments an object", withMessages("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":{}}}]}"), "messages[0].tool_calls[0].function.arguments", "must be a string, but it is an object"),
                // optional fields of the wrong type
                bad("temperature a string", withField("\"temperature\":\"hot\""), "temperature", "'temperature' must be a number, but it is a string"),
                bad("top_p a boolean", withField("\"top_p\":true"), "top_p", "must be a number, but it is a boolean"),
                bad("n a string", withField("\"n\":\"2\""), "n", "'n' must be an integer, but it is a string"),
                bad("n zero", withField("\"n\":0"), "n", "'n' must be at least 1"),
                bad("n negative", withField("\"n\":-3"), "n", "at least 1"),
                bad("n 1.5", withField("\"n\":1.5"), "n", "'n' must be an integer, but it is a number"),
                bad("n 1e30", withField("\"n\":1e30"), "n", "must be an integer"),
                // n is bounded at OpenAI's 128: choices are built in memory and n is read as an int.
                bad("n 129", withField("\"n\":129"), "n", "'n' must be at most 128, but it is 129"),
                bad("n a billion", withField("\"n\":1000000000"), "n", "'n' must be at most 128, but it is 1000000000"),
                bad("n 1e9, a number the parser does not take for an integer", withField("\"n\":1e9"), "n", "must be an integer"),
                bad("n just beyond an int", withField("\"n\":2147483648"), "n", "at most 128"),
                bad("n that wraps to a small int", withField("\"n\":4294967298"), "n", "at most 128"),
                bad("n the largest long", withField("\"n\":9223372036854775807"), "n", "at most 128"),
                bad("max_tokens 1.5", withField("\"max_tokens\":1.5"), "max_tokens", "'max_tokens' must be an integer"),
                bad("max_tokens 1e30", withField("\"max_tokens\":1e30"), "max_tokens", "must be an integer"),
                bad("max_tokens beyond a long", withField("\"max_tokens\":9223372036854775808"), "max_tokens", "must be an integer"),
                bad("max_tokens 20 digits", withField("\"max_tokens\":12345678901234567890"), "max_tokens", "must be an integer"),
                bad("max_completion_tokens a string", withField("\"max_completion_tokens\":\"10\""), "max_completion_tokens", "must be an integer"),
                bad("seed 2.5", withField("\"seed\":2.5"), "seed", "must be an integer"),
                bad("stream a string", withField("\"stream\":\"true\""), "stream", "'stream' must be a boolean, but it is a string"),
                bad("stream a number", withField("\"stream\":1"), "stream", "must be a boolean, but it is a number"),
                bad("stop a number", withField("\"stop\":5"), "stop", "'stop' must be a string or an array, but it is a number"),
                bad("stop element a number", withField("\"stop\":[\"a\",1]"), "stop[1]", "'stop[1]' must be a string"),
                bad("tools an object", withField("\"tools\":{}"), "tools", "'tools' must be an array, but it is an object"),
                bad("tool not an object", withField("\"tools\":[\"fn\"]"), "tools[0]", "tools[0] must be an object"),
                bad("tool_choice a number", withField("\"tool_choice\":1"), "tool_choice", "'tool_choice' must be a string or an object, but it is a number"),
                bad("tool_choice an array", withField("\"tool_choice\":[]"), "tool_choice", "but it is an array"),
                bad("stream_options a string", withField("\"stream_options\":\"x\""), "stream_options", "'stream_options' must be an object"),
                bad("include_usage a string", withField("\"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"}"), "stream_options.include_usage", "'stream_options.include_usage' must be a boolean, but it is a string"),
                bad("response_format a string", withField("\"response_format\":\"json\""), "response_format", "must be an object"),
                bad("response_format.type a number", withField("\"response_format\":{\"type\":1}"), "response_format.type", "'response_format.type' must be a string, but it is a number"),
                bad("user a number", withField("\"user\":1"), "user", "must be a string"),
                bad("logit_bias an array", withField("\"logit_bias\":[]"), "logit_bias", "must be an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestIsA400NamingTheField(String name, byte[] body, String param, String fragment) {
        GatewayError error = errorOf(body);

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.type()).isEqualTo("invalid_request_error");
        assertThat(error.code()).isNull();
        assertThat(error.param()).isEqualTo(param);
        assertThat(error.message()).contains(fragment).contains(param);
        assertThat(FailureKind.of(error.kind()).retryable()).isFalse();
    }

    static Stream<Arguments> invalidJson() {
        byte[] badUtf8 = utf8("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"XX\"}]}");
        int xx = new String(badUtf8, StandardCharsets.US_ASCII).indexOf("XX");
        badUtf8[xx] = (byte) 0xC3; // a lead byte followed by '(' is no character
        badUtf8[xx + 1] = (byte) 0x28;
        String deep = "{\"model\":\"m\",\"messages\":[" + USER_HI + "],\"metadata\":"
                + "{\"a\":".repeat(Json.MAX_DEPTH) + "1" + "}".repeat(Json.MAX_DEPTH) + "}";
        return Stream.of(
                Arguments.of("not JSON", utf8("hello"), "The request body must be a JSON object"),
                Arguments.of("empty body", new byte[0], "The request body must be a JSON object"),
                Arguments.of("invalid UTF-8", badUtf8, "it is not valid UTF-8"),
                Arguments.of("lone surrogate in UTF-8", new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'}, "not valid UTF-8"),
                Arguments.of("array at top level", utf8("[" + MINIMAL + "]"), "expected a JSON object but found an array"),
                Arguments.of("string at top level", utf8("\"hi\""), "found a string"),
                Arguments.of("duplicate key", utf8("{\"model\":\"a\",\"model\":\"b\",\"messages\":[" + USER_HI + "]}"), "Duplicate key 'model'"),
                Arguments.of("nested duplicate key", utf8(withMessages("{\"role\":\"user\",\"role\":\"system\",\"content\":\"x\"}")), "Duplicate key 'role'"),
                Arguments.of("nesting deeper than MAX_DEPTH", utf8(deep), "The request body must be a JSON object"),
                Arguments.of("second object after the first", utf8(MINIMAL + "{\"model\":\"other\"}"), "The request body must be a JSON object"),
                Arguments.of("garbage after the object", utf8(MINIMAL + " x"), "The request body must be a JSON object"),
                Arguments.of("truncated", utf8(MINIMAL.substring(0, 20)), "The request body must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidJson")
    void unparsableBodyIsA400InvalidJson(String name, byte[] body, String fragment) {
        GatewayError error = errorOf(body);

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.type()).isEqualTo("invalid_request_error");
        assertThat(error.code()).isEqualTo("invalid_json");
        assertThat(error.param()).isNull();
        assertThat(error.message()).contains(fragment).endsWith(".");
    }

    @Test
    void nestingOfExactlyMaxDepthIsAccepted() {
        // The body object is level 1, "metadata" level 2.
        int inner = Json.MAX_DEPTH - 1;
        String body = "{\"model\":\"m\",\"messages\":[" + USER_HI + "],\"metadata\":"
                + "{\"a\":".repeat(inner - 1) + "{}" + "}".repeat(inner - 1) + "}";

        assertThat(parse(body).model()).isEqualTo("m");
    }

    @Test
    void minimalRequest() {
        ChatRequest request = parse(MINIMAL);

        assertThat(request.model()).isEqualTo("m");
        assertThat(request.stream()).isFalse();
        assertThat(request.includeUsage()).isFalse();
        assertThat(request.json().getJsonArray("messages")).hasSize(1);
    }

    @Test
    void assistantWithNullContentAndToolCallsThenToolResult() {
        ChatRequest request = parse(withMessages(
                USER_HI,
                "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}",
                "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}"));

        assertThat(request.json().getJsonArray("messages")).hasSize(3);
    }

    @Test
    void assistantWithoutContentIsAccepted() {
        assertThat(parse(withMessages(USER_HI, "{\"role\":\"assistant\"}")).model()).isEqualTo("m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"system", "developer", "user", "assistant", "function"})
    void everyRoleIsAccepted(String role) {
        assertThat(parse(withMessages("{\"role\":\"" + role + "\",\"content\":\"x\",\"name\":\"n\"}")).model()).isEqualTo("m");
    }

    @Test
    void contentPartsOfAnyTypeAreAccepted() {
        ChatRequest request = parse(withMessages("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}}]}"));

        assertThat(request.json().getJsonArray("messages").getJsonObject(0).getJsonArray("content")).hasSize(3);
    }

    @Test
    void unknownFutureFieldsAreAcceptedAndKept() {
        ChatRequest request = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"new_msg_field\":{}}],"
                + "\"brand_new_option\":[1,2,3],\"reasoning\":{\"effort\":\"high\"},\"extra_body\":null}");

        assertThat(request.json()).containsKeys("brand_new_option", "reasoning");
        assertThat(request.get("brand_new_option")).isNotNull();
    }

    @Test
    void everyOptionalFieldMayBeNull() {
        String nulls = String.join(",", "\"temperature\":null", "\"top_p\":null", "\"n\":null", "\"max_tokens\":null",
                "\"stream\":null", "\"stop\":null", "\"tools\":null", "\"tool_choice\":null", "\"stream_options\":null",
                "\"response_format\":null", "\"user\":null", "\"seed\":null", "\"logit_bias\":null", "\"metadata\":null");

        ChatRequest request = parse(withField(nulls));

        assertThat(request.stream()).isFalse();
        assertThat(request.get("temperature")).isNull();
    }

    @Test
    void wellTypedOptionalFieldsAreAccepted() {
        ChatRequest request = parse(withField(String.join(",",
                "\"temperature\":0", "\"top_p\":0.5", "\"n\":2", "\"max_tokens\":100", "\"max_completion_tokens\":5",
                "\"seed\":-9223372036854775808", "\"top_logprobs\":3", "\"logprobs\":true", "\"stop\":[\"a\",\"b\"]",
                "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]",
                "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}",
                "\"response_format\":{\"type\":\"json_object\"}", "\"user\":\"u\"", "\"parallel_tool_calls\":false",
                "\"logit_bias\":{\"50256\":-100}", "\"metadata\":{\"k\":\"v\"}")));

        assertThat(request.get("n")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"stop\":\"END\"", "\"tool_choice\":\"auto\"", "\"max_tokens\":9223372036854775807", "\"n\":1",
            "\"n\":128", "\"n\":1.28e2"})
    void alternativeShapesAreAccepted(String member) {
        assertThat(parse(withField(member)).model()).isEqualTo("m");
    }

    static Stream<Arguments> streamFlags() {
        return Stream.of(
                Arguments.of("no stream", "", false, false),
                Arguments.of("stream false", "\"stream\":false", false, false),
                Arguments.of("stream true", "\"stream\":true", true, false),
                Arguments.of("stream with include_usage", "\"stream\":true,\"stream_options\":{\"include_usage\":true}", true, true),
                Arguments.of("stream with include_usage false", "\"stream\":true,\"stream_options\":{\"include_usage\":false}", true, false),
                Arguments.of("include_usage without stream", "\"stream_options\":{\"include_usage\":true}", false, false),
                Arguments.of("include_usage with stream false", "\"stream\":false,\"stream_options\":{\"include_usage\":true}", false, false),
                Arguments.of("stream_options without include_usage", "\"stream\":true,\"stream_options\":{}", true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamFlags")
    void streamAndIncludeUsageFlags(String name, String members, boolean stream, boolean includeUsage) {
        ChatRequest request = parse(members.isEmpty() ? MINIMAL : withField(members));

        assertThat(request.stream()).isEqualTo(stream);
        assertThat(request.includeUsage()).isEqualTo(includeUsage);
    }

    @Test
    void parsesOnlyTheGivenLength() {
        byte[] bytes = utf8(MINIMAL + "TRAILING JUNK BEYOND LENGTH");

        ChatRequest request = ChatRequestParser.parse(bytes, MINIMAL.length());

        assertThat(request.model()).isEqualTo("m");
    }

    @Test
    void modelWithEscapesIsDecoded() {
        assertThat(parse("{\"model\":\"gpt\\u002d4o\",\"messages\":[" + USER_HI + "]}").model()).isEqualTo("gpt-4o");
    }

    @Test
    void getReturnsNullForAbsentAndJsonNull() {
        ChatRequest request = parse(withField("\"user\":null,\"temperature\":0.5"));

        assertThat(request.get("user")).isNull();
        assertThat(request.get("absent")).isNull();
        assertThat(request.get("temperature").getValueType()).isEqualTo(JsonValue.ValueType.NUMBER);
    }

    @Test
    void aBodyOfMillionsOfTinyValuesIsRefusedBeforeItIsParsed() {
        StringBuilder messages = new StringBuilder("{\"model\":\"m\",\"messages\":[" + USER_HI);
        for (int i = 0; i < Json.MAX_VALUES; i++) {
            messages.append(",{}");
        }
        GatewayError error = errorOf(utf8(messages.append("]}").toString()));

        assertThat(error.status()).isEqualTo(413);
        assertThat(error.code()).isEqualTo("request_too_large");
        assertThat(error.message()).contains(Integer.toString(Json.MAX_VALUES));
    }
}
