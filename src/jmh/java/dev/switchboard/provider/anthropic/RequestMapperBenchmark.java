package dev.switchboard.provider.anthropic;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.jmh.Payloads;
import dev.switchboard.provider.mapping.TranslationBudget;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * OpenAI request → Anthropic Messages body, as a Chat request takes it per request: the request
 * parsed (a parsed request keeps its internal model), taken into the internal model, mapped and
 * written.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RequestMapperBenchmark {
    private static final ModelConfig MODEL = new ModelConfig("claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5", 1024);

    @Param({"small", "tools"})
    public String request;

    private byte[] body;

    @Setup
    public void setUp() {
        body = Payloads.utf8(request.equals("small") ? Payloads.SMALL_REQUEST : Payloads.TOOLS_REQUEST);
    }

    @Benchmark
    public byte[] mapAndWrite() {
        ChatRequest parsed = ChatRequestParser.parse(body, body.length);
        return new TranslationBudget(parsed.bodyLength(), ProviderConfig.DEFAULT_MAX_TRANSLATION_FACTOR)
                .write(LlmRequestMapper.map(parsed.llmRequest(), MODEL));
    }
}
