package dev.switchboard.provider.openai;

import dev.switchboard.auth.Caller;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.TokenConfig;
import dev.switchboard.jmh.Payloads;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.upstream.UpstreamRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request side of a non-streaming chat request relayed to an OpenAI-compatible provider, in
 * the steps a container thread runs before the upstream request is handed to HttpClient 5: the
 * bearer token checked, the client's body parsed and validated, and the upstream request (URI,
 * headers, body with the model renamed) built. {@code relay} is the three together, on the load
 * harness's non-streaming body. Scores are per request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RelayRequestBenchmark {
    /** The load harness's non-streaming body (bench/java/Scenarios.java, chatBody). */
    static final String BODY = """
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},\
            {"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}""";
    static final String TOKEN = "sb-bench-0123456789abcdef0123456789abcdef";

    private byte[] body;
    private TokenVerifier tokens;
    private OpenAiConnector connector;
    private ModelConfig model;
    private ProviderConfig provider;
    private ChatRequest parsed;

    @Setup
    public void setUp() {
        body = Payloads.utf8(BODY);
        tokens = new TokenVerifier(List.of(
                new TokenConfig("other", ConfigParser.sha256("sb-other-token-0000000000000000"), null, null, null, false,
                        null, null, false),
                new TokenConfig("bench", ConfigParser.sha256(TOKEN), null, null, null, false, null, null, false)));
        // upstreamRequest builds the request only: no client, no timer.
        connector = new OpenAiConnector(null, null);
        provider = ProviderConfig.of("mock-openai", ProviderType.OPENAI, URI.create("http://127.0.0.1:20114/v1"),
                "mock-key", Map.of());
        model = new ModelConfig("gpt-4o-mini", "mock-openai", "gpt-4o-mini", null);
        parsed = ChatRequestParser.parse(body, body.length);
    }

    @Benchmark
    public Caller verifyToken() {
        return tokens.verify(TOKEN);
    }

    @Benchmark
    public ChatRequest parse() {
        return ChatRequestParser.parse(body, body.length);
    }

    @Benchmark
    public UpstreamRequest upstreamRequest() {
        return connector.upstreamRequest(new ProviderCall(parsed, model, provider, "req_bench"));
    }

    @Benchmark
    public UpstreamRequest relay() {
        Caller caller = tokens.verify(TOKEN);
        ChatRequest request = ChatRequestParser.parse(body, body.length);
        return connector.upstreamRequest(new ProviderCall(request, model, provider, caller.name()));
    }
}
