package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * readUsage and readChunk read with the byte skimmer what they read with the JSON-P parser
 * ({@link ParserReadings}), for real shapes, for hand-made edge cases and for thousands of
 * random corruptions of both: same usage, same facts, same refusals.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenAiResponsesParityTest {
    private static final String USAGE = "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":3,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":2,\"accepted_prediction_tokens\":0}}";

    /** Shapes the readers meet: a reply, its chunks, errors, and text that looks like JSON. */
    static final List<String> SEEDS = List.of(
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"say \\\"usage\\\":{\\\"prompt_tokens\\\":9} \\\\\\\" done\","
                    + "\"refusal\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                    + "\"arguments\":\"{\\\"a\\\":[1,{\\\"usage\\\":2}]}\"}}]},\"logprobs\":{\"content\":[{\"token\":\"a\",\"logprob\":-1.2e-05,"
                    + "\"bytes\":[97],\"top_logprobs\":[]}]},\"finish_reason\":\"stop\"}]," + USAGE + ",\"system_fingerprint\":null}",
            "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
                    + "\"finish_reason\":\"stop\"}],\"usage\":null}",
            "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[]," + USAGE + "}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\"usage\\\":{} \\u00e9 \\ud83d\\ude00 \u00e9\"},\"finish_reason\":null},"
                    + "{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":1.5e1,\"completion_tokens\":-0}}",
            "{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":429}}",
            "{\"error\":\"overloaded \\\"now\\\"\",\"choices\":[{\"finish_reason\":\"stop\",\"finish_reason\":null}]}",
            " {\"us\\u0061ge\":{\"prompt_tokens\":2,\"prompt_tokens\":\"x\",\"completion_tokens\":99999999999999999999}} ");

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static Stream<String> edgeCases() {
        String u = "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}";
        List<String> cases = new ArrayList<>(List.of(
                "{\"a\":" + nested(300) + "," + u + "}",
                "{\"usage\":{\"x\":" + nested(126) + "}}", "{\"usage\":{\"x\":" + nested(127) + "}}",
                "{\"choices\":[{\"x\":" + nested(125) + "}],\"usage\":{}}", "{\"choices\":[{\"x\":" + nested(126) + "}],\"usage\":{}}",
                "{\"error\":{\"x\":" + nested(126) + "}}", "{\"error\":{\"x\":" + nested(127) + "}}",
                "{\"usage\":{\"x\":" + "1".repeat(1100) + "}}", "{\"usage\":{\"x\":-" + "1".repeat(1100) + "}}",
                "{\"choices\":[" + "1".repeat(1100) + "],\"usage\":{}}", "{\"choices\":[0." + "1".repeat(1099) + "],\"usage\":{}}",
                "{\"other\":[" + "1".repeat(1200) + "]," + u + "}",
                "{\"usage\":{\"x\":1e999999999,\"prompt_tokens\":3}}", "{\"usage\":{\"x\":1e99999999999}}",
                "{\"choices\":[1e99999999999],\"usage\":{}}", "{\"other\":[1e99999999999]," + u + "}",
                "{\"usage\":{\"prompt_tokens\":123456789012345678,\"completion_tokens\":-123456789012345678}}",
                "{\"usage\":{\"prompt_tokens\":1234567890123456789,\"completion_tokens\":1.9}}",
                "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":2e0},\"completion_tokens_details\":5}}",
                "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":2},\"prompt_tokens_details\":null}}",
                "{\"a\":[1,],\"b\":{1:2},\"c\":[1 2],\"d\":{\"e\",1},\"f\":[}]," + u + "}",
                "{\"a\":{\"b\":1]," + u + "}", "{\"a\":01," + u + "}", "{\"a\":[01,-01,0e5,-0.5E+3]," + u + "}",
                "{\"a\":\"\u0001\"," + u + "}", "{\"a\":\"\u007f\"," + u + "}", "{\"a\":\"\\x\"," + u + "}", "{\"a\":\"\\u12g4\"," + u + "}",
                "{\"a\":[truefalse,nullnull]," + u + "}", "{\"a\":tru," + u + "}", "{\"a\":1\f," + u + "}",
                "{" + u + "} garbage", "{" + u + ",}", "{,\"a\":1}", "{\"a\" 1}", "\ufeff{" + u + "}",
                "{\"choices\":[{\"finish_reason\":\"stop\"},],\"usage\":{}}", "{\"choices\":[,],\"usage\":{}}",
                "{\"choices\":[{\"finish_reason\":\"stop\"}],\"choices\":[],\"usage\":{}}",
                "{\"choices\":[\"finish_reason\",{\"finish_reason\":1}],\"error\":null}",
                "{\"error\":{\"message\":\"m\",\"code\":{\"a\":[1,2.50]}}}", "{\"error\":[\"x\"],\"choices\":[],\"usage\":{}}",
                "{\"usage\":[1]," + u + "}", "{\"usage\":null," + u + "}", "{\"usage\":5," + u + "}",
                "{\"choices\":{\"finish_reason\":\"stop\"},\"usage\":{}}", "", " ", "[]", "{}", "{\"usage\":{}}"));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("edgeCases")
    void edgeCasesReadAsTheParserReadsThem(String text) {
        assertSameReadings(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void seedsReadAsTheParserReadsThemAndFindTheirUsage() {
        for (String seed : SEEDS) {
            assertSameReadings(seed.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(OpenAiResponses.readUsage(SEEDS.get(0).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new dev.switchboard.llm.Usage(12, 7, 3, 2));
    }

    /** The bytes a random corruption puts in: JSON's own, escapes, a control character, UTF-8 and not. */
    private static final byte[] ALPHABET = "{}[],:\"\\u019-.eE+tfnlasrx \n\t\u0001\fé".getBytes(StandardCharsets.UTF_8);

    @Test
    void randomCorruptionsReadAsTheParserReadsThem() {
        Random random = new Random(18);
        int compared = 0;
        for (String seed : SEEDS) {
            byte[] original = seed.getBytes(StandardCharsets.UTF_8);
            for (int n = 0; n < 4000; n++) {
                byte[] text = corrupt(original, random);
                if (parserTerminates(text)) {
                    assertSameReadings(text);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
    }

    private static byte[] corrupt(byte[] original, Random random) {
        byte[] text = original;
        for (int edits = 1 + random.nextInt(3); edits > 0 && text.length > 0; edits--) {
            int at = random.nextInt(text.length);
            byte[] next;
            switch (random.nextInt(4)) {
                case 0 -> { // delete a byte
                    next = new byte[text.length - 1];
                    System.arraycopy(text, 0, next, 0, at);
                    System.arraycopy(text, at + 1, next, at, text.length - at - 1);
                }
                case 1 -> { // insert a byte
                    next = new byte[text.length + 1];
                    System.arraycopy(text, 0, next, 0, at);
                    next[at] = ALPHABET[random.nextInt(ALPHABET.length)];
                    System.arraycopy(text, at, next, at + 1, text.length - at);
                }
                case 2 -> { // replace a byte
                    next = text.clone();
                    next[at] = ALPHABET[random.nextInt(ALPHABET.length)];
                }
                default -> next = java.util.Arrays.copyOf(text, at); // cut it off
            }
            text = next;
        }
        return text;
    }

    /**
     * Whether Parsson's skipObject/skipArray cannot spin on the text: every bracket outside strings
     * has its closing bracket of the same kind somewhere after it.
     */
    static boolean parserTerminates(byte[] text) {
        StringBuilder brackets = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < text.length; i++) {
            byte b = text[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '}' || b == '[' || b == ']') {
                brackets.append((char) b);
            }
        }
        int curly = 0;
        int square = 0;
        for (int i = brackets.length() - 1; i >= 0; i--) {
            switch (brackets.charAt(i)) {
                case '}' -> curly++;
                case ']' -> square++;
                case '{' -> curly--;
                default -> square--;
            }
            if (curly < 0 || square < 0) {
                return false;
            }
        }
        return true;
    }

    private static void assertSameReadings(byte[] text) {
        String shown = new String(text, StandardCharsets.UTF_8);
        assertThat(OpenAiResponses.readUsage(text)).as("usage of %s", shown).isEqualTo(ParserReadings.readUsage(text));
        assertThat(OpenAiResponses.readChunk(text)).as("chunk facts of %s", shown).isEqualTo(ParserReadings.readChunk(text));
    }
}
