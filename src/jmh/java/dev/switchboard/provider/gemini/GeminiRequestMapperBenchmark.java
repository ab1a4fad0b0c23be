package dev.switchboard.provider.gemini;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.jmh.Payloads;
import dev.switchboard.llm.Protocol;
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
 * OpenAI request → Gemini generateContent body, as a Chat request takes it per request: the
 * request in the internal model (ChatToLlm, which the request caches, so the body is parsed anew
 * each time and the parse is in the score), mapped, then written.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GeminiRequestMapperBenchmark {
    private static final ModelConfig MODEL = new ModelConfig("gemini-2.5-flash", "gemini", "gemini-2.5-flash", null);

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
        TranslationBudget budget = new TranslationBudget(parsed.bodyLength(), ProviderConfig.DEFAULT_MAX_TRANSLATION_FACTOR);
        return budget.write(GeminiRequestMapper.map(parsed.llmRequest(), Protocol.CHAT, MODEL, budget));
    }
}
