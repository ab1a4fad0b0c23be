package dev.switchboard.provider.mapping;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
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
 * One bounded estimate's tokenization ({@link TokenEstimate#SAMPLE_CHARS} characters of English
 * or of Chinese, which the pre-tokenizer leaves as one long piece): the packed
 * {@link O200kCounter} against jtokkit's {@code countTokensOrdinary}, which it replaces, in the
 * same run. What each keeps in the heap and takes to load is {@link TokenizerFootprint}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class TokenCountBenchmark {
    @Param({"english", "chinese"})
    public String text;

    private String sample;
    private O200kCounter counter;
    private Encoding jtokkit;

    @Setup
    public void setUp() {
        String unit = text.equals("english")
                ? "The quick brown fox jumps over the lazy dog, and the gateway counts every token it relays. "
                : "我们的网关对每个流的令牌进行计数并保持预算。";
        sample = unit.repeat(TokenEstimate.SAMPLE_CHARS / unit.length() + 1).substring(0, TokenEstimate.SAMPLE_CHARS);
        counter = O200kCounter.load();
        jtokkit = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    @Benchmark
    public int packed() {
        return counter.count(sample);
    }

    @Benchmark
    public int jtokkit() {
        return jtokkit.countTokensOrdinary(sample);
    }
}
