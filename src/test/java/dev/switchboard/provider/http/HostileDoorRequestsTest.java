package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.GatewayException;
import dev.switchboard.ingress.messages.MessagesRequest;
import dev.switchboard.ingress.responses.ResponsesRequest;
import dev.switchboard.json.Json;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.anthropic.AnthropicConnector;
import dev.switchboard.provider.gemini.GeminiConnector;
import dev.switchboard.provider.mapping.LlmToChat;
import dev.switchboard.provider.mapping.TranslationBudget;
import dev.switchboard.provider.openai.OpenAiConnector;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HostileRequestsTest} for the Messages and Responses doors: whatever a client sends, the
 * door's parser, its internal model and every connector's translation of it answer with a body or
 * a {@link GatewayException} (a 400), never another exception, which would reach the client as a
 * 500. Requests using every field the doors read are mutated at random, parsed as the web layer
 * does, and translated as the connector does it: straight from the internal model for Gemini,
 * through the Chat request {@code ChatBridge} makes for the others (the Anthropic rows exercise
 * its Chat mapper so).
 */
class HostileDoorRequestsTest {
    static final long SEED = 20261206L;
    static final int MUTANTS_PER_SEED = 1500;

    static final List<String> MESSAGES = List.of("""
            {"model":"m","max_tokens":300,"stream":true,
             "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
             "messages":[
              {"role":"user","content":[{"type":"text","text":"Look","cache_control":{"type":"ephemeral"}},
                {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}},
                {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"a"},
                {"type":"document","source":{"type":"text","media_type":"text/plain","data":"hello"}}]},
              {"role":"assistant","content":[{"type":"thinking","thinking":"Hm.","signature":"sig"},
                {"type":"redacted_thinking","data":"xyz"},{"type":"text","text":"Calling."},
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C","is_error":false},
                {"type":"text","text":"Thanks"}]}],
             "tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object",
                "properties":{"city":{"type":"string"}}},"cache_control":{"type":"ephemeral"}}],
             "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
             "thinking":{"type":"enabled","budget_tokens":2048},"output_config":{"effort":"high",
                "format":{"type":"json_schema","schema":{"type":"object"}}},
             "temperature":0.5,"top_p":0.9,"top_k":5,"stop_sequences":["END"],"metadata":{"user_id":"u-1"}}""");

    static final List<String> RESPONSES = List.of("""
            {"model":"m","instructions":"Be brief.","stream":true,"store":false,
             "input":[{"role":"developer","content":"No emoji."},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Look"},
                {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"},
                {"type":"input_image","image_url":"https://example.com/cat.png"},
                {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}]},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Hm."}],
                "encrypted_content":"sb1:anthropic:sig"},
              {"role":"assistant","content":[{"type":"output_text","text":"Calling."}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"18C"},
              {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","name":"get_weather","description":"d","strict":true,
                "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false,
             "text":{"format":{"type":"json_schema","name":"a","schema":{"type":"object"},"strict":true}},
             "reasoning":{"effort":"high","summary":"auto"},"max_output_tokens":300,"temperature":0.5,"top_p":0.9,
             "include":["reasoning.encrypted_content"],"user":"u-1"}""");

    static final ProviderConfig PROVIDER = new ProviderConfig("p", ProviderType.OPENAI, URI.create("https://o"), "k",
            Map.of(), Timeouts.DEFAULTS);

    static Stream<Arguments> cases() {
        Function<byte[], ClientRequest> messages = body -> MessagesRequest.parse(body, body.length, false, null);
        Function<byte[], ClientRequest> responses = body -> ResponsesRequest.parse(body, body.length);
        return Stream.of(
                Arguments.of("messages to anthropic", MESSAGES, messages, new AnthropicConnector(null, null), false,
                        "claude-sonnet-4-5"),
                Arguments.of("messages to gemini", MESSAGES, messages, new GeminiConnector(null, null), true,
                        "gemini-2.5-flash"),
                Arguments.of("messages to openai", MESSAGES, messages, new OpenAiConnector(null, null), false, "gpt-4o"),
                Arguments.of("responses to anthropic", RESPONSES, responses, new AnthropicConnector(null, null), false,
                        "claude-sonnet-4-5"),
                Arguments.of("responses to gemini", RESPONSES, responses, new GeminiConnector(null, null), true,
                        "gemini-2.5-flash"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyOutcomeIsABodyOrA400(String name, List<String> seeds, Function<byte[], ClientRequest> door,
                                   HttpConnector connector, boolean direct, String upstreamModel) {
        ModelConfig model = new ModelConfig("m", "p", upstreamModel, null);
        Random random = new Random(SEED);
        int mapped = 0;
        int refused = 0;
        for (String seed : seeds) {
            JsonObject original = Json.parseObject(seed);
            for (int i = 0; i < MUTANTS_PER_SEED; i++) {
                JsonValue mutant = original;
                int mutations = 1 + random.nextInt(HostileRequestsTest.MAX_MUTATIONS);
                for (int m = 0; m < mutations; m++) {
                    mutant = HostileRequestsTest.mutate(mutant, random,
                            1 + random.nextInt(HostileRequestsTest.count(mutant) - 1));
                }
                byte[] body = Json.write(mutant);
                ClientRequest request;
                try {
                    request = door.apply(body);
                } catch (GatewayException e) {
                    continue;
                }
                try {
                    ClientRequest served = request;
                    if (!direct) {
                        byte[] chatBody = TranslationBudget.of(request, PROVIDER).write(LlmToChat.map(request.llmRequest()));
                        served = ChatRequestParser.parse(chatBody, chatBody.length, body.length);
                    }
                    connector.upstreamRequest(new ProviderCall(served, model, PROVIDER, "req_test"));
                    mapped++;
                } catch (GatewayException e) {
                    assertThat(e.error().status()).as("%s", new String(body, StandardCharsets.UTF_8)).isEqualTo(400);
                    refused++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(name + " threw " + e + " for " + new String(body, StandardCharsets.UTF_8), e);
                }
            }
        }
        assertThat(mapped).isGreaterThan(MUTANTS_PER_SEED / 10);
        assertThat(refused).isGreaterThan(MUTANTS_PER_SEED / 20);
    }
}
