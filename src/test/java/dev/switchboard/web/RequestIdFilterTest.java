package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdFilterTest {
    /** As {@code "req_" + Long.toHexString(a) + Long.toHexString(b)} with both top bits set: 32 digits, each half from 8. */
    @Test
    void aNewIdIsReqAnd128RandomBitsAs32LowerCaseHexDigits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIdFilter.newId();
            assertThat(id).matches("req_[89a-f][0-9a-f]{15}[89a-f][0-9a-f]{15}");
            assertThat(Long.toHexString(Long.parseUnsignedLong(id.substring(4, 20), 16))).isEqualTo(id.substring(4, 20));
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void everyHexDigitAppears() {
        Set<Character> digits = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            for (char c : RequestIdFilter.newId().substring(4).toCharArray()) {
                digits.add(c);
            }
        }
        assertThat(digits).hasSize(16);
    }
}
