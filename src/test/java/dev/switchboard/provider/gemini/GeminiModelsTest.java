package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiModelsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // id,                                    thinks, can turn off, requires call signatures
            "gemini-1.5-pro-002,                       false, false, false",
            "gemini-2.0-flash,                         false, false, false",
            "gemini-2.0-flash-lite-001,                false, false, false",
            "gemini-2.5-flash,                         true,  true,  false",
            "gemini-2.5-flash-lite,                    true,  true,  false",
            "gemini-2.5-flash-preview-04-17,           true,  true,  false",
            "models/gemini-2.5-flash,                  true,  true,  false",
            "gemini-2.5-pro,                           true,  false, false",
            "gemini-2.5-pro-preview-06-05,             true,  false, false",
            "gemini-3-pro-preview,                     true,  false, true",
            "gemini-3-flash-preview,                   true,  false, true",
            "gemini-flash-latest,                      true,  false, true",
            "gemini-exp-1206,                          true,  false, true",
            "gemini-2.5-flashy-experiment,             true,  false, false",
            "gemini-3.1-pro-preview,                   true,  false, true",
    })
    void readsThinkingFromTheId(String id, boolean thinks, boolean canTurnOff, boolean requiresCallSignatures) {
        assertThat(GeminiModels.traits(id)).isEqualTo(new GeminiModels.Traits(thinks, canTurnOff, requiresCallSignatures));
    }
}
