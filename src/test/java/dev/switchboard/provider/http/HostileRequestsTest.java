package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.config.Timeouts;
import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.anthropic.AnthropicConnector;
import dev.switchboard.provider.gemini.GeminiConnector;
import dev.switchboard.provider.http.HttpConnector;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a client sends, a request mapper answers with a body or a {@link GatewayException}
 * (a 400), never another exception or an {@link Error}: those would reach the client as a 500. Valid
 * requests covering every mapped field are mutated at random (values swapped for other types,
 * members dropped), validated by the real parser as the web layer does, and mapped.
 */
class HostileRequestsTest {
    /** Fixed so that a failure replays. */
    static final long SEED = 20260812L;
    static final int MUTANTS_PER_SEED = 3000;
    static final int MAX_MUTATIONS = 4;

    static final ModelConfig CLAUDE = new ModelConfig("m", "p", "claude-sonnet-4-5", null);
    static final ModelConfig GEMINI = new ModelConfig("m", "p", "gemini-2.5-flash", null);
    static final ProviderConfig ANTHROPIC = new ProviderConfig("p", ProviderType.ANTHROPIC, URI.create("https://a"),
            "k", Map.of(), Timeouts.DEFAULTS);
    static final ProviderConfig GOOGLE = new ProviderConfig("p", ProviderType.GEMINI, URI.create("https://g"),
            "k", Map.of(), Timeouts.DEFAULTS);

    /** Requests that use every field the mappers read, to be mutated. */
    static final List<String> SEEDS = List.of("""
            {"model":"m","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"developer","content":[{"type":"text","text":"No emoji."}]},
              {"role":"user","content":[{"type":"text","text":"Look","cache_control":{"type":"ephemeral"}},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}},
                {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}},
                {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}},
                {"type":"file","file":{"filename":"a.txt","file_data":"aGVsbG8="}},
                {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]},
              {"role":"assistant","content":"Calling.","tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                {"id":"fn.x:2","type":"function","function":{"name":"get_time","arguments":""}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18C"},
              {"role":"tool","tool_call_id":"fn.x:2","content":[{"type":"text","text":"{\\"t\\":1}"}]},
              {"role":"assistant","content":null,"function_call":{"name":"legacy","arguments":"{}"}},
              {"role":"function","name":"legacy","content":"ok"},
              {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"d","strict":true,
                "parameters":{"type":"object","properties":{"city":{"type":"string","format":"email"},
                  "unit":{"type":["string","null"],"enum":["C","F"]},"where":{"$ref":"#/$defs/Place"},
                  "list":{"type":"array","items":{"anyOf":[{"type":"integer"},{"type":"null"}]}},
                  "both":{"allOf":[{"properties":{"a":{"const":"x"}}},{"required":["a"]}]}},
                  "required":["city"],"$defs":{"Place":{"type":"object","properties":{"zip":{"type":"string"}}}}}}},
               {"type":"function","function":{"name":"get_time"}},
               {"type":"function","function":{"name":"legacy","parameters":{"type":"object","properties":{}}}}],
             "tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required",
                "tools":[{"type":"function","function":{"name":"get_weather"}}]}},
             "parallel_tool_calls":false,"max_completion_tokens":300,"max_tokens":200,"temperature":1.5,"top_p":0.5,
             "top_k":5,"stop":["END"," "],"n":1,"seed":7,"presence_penalty":0.5,"frequency_penalty":0,
             "reasoning_effort":"high","user":"u-1","safety_identifier":"+1 555 123 4567",
             "stream":true,"stream_options":{"include_usage":true}}""", """
            {"model":"m","messages":[{"role":"assistant","content":[{"type":"refusal","refusal":"No."}]},
              {"role":"user","content":"Again"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"a","description":"x",
                "schema":{"type":"object","properties":{"v":{"oneOf":[{"type":"integer"},{"$ref":"#/definitions/V"}]}},
                  "definitions":{"V":{"type":"string","minLength":1}}}}},
             "tool_choice":{"type":"function","function":{"name":"f"}},
             "tools":[{"type":"function","function":{"name":"f","parameters":{"properties":{"q":{"type":"string"}}}}}],
             "functions":[{"name":"g"}],"function_call":{"name":"g"},"reasoning_effort":"none"}""", """
            {"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"},
             "tool_choice":"required","tools":[{"type":"function","function":{"name":"f"}}],"stop":"STOP",
             "reasoning_effort":"minimal","n":2,"max_tokens":1}""");

    /** What a mutation may put in place of a value. */
    static final List<JsonValue> PALETTE;

