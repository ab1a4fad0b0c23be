package dev.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSkimmerTest {
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] name(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The top-level member names, every value skipped; "!" appended when the walk failed. */
    private static List<String> skimmedKeys(String json) {
        byte[] bytes = utf8(json);
        JsonSkimmer object = JsonSkimmer.object(bytes, bytes.length);
        List<String> keys = new ArrayList<>();
        while (object.next()) {
            keys.add(object.keyIs(name("usage")) ? "usage" : new String(bytes, object.valueStart(), 1, StandardCharsets.UTF_8));
            object.skip();
        }
        if (object.failed()) {
            keys.add("!");
        }
        return keys;
    }

    /** Whether the text is one object whose every value passes {@link JsonSkimmer#validate()}. */
    private static boolean validates(String json) {
        byte[] bytes = utf8(json);
        JsonSkimmer object = JsonSkimmer.object(bytes, bytes.length);
        while (object.next()) {
            if (!object.validate()) {
                return false;
            }
        }
        return !object.failed();
    }

    @Test
    void findsTheTopLevelMembersPassingOverNestedOnes() {
        assertThat(skimmedKeys("{\"a\":{\"usage\":{\"x\":[1,{\"usage\":2}]}},\"b\":[[],[{}]],\"usage\":{}}"))
                .containsExactly("{", "[", "usage");
    }

    @Test
    void aKeyNameInsideAStringIsText() {
        assertThat(skimmedKeys("{\"text\":\"\\\"usage\\\":{\\\"a\\\":1}\",\"t2\":\"\\\\\",\"t3\":\"\\\\\\\"usage\\\\\\\"\"}"))
                .containsExactly("\"", "\"", "\"");
    }

    @Test
    void escapedQuotesAndBackslashesDoNotEndAStringEarly() {
        // "a\\" ends at its second quote; "b\"" does not end at its first.
        assertThat(skimmedKeys("{\"a\":\"x\\\\\",\"b\":\"\\\"}\",\"usage\":1}")).containsExactly("\"", "\"", "usage");
    }

    @Test
    void anEscapedKeyIsComparedDecoded() {
        assertThat(skimmedKeys("{\"us\\u0061ge\":1,\"usag\\u0065\\u0020\":2}")).containsExactly("usage", "2");
    }

    @Test
    void bracketsInsideStringsAreNotCounted() {
        assertThat(skimmedKeys("{\"a\":[\"]]]\",{\"}\":\"{{\"}],\"usage\":0}")).containsExactly("[", "usage");
    }

    @Test
    void multiByteAndInvalidUtf8InsideStringsArePassedOver() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, '"', ',', '"', 'b', '"', ':', '1', '}'};
        JsonSkimmer object = JsonSkimmer.object(bytes, bytes.length);
        int members = 0;
        while (object.next()) {
            members++;
        }
        assertThat(members).isEqualTo(2);
        assertThat(object.failed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "  ", "[]", "nope", "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,}", "{,\"a\":1}", "{\"a\" 1}", "{\"a\":1 \"b\":2}",
        "{a:1}", "{\"a\":tru}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12g4\"}", "{\"a\":\"\u0001\"}", "{\"a\":\"cut", "{\"a\":1\f}", "{\"a\":[1,2}"
    })
    void malformedTextFailsTheWalk(String json) {
        assertThat(skimmedKeys(json)).endsWith("!");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":[1,],\"z\":0}", "{\"a\":{1:2},\"z\":0}", "{\"a\":[truefalse],\"z\":0}", "{\"a\":{]},\"z\":0}"})
    void skippingChecksTokensAndItsOwnBracketsOnlyAsTheParsersSkipDoes(String json) {
        assertThat(skimmedKeys(json)).containsExactly(json.substring(5, 6), "0");
        assertThat(validates(json)).isFalse();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSkippedValueCutOffByTheEndFailsInsteadOfSpinning() {
        assertThat(skimmedKeys("{\"a\":[{\"b\":1}")).containsExactly("[", "!");
        assertThat(skimmedKeys("{\"a\":{\"b\":[1]")).containsExactly("{", "!");
    }

    @Test
    void skippingHasNoDepthLimitButValidatingHasTheParsers() {
        int tooDeep = Json.MAX_DEPTH;  // one more than the object's own level allows
        String deep = "{\"a\":" + "[".repeat(tooDeep) + "]".repeat(tooDeep) + "}";
        String deepest = "{\"a\":" + "[".repeat(tooDeep - 1) + "]".repeat(tooDeep - 1) + "}";

        assertThat(skimmedKeys(deep)).containsExactly("[");
        assertThat(validates(deep)).isFalse();
        assertThat(validates(deepest)).isTrue();
    }

    @Test
    void enteringBeyondTheDepthLimitFails() {
        String json = "{\"a\":" + "{\"b\":".repeat(Json.MAX_DEPTH) + "1" + "}".repeat(Json.MAX_DEPTH) + "}";
        byte[] bytes = utf8(json);
        JsonSkimmer skimmer = JsonSkimmer.object(bytes, bytes.length);
        int levels = 1;
        while (skimmer.next() && skimmer.kind() == '{') {
            skimmer = skimmer.enter();
            levels++;
        }
        assertThat(skimmer.failed()).isTrue();
        assertThat(levels).isEqualTo(Json.MAX_DEPTH + 1);
    }

    @Test
    void validatingRefusesNumbersTheParserCannotBuildButSkippingPassesThem() {
        String tooLong = "{\"a\":" + "1".repeat(JsonLexer.MAX_NUMBER_LENGTH + 1) + "}";
        String longest = "{\"a\":" + "1".repeat(JsonLexer.MAX_NUMBER_LENGTH) + "}";

        assertThat(validates(tooLong)).isFalse();
        assertThat(validates(longest)).isTrue();
        assertThat(skimmedKeys(tooLong)).containsExactly("1");
        assertThat(validates("{\"a\":1e99999999999}")).isFalse();
        assertThat(validates("{\"a\":1e999999999}")).isTrue();
        assertThat(validates("{\"a\":[-0.5E+3,0,-0,1e-5,{\"b\":[null,true,false,\"\\u00e9\\n\"]}]}")).isTrue();
    }

    @Test
    void readsPlainIntegersAndStringsFromTheBytes() {
        byte[] bytes = utf8("{\"a\":-123456789012345678,\"b\":1234567890123456789,\"c\":1.0,\"d\":\"x\\\"y\\u00e9\\ud83d\\ude00\\n\"}");
        JsonSkimmer object = JsonSkimmer.object(bytes, bytes.length);

        assertThat(object.next() && object.isPlainInteger()).isTrue();
        assertThat(object.plainInteger()).isEqualTo(-123456789012345678L);
        assertThat(object.next() && object.isNumber() && !object.isPlainInteger()).isTrue();
        assertThat(object.next() && object.isNumber() && !object.isPlainInteger()).isTrue();
        assertThat(object.next()).isTrue();
        assertThat(object.string()).isEqualTo("x\"y\u00e9\ud83d\ude00\n");
        assertThat(object.next()).isFalse();
        assertThat(object.failed()).isFalse();
    }

    @Test
    void aChildWalkResumesItsParentPastTheValue() {
        byte[] bytes = utf8("{\"a\":{\"b\":[1,2],\"c\":3},\"d\":4}");
        JsonSkimmer object = JsonSkimmer.object(bytes, bytes.length);
        object.next();
        JsonSkimmer child = object.enter();
        int members = 0;
        while (child.next()) {
            members++;
            child.validate();
        }

        assertThat(members).isEqualTo(2);
        assertThat(object.next() && object.keyIs(name("d"))).isTrue();
        assertThat(object.plainInteger()).isEqualTo(4);
        assertThat(object.next()).isFalse();
        assertThat(object.failed()).isFalse();
    }

    @Test
    void movingOnBeforeAChildEndsFails() {
        byte[] bytes = utf8("{\"a\":{\"b\":1},\"d\":4}");
        JsonSkimmer object = JsonSkimmer.object(bytes, bytes.length);
        object.next();
        object.enter();

        assertThat(object.next()).isFalse();
        assertThat(object.failed()).isTrue();
    }

    @Test
    void whatFollowsTheObjectIsNotLookedAt() {
        assertThat(skimmedKeys(" {\"usage\":1} trailing {")).containsExactly("usage");
    }

    @Test
    void theLengthBoundsTheWalk() {
        byte[] bytes = utf8("{\"a\":1}{\"b\"");
        JsonSkimmer object = JsonSkimmer.object(bytes, 7);
        assertThat(object.next()).isTrue();
        object.skip();
        assertThat(object.next()).isFalse();
        assertThat(object.failed()).isFalse();
        assertThat(JsonSkimmer.object(bytes, 6).next()).isTrue();
    }
}
