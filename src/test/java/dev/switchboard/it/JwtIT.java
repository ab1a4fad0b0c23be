package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JWT callers on a real container (docs/identity.md): an OpenAI SDK client whose API key is a JWT
 * signed here, keys served by a local JWKS stub. The first issuer's keys come through its OpenID
 * discovery document; the second issuer's key set is held back until a request is waiting for it,
 * so that request must wait asynchronously and go on once the keys arrive.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JwtIT {
    static final String STATIC_TOKEN = "sb-it-jwt-static-token";
    /**
     * Released once a request is waiting for the slow issuer's keys; held at most within the
     * fetch's 5 s timeout, so the first test must run within that of the deployment (it runs first).
     */
    static final CountDownLatch RELEASE_SLOW_KEYS = new CountDownLatch(1);

    static HttpServer idp;
    static String issuer;
    static String slowIssuer;
    static RSAKey key;
    static RSAKey slowKey;

    @ArquillianResource
    URL base;

    final HttpClient http = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        slowKey = new RSAKeyGenerator(2048).keyID("s1").generate();
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.setExecutor(Executors.newFixedThreadPool(4));
        String root = "http://127.0.0.1:" + idp.getAddress().getPort();
        issuer = root + "/realms/acme";
        slowIssuer = root + "/realms/slow";
        idp.createContext("/realms/acme/.well-known/openid-configuration", exchange -> send(exchange,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\"}"));
        idp.createContext("/realms/acme/certs", exchange -> send(exchange, new JWKSet(key).toPublicJWKSet().toString()));
        idp.createContext("/realms/slow/certs", exchange -> {
            try {
                RELEASE_SLOW_KEYS.await(4500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(exchange, new JWKSet(slowKey).toPublicJWKSet().toString());
        });
        idp.start();
        return GatewayDeployment.withConfig("jwt", """
                {
                  "providers": {"echo": {"type": "echo"}},
                  "models": {"echo": {"provider": "echo"}, "echo-big": {"provider": "echo"}},
                  "teams": {"research": {"models": ["echo", "echo-big"]}, "trial": {"models": ["echo"]}},
                  "tokens": [{"name": "static", "token": "%s"}],
                  "metrics": {"public": true},
                  "auth": {"jwt": [
                    {"issuer": "%s", "audience": "switchboard", "nameClaim": "preferred_username",
                     "teamsClaim": "groups", "teams": {"ml-engineers": "research", "interns": "trial"}},
                    {"issuer": "%s", "audience": "switchboard", "jwksUri": "%s/certs", "defaultTeam": "trial"}
                  ]}
                }
                """.formatted(STATIC_TOKEN, issuer, slowIssuer, slowIssuer));
    }

    @AfterAll
    static void stopIdp() {
        idp.stop(0);
    }

    private static void send(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static String jwt(RSAKey signer, String iss, List<String> groups, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(iss).audience("switchboard").subject("u-1")
                .claim("preferred_username", "alice").claim("groups", groups)
                .issueTime(new Date()).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    OpenAIClient client(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(base + "v1").apiKey(apiKey).maxRetries(0).build();
    }

    HttpResponse<String> chat(String token, String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void aRequestWaitingForKeysGoesOnWhenTheyArrive() throws Exception {
        String token = jwt(slowKey, slowIssuer, List.of(), Instant.now().plusSeconds(300));
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return chat(token, "echo");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(waiting).as("no answer before the keys are served").isNotDone();
        RELEASE_SLOW_KEYS.countDown();
        HttpResponse<String> response = waiting.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("hello");
        // The access log and the metrics see the request's model: their listener hooked onto the second async cycle.
        String requests = "";
        for (int i = 0; i < 50 && !requests.contains("status=\"200\""); i++) {
            Thread.sleep(50);
            requests = http.send(HttpRequest.newBuilder(URI.create(base + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().lines()
                    .filter(line -> line.startsWith("switchboard_requests_total{")).reduce("", String::concat);
        }
        assertThat(requests).contains("model=\"echo\"").contains("status=\"200\"").doesNotContain("model=\"none\"");
    }

    @Test
    void anSdkClientWithAJwtAsItsKeyIsServedByItsTeam() throws Exception {
        OpenAIClient client = client(jwt(key, issuer, List.of("interns"), Instant.now().plusSeconds(300)));
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("echo").addUserMessage("hello there").build());
        assertThat(completion.choices().get(0).message().content()).hasValue("hello there");
        assertThat(client.models().list().data().stream().map(Model::id).toList()).containsExactly("echo");
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("echo-big").addUserMessage("x").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
        // Two teams: the wider list.
        OpenAIClient both = client(jwt(key, issuer, List.of("interns", "ml-engineers"), Instant.now().plusSeconds(300)));
        assertThat(both.models().list().data().stream().map(Model::id).toList()).containsExactly("echo", "echo-big");
        // The static token still works next to the JWTs.
        assertThat(chat(STATIC_TOKEN, "echo-big").statusCode()).isEqualTo(200);
    }

    @Test
    void refusalsAre401WithInvalidTokenAnd403WithoutATeam() throws Exception {
        HttpResponse<String> expired = chat(jwt(key, issuer, List.of("interns"), Instant.now().minusSeconds(120)), "echo");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer ").contains("error=\"invalid_token\"")
                        .contains("error_description=\"The token has expired.\""));
        assertThat(expired.body()).contains("\"code\":\"invalid_api_key\"").contains("expired");

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        HttpResponse<String> forged = chat(jwt(stranger, issuer, List.of("interns"), Instant.now().plusSeconds(300)), "echo");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("signature");

        HttpResponse<String> noTeam = chat(jwt(key, issuer, List.of("visitors"), Instant.now().plusSeconds(300)), "echo");
        assertThat(noTeam.statusCode()).isEqualTo(403);
        assertThat(noTeam.body()).contains("\"code\":\"permission_denied\"");
    }
}