    static {
        List<JsonValue> values = new ArrayList<>();
        for (String json : List.of("null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "12345678901234567890123",
                "\"\"", "\" \"", "\"x\"", "\"none\"", "\"text\"", "\"function\"", "\"object\"", "\"#\"", "\"#/$defs\"",
                "\"data:\"", "\"data:,x\"", "\"data:;base64,\"", "\"DATA:IMAGE/PNG;BASE64,AA==\"", "\"https://\"",
                "\"http://x/y.pdf\"", "\"{\\\"a\\\":1}\"", "\"[1]\"", "\"{\"", "{}", "[]", "[{}]", "[null]", "[\"x\"]",
                "{\"type\":\"text\"}", "{\"type\":\"image_url\"}", "{\"type\":\"function\"}", "{\"$ref\":\"#\"}",
                "{\"$ref\":\"#/properties\"}", "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#\"}}}",
                "{\"name\":\"f\"}", "{\"function\":{}}", "{\"url\":5}", "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]")) {
            values.add(Json.parseObject("{\"v\":" + json + "}").get("v"));
        }
        PALETTE = List.copyOf(values);
    }

    static Stream<Arguments> connectors() {
        return Stream.of(
                Arguments.of("anthropic", new AnthropicConnector(null, null), CLAUDE, ANTHROPIC),
                Arguments.of("gemini", new GeminiConnector(null, null), GEMINI, GOOGLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectors")
    void everyOutcomeIsABodyOrA400(String name, HttpConnector connector, ModelConfig model, ProviderConfig provider) {
        Random random = new Random(SEED);
        int mapped = 0;
        int refused = 0;
        for (String seed : SEEDS) {
            JsonObject original = Json.parseObject(seed);
            for (int i = 0; i < MUTANTS_PER_SEED; i++) {
                JsonValue mutant = original;
                int mutations = 1 + random.nextInt(MAX_MUTATIONS);
                for (int m = 0; m < mutations; m++) {
                    // Position 0 is the root object, which stays.
                    mutant = mutate(mutant, random, 1 + random.nextInt(count(mutant) - 1));
                }
                byte[] body = Json.write(mutant);
                ChatRequest request;
                try {
                    request = ChatRequestParser.parse(body, body.length);
                } catch (GatewayException e) {
                    continue;
                }
                try {
                    connector.upstreamRequest(new ProviderCall(request, model, provider, "req_test"));
                    mapped++;
                } catch (GatewayException e) {
                    assertThat(e.error().status()).as("%s", new String(body, java.nio.charset.StandardCharsets.UTF_8))
                            .isEqualTo(400);
                    refused++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(name + " threw " + e + " for " + new String(body,
                            java.nio.charset.StandardCharsets.UTF_8), e);
                }
            }
        }
        // Guards against a mutator so wild that nothing gets past the parser, or so tame that nothing fails.
        assertThat(mapped).isGreaterThan(MUTANTS_PER_SEED / 10);
        assertThat(refused).isGreaterThan(MUTANTS_PER_SEED / 10);
    }

    /** Number of values in the tree, the root included: the positions a mutation can pick. */
    static int count(JsonValue value) {
        int n = 1;
        if (value instanceof JsonObject object) {
            for (JsonValue member : object.values()) {
                n += count(member);
            }
        } else if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                n += count(item);
            }
        }
        return n;
    }

    /**
     * The tree with the value at pre-order position {@code target} replaced by a palette value, or
     * (for an object member or array item) removed, or wrapped in an array.
     */
    static JsonValue mutate(JsonValue value, Random random, int target) {
        return mutate(value, random, new int[] {target});
    }

    private static JsonValue mutate(JsonValue value, Random random, int[] remaining) {
        if (remaining[0] == 0) {
            remaining[0] = -1;
            return switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> Json.PROVIDER.createArrayBuilder().add(value).build();
                default -> PALETTE.get(random.nextInt(PALETTE.size()));
            };
        }
        remaining[0]--;
        if (value instanceof JsonObject object) {
            JsonObjectBuilder out = Json.PROVIDER.createObjectBuilder();
            for (Map.Entry<String, JsonValue> member : object.entrySet()) {
                JsonValue mutated = remaining[0] >= 0 ? mutate(member.getValue(), random, remaining) : member.getValue();
                if (mutated != null) {
                    out.add(member.getKey(), mutated);
                }
            }
            return out.build();
        }
        if (value instanceof JsonArray array) {
            JsonArrayBuilder out = Json.PROVIDER.createArrayBuilder();
            for (JsonValue item : array) {
                JsonValue mutated = remaining[0] >= 0 ? mutate(item, random, remaining) : item;
                if (mutated != null) {
                    out.add(mutated);
                }
            }
            return out.build();
        }
        return value;
    }
}
