package dev.switchboard.provider.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed counter against jtokkit's own {@code o200k_base}, which it must match token for token. */
class O200kCounterTest {
    private static final O200kCounter COUNTER = O200kCounter.load();
    private static final Encoding JTOKKIT = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    /** Code point ranges: ASCII, Latin, Greek, Cyrillic, Hebrew and Arabic, Devanagari, Thai, kana, CJK, Hangul, emoji, controls, punctuation, lone surrogates. */
    private static final int[][] SCRIPTS = {{0x20, 0x7e}, {0xa0, 0x24f}, {0x370, 0x3ff}, {0x400, 0x4ff}, {0x590, 0x6ff},
            {0x900, 0x97f}, {0xe00, 0xe7f}, {0x3040, 0x30ff}, {0x4e00, 0x9fff}, {0xac00, 0xd7a3}, {0x1f300, 0x1f6ff},
            {0x0, 0x20}, {0x2000, 0x206f}, {0xd800, 0xdfff}};

    @Test
    void countsAsJtokkitDoesTextOfEveryScript() {
        Random random = new Random(18);
        for (int text = 0; text < 1500; text++) {
            String sample = randomText(random, random.nextInt(text % 100 == 0 ? 20_000 : 300));
            assertThat(COUNTER.count(sample)).as(sample).isEqualTo(JTOKKIT.countTokensOrdinary(sample));
        }
    }

    @Test
    void countsAsJtokkitDoesLongPiecesAndEdges() {
        for (String sample : new String[] {"", "Hello, world!", "I'll see you're WE'RE they'd 12345678901234",
                "The gateway counts tokens précis naïve Übersetzung 数据 🙂 <|endoftext|>", "     \n\n\t  x\r\n",
                "我们的网关对每个流的令牌进行计数并保持预算".repeat(400), "a".repeat(20_000), " ".repeat(5000),
                "!!!???...".repeat(1000), "{\"city\":\"Paris\",\"days\":[1,2,3]}", "\uD800 lone \uDC00 surrogates"}) {
            assertThat(COUNTER.count(sample)).as(sample).isEqualTo(JTOKKIT.countTokensOrdinary(sample));
        }
    }

    /** jtokkit's encoder and decoder maps take 31 MB; the packed table a seventh of that. */
    @Test
    void itsTableTakesUnderFiveMegabytes() {
        assertThat(COUNTER.tableBytes()).isLessThan(5_000_000L);
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        boolean ascii = random.nextInt(4) == 0;
        for (int i = 0; i < length; i++) {
            int[] script = SCRIPTS[ascii ? 0 : random.nextInt(SCRIPTS.length)];
            if (random.nextInt(6) == 0) {
                text.append(' ');
            }
            if (random.nextInt(40) == 0) {
                text.append("\n\n");
            }
            if (random.nextInt(30) == 0) {
                text.append("'s");
            }
            text.appendCodePoint(script[0] + random.nextInt(script[1] - script[0] + 1));
        }
        return text.toString();
    }
}
