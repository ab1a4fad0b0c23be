package dev.switchboard.provider.mapping;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Message;
import dev.switchboard.llm.Tool;
import java.nio.charset.StandardCharsets;

/**
 * An estimate of a request's input tokens with OpenAI's {@code o200k_base} tokenizer (jtokkit),
 * for {@code count_tokens} on a provider that cannot count them itself
 * (docs/protocols/anthropic-messages-ingress.md §4.2; docs/providers/README.md): the text of the
 * system prompt, of every text block, tool call and result, and the tools' definitions, plus
 * {@link #PER_MESSAGE} for each message's framing. Other tokenizers differ by some tenths; the
 * response header says it is an estimate. Shared and stateless.
 */
public final class TokenEstimate {
    /** Tokens each message's framing costs in OpenAI's chat format. */
    static final int PER_MESSAGE = 3;
    /** Tokens an image is counted at: OpenAI's cost of a low-detail image. */
    static final int PER_IMAGE = 85;

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private TokenEstimate() {
    }

    public static long count(LlmRequest request) {
        long tokens = 0;
        for (Content.Text text : request.system()) {
            tokens += ENCODING.countTokensOrdinary(text.text());
        }
        for (Message message : request.messages()) {
            tokens += PER_MESSAGE;
            for (Content block : message.content()) {
                tokens += count(block);
            }
        }
        for (Tool tool : request.tools()) {
            tokens += ENCODING.countTokensOrdinary(tool.name());
            if (tool.description() != null) {
                tokens += ENCODING.countTokensOrdinary(tool.description());
            }
            if (tool.schema() != null) {
                tokens += ENCODING.countTokensOrdinary(new String(Json.write(tool.schema()), StandardCharsets.UTF_8));
            }
        }
        return tokens;
    }

    private static long count(Content block) {
        if (block instanceof Content.Text text) {
            return ENCODING.countTokensOrdinary(text.text());
        }
        if (block instanceof Content.FunctionCall call) {
            return ENCODING.countTokensOrdinary(call.name()) + ENCODING.countTokensOrdinary(call.arguments());
        }
        if (block instanceof Content.ToolResult result) {
            long tokens = 0;
            for (Content part : result.content()) {
                tokens += count(part);
            }
            return tokens;
        }
        if (block instanceof Content.Reasoning reasoning && reasoning.text() != null) {
            return ENCODING.countTokensOrdinary(reasoning.text());
        }
        if (block instanceof Content.Document document && document.text() != null) {
            return ENCODING.countTokensOrdinary(document.text());
        }
        return block instanceof Content.Image ? PER_IMAGE : 0;
    }

    /** The tokens of one text. */
    public static long count(String text) {
        return ENCODING.countTokensOrdinary(text);
    }

    /** {@code count_tokens}' answer, {@code {"input_tokens":N}}, with the estimate. */
    public static byte[] countTokensBody(LlmRequest request) {
        return ChatBridge.countTokens(count(request));
    }
}
