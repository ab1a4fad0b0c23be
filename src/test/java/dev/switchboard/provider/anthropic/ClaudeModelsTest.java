package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.provider.anthropic.ClaudeModels.Thinking;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaudeModelsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // id,                                 version, thinking, sampling, xhigh
            "claude-3-5-haiku-20241022,            305, NONE,     true,  false",
            "claude-3-5-sonnet-latest,             305, NONE,     true,  false",
            "claude-3-7-sonnet-20250219,           307, BUDGET,   true,  false",
            "claude-sonnet-4-20250514,             400, BUDGET,   true,  false",
            "claude-opus-4-1-20250805,             401, BUDGET,   true,  false",
            "claude-sonnet-4-5-20250929,           405, BUDGET,   true,  false",
            "claude-haiku-4-5,                     405, BUDGET,   true,  false",
            "claude-opus-4-6,                      406, ADAPTIVE, true,  false",
            "claude-sonnet-4-6,                    406, ADAPTIVE, true,  false",
            "claude-opus-4-7,                      407, ADAPTIVE, false, true",
            "claude-opus-4-8-20260301,             408, ADAPTIVE, false, true",
            "claude-fable-5,                       500, ADAPTIVE, false, true",
            "us.anthropic.claude-opus-4-8-v1:0,    408, ADAPTIVE, false, true",
            "claude-mythos-preview,                -1,  ADAPTIVE, false, true",
    })
    void readsTheGenerationFromTheId(String id, int version, Thinking thinking, boolean sampling, boolean xhigh) {
        assertThat(dev.switchboard.provider.mapping.ModelVersions.parse(id)).isEqualTo(version);
        assertThat(ClaudeModels.traits(id)).isEqualTo(new ClaudeModels.Traits(thinking, sampling, xhigh));
    }
}
