package dev.switchboard.provider.anthropic;

import java.math.BigDecimal;

/**
 * {@code temperature}, {@code top_p} and the non-standard {@code top_k}, sent only in forms
 * Anthropic accepts (docs/protocols/openai-to-anthropic.md §1.2, docs/protocols/anthropic-messages.md §2 and §4.3). Shared and stateless.
 * <ul>
 * <li>OpenAI's temperature runs 0–2, Anthropic's 0–1: values are clamped (Portkey's rule), which
 *     keeps the common 0–1 range exact; scaling would change every value.
 * <li>Newer models reject temperature and top_p together, so temperature wins and top_p is sent
 *     only when temperature is absent: temperature is the knob most clients set deliberately.
 * <li>Extended thinking rejects modified sampling, and Claude 4.7 and later reject the
 *     parameters outright, so in those cases none is sent.
 * </ul>
 */
final class ClaudeSampling {
    static final BigDecimal MIN_TEMPERATURE = BigDecimal.ZERO;
    static final BigDecimal MAX_TEMPERATURE = BigDecimal.ONE;

    private ClaudeSampling() {
    }
}
