package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input through the deployed WAR, over plain HTTP: every malformed body is a 4xx in OpenAI's
 * error shape (never a 5xx, a dropped connection or a stack trace) and the gateway keeps serving.
 * Also the transport details a raw client sees: headers, request ids, methods, limits.
 */
@ExtendWith(ArquillianExtension.class)
class HostileInputIT {
    static final String TOKEN = "sb-it-hostile";
    static final long MAX_REQUEST_BYTES = 200_000;

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withConfig("hostile", """
                {
                  "providers": {"echo": {"type": "echo"}},
                  "models": {"echo": {"provider": "echo"}},
                  "aliases": {"fast": ["echo"]},
                  "tokens": [{"name": "it", "token": "%s"}],
                  "maxRequestBytes": %d
                }
                """.formatted(TOKEN, MAX_REQUEST_BYTES));
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts OpenAI's error shape with all four keys and returns the error object. */
    private static JsonObject assertError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonObject error = Json.parseObject(response.body()).getJsonObject("error");
        assertThat(error.keySet()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.getString("message")).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        return error;
    }

    @Test
    void malformedBodiesAreFourHundredsNamingTheProblem() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        Object[][] cases = {
                {utf8("not json at all"), null},
                {utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"), null},
                {new byte[] {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, null},
                {utf8("{\"model\":\"fast\",\"messages\":" + deep + "}"), null},
                {utf8("[1,2,3]"), null},
                {utf8("{\"model\":\"fast\",\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), null},
                {utf8("{\"model\":42,\"messages\":[]}"), "model"},
                {utf8("{\"model\":\"fast\"}"), "messages"},
                {utf8("{\"model\":\"fast\",\"messages\":\"hi\"}"), "messages"},
                {utf8("{\"model\":\"fast\",\"messages\":[]}"), "messages"},
                {utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}"), "messages[0].role"},
                {utf8("{\"model\":\"fast\",\"messages\":[7]}"), "messages[0]"},
                {utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}"), "stream"},
                {utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":\"hot\"}"), "temperature"},
                {utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":1.5}"), "max_tokens"},
                {utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":1e400}"), "n"},
                {utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":{}}"), "tools"},
                {utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[1]}"), "stop[0]"},
        };
        for (Object[] c : cases) {
            JsonObject error = assertError(post((byte[]) c[0]), 400);
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
            if (c[1] != null) {
                assertThat(error.getString("param")).isEqualTo(c[1]);
            }
        }
        assertGatewayStillServes();
    }

    @Test
    void randomBytesNeverCauseAServerError() throws Exception {
        Random random = new Random(20261125);
        for (int i = 0; i < 50; i++) {
            byte[] body = new byte[1 + random.nextInt(2000)];
            random.nextBytes(body);
            assertThat(post(body).statusCode()).isBetween(400, 499);
        }
        assertGatewayStillServes();
    }

    @Test
    void hugeStringsWithinTheLimitAreServedAndBodiesOverItAreA413() throws Exception {
        String big = "a ".repeat(90_000);
        HttpResponse<String> ok = post(utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(ok.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content")).isEqualTo(big);

        String tooBig = "b".repeat((int) MAX_REQUEST_BYTES);
        JsonObject error = assertError(post(utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + tooBig + "\"}]}")), 413);
        assertThat(error.getString("code")).isEqualTo("request_too_large");
        assertGatewayStillServes();
    }

    @Test
    void streamingResponsesCarryTheSseHeadersAndEndWithDone() throws Exception {
        HttpResponse<String> response = post(utf8(
                "{\"model\":\"fast\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three four\"}]}"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(response.headers().firstValue("X-Accel-Buffering")).contains("no");
        assertThat(response.headers().firstValue("x-switchboard-model")).contains("echo");
        assertThat(response.headers().firstValue("x-switchboard-provider")).contains("echo");
        assertThat(response.headers().firstValue("x-switchboard-attempts")).contains("1");
        assertThat(response.body()).startsWith("data: {").endsWith("data: [DONE]\n\n");
    }

    @Test
    void everyResponseCarriesARequestIdAndASaneOneIsKept() throws Exception {
        HttpResponse<String> mine = http.send(HttpRequest.newBuilder(URI.create(base + "v1/models"))
                .header("Authorization", "Bearer " + TOKEN).header("x-request-id", "trace-abc.123").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(mine.headers().firstValue("x-request-id")).contains("trace-abc.123");

        HttpResponse<String> insane = http.send(HttpRequest.newBuilder(URI.create(base + "v1/models"))
                .header("x-request-id", "<script>").build(), HttpResponse.BodyHandlers.ofString());
        assertError(insane, 401);
        assertThat(insane.headers().firstValue("x-request-id")).hasValueSatisfying(
                id -> assertThat(id).startsWith("req_").doesNotContain("<"));
        assertThat(insane.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void healthNeedsNoTokenAndWrongMethodsAndPathsAreJsonErrors() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertError(get, 405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        assertThat(get.headers().firstValue("Connection")).as("no body to leave unread").isEmpty();

        for (String path : List.of("healthz", "readyz", "metrics", "v1/models")) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(assertError(post, 405).getString("message")).as(path).contains("POST is not supported on /" + path);
            assertThat(post.headers().firstValue("Allow")).as(path).hasValue(path.equals("v1/models") ? "GET" : "GET, HEAD");
            // Its body was never read: the connection cannot be trusted with another request.
            assertThat(post.headers().firstValue("Connection")).as(path).hasValue("close");
        }

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "v1/audio/speech"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(assertError(unknown, 404).getString("code")).isEqualTo("not_found");
    }

    @Test
    void tokensNeverAppearInErrorBodies() throws Exception {
        String secret = "sb-this-must-not-echo";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + secret).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(response, 401);
        assertThat(response.headers().firstValue("x-switchboard-attempts")).as("no provider was called").hasValue("0");
        assertThat(response.headers().firstValue("Connection")).as("the body was never read").hasValue("close");
        assertThat(response.body()).doesNotContain(secret);
        assertThat(Stream.of(response.headers().map().values().toArray()).map(Object::toString))
                .noneMatch(value -> value.contains(secret));
    }

    /** The doors other than Chat: each refuses malformed input with a 4xx in its own shape. */
    @Test
    void everyDoorRefusesMalformedBodiesInItsOwnShape() throws Exception {
        Object[][] messages = {
                {"not json", null},
                {"{\"model\":\"fast\",\"max_tokens\":10}", "messages"},
                {"{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "max_tokens"},
                {"{\"model\":\"fast\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
                        "messages[0].role"},
                {"{\"model\":\"fast\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[7]}]}",
                        "messages[0].content[0]"},
                {"{\"model\":\"fast\",\"max_tokens\":\"ten\",\"messages\":[]}", "max_tokens"},
        };
        for (Object[] c : messages) {
            HttpResponse<String> response = post("v1/messages", utf8((String) c[0]));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonObject body = Json.parseObject(response.body());
            assertThat(body.getString("type")).isEqualTo("error");
            assertThat(body.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
            if (c[1] != null) {
                assertThat(body.getJsonObject("error").getString("message")).contains("'" + c[1] + "'");
            }
        }
        Object[][] responses = {
                {"{\"model\":\"fast\"}", "input"},
                {"{\"model\":\"fast\",\"input\":7}", "input"},
                {"{\"model\":\"fast\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}", "previous_response_id"},
                {"{\"model\":\"fast\",\"input\":[\"x\"]}", "input[0]"},
                {"{\"model\":\"fast\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}", "input[0]"},
        };
        for (Object[] c : responses) {
            assertThat(assertError(post("v1/responses", utf8((String) c[0])), 400).getString("param")).isEqualTo(c[1]);
        }
        Object[][] embeddings = {
                {"{\"model\":\"fast\"}", "input"},
                {"{\"model\":\"fast\",\"input\":\"\"}", "input"},
                {"{\"model\":\"fast\",\"input\":[]}", "input"},
                {"{\"model\":\"fast\",\"input\":[\"a\",7]}", "input[1]"},
                {"{\"model\":\"fast\",\"input\":\"a\",\"encoding_format\":\"hex\"}", "encoding_format"},
                {"{\"model\":\"fast\",\"input\":\"a\",\"dimensions\":0}", "dimensions"},
        };
        for (Object[] c : embeddings) {
            assertThat(assertError(post("v1/embeddings", utf8((String) c[0])), 400).getString("param")).isEqualTo(c[1]);
        }
        Random random = new Random(20261206);
        for (String door : List.of("v1/messages", "v1/messages/count_tokens", "v1/responses", "v1/embeddings")) {
            for (int i = 0; i < 20; i++) {
                byte[] body = new byte[1 + random.nextInt(2000)];
                random.nextBytes(body);
                assertThat(post(door, body).statusCode()).as(door).isBetween(400, 499);
            }
        }
        assertGatewayStillServes();
    }

    /** The echo provider answers every chat door, through Chat for Messages and Responses. */
    @Test
    void theEchoProviderAnswersEveryChatDoor() throws Exception {
        HttpResponse<String> message = post("v1/messages", utf8(
                "{\"model\":\"fast\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"one two three four\"}]}"));
        assertThat(message.statusCode()).as(message.body()).isEqualTo(200);
        assertThat(Json.parseObject(message.body()).getJsonArray("content").getJsonObject(0).getString("text"))
                .isEqualTo("one two three four");
        HttpResponse<String> stream = post("v1/responses", utf8(
                "{\"model\":\"fast\",\"stream\":true,\"input\":\"one two three four\"}"));
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).startsWith("event: response.created\n").contains("event: response.completed\n")
                .doesNotContain("[DONE]");
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertGatewayStillServes() throws Exception {
        HttpResponse<String> response = post(utf8("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"still here\"}]}"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("still here");
    }
}
