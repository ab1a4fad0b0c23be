package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BareJsonTest {
    static List<String> feed(BareJson bare, String... lines) {
        List<String> complete = new ArrayList<>();
        for (String line : lines) {
            byte[] bytes = ("xx" + line).getBytes(StandardCharsets.UTF_8);
            String json = bare.add(bytes, 2, bytes.length - 2);
            if (json != null) {
                complete.add(json);
            }
        }
        return complete;
    }

    @Test
    void linesAreJoinedUntilTheBracesBalance() {
        assertThat(feed(new BareJson(), "{", "  \"error\": {", "    \"code\": 500", "  }", "}"))
                .containsExactly("{\n  \"error\": {\n    \"code\": 500\n  }\n}\n");
    }

    @Test
    void bracesInsideStringsDoNotCount() {
        assertThat(feed(new BareJson(), "{\"error\": {\"message\": \"bad value {\\\"x\\\": [1}\"", "}}"))
                .containsExactly("{\"error\": {\"message\": \"bad value {\\\"x\\\": [1}\"\n}}\n");
    }

    @Test
    void textOutsideAValueIsDroppedAndTwoValuesComeOneByOne() {
        assertThat(feed(new BareJson(), "stray text", "{\"a\": 1}", "", "[{\"b\":", "2}]"))
                .containsExactly("{\"a\": 1}\n", "[{\"b\":\n2}]\n");
    }

    @Test
    void aValueLongerThanTheCapIsDropped() {
        BareJson bare = new BareJson();
        String filler = "\"" + "x".repeat(BareJson.MAX_CHARS) + "\",";

        assertThat(feed(bare, "{", filler, "\"a\": 1}")).isEmpty();
        assertThat(feed(bare, "{\"b\": 2}")).containsExactly("{\"b\": 2}\n");
    }
}
