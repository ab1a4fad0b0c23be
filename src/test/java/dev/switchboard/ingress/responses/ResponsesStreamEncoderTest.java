package dev.switchboard.ingress.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.ingress.DecodedFixtures;
import dev.switchboard.json.Json;
import dev.switchboard.llm.Content;
import dev.switchboard.llm.FinishReason;
import dev.switchboard.llm.LlmEvent;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Responses door: its encoder's typed event sequence, read by OpenAI's own Java SDK types,
 * with dense {@code sequence_number}s and items added before their deltas
 * (docs/protocols/openai-responses.md §4.2, §4.3); its request validation and internal model.
 */
class ResponsesStreamEncoderTest {
    static List<SseEvent> encode(List<LlmEvent> events, Usage usage) {
        ResponsesStreamEncoder encoder = new ResponsesStreamEncoder("resp_1", 1L);
        List<SseEvent> out = new ArrayList<>();
        events.forEach(event -> encoder.onEvent(event, out::add));
        encoder.finish(usage, out::add);
        return out;
    }

    static ResponseStreamEvent read(SseEvent event) throws Exception {
        return ObjectMappers.jsonMapper().readValue(new String(event.data(), StandardCharsets.UTF_8),
                ResponseStreamEvent.class);
    }

    @Test
    void theTypedSequenceIsNumberedAndCompleteForTheSdk() throws Exception {
        DecodedFixtures.Reply reply = DecodedFixtures.of("anthropic/parallel-tools");

        List<SseEvent> events = encode(reply.events(), reply.usage());

        assertThat(events.get(0).type()).isEqualTo("response.created");
        assertThat(events.get(1).type()).isEqualTo("response.in_progress");
        assertThat(events.get(events.size() - 1).type()).isEqualTo("response.completed");
        List<String> added = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonObject data = Json.parseObject(events.get(i).data());
            assertThat(data.getString("type")).isEqualTo(events.get(i).type());
            assertThat(data.getInt("sequence_number")).isEqualTo(i);
            if (data.containsKey("item_id") && !data.getString("type").endsWith(".added")) {
                assertThat(added).as("item added before its events").contains(data.getString("item_id"));
            }
            if (events.get(i).type().equals("response.output_item.added")) {
                added.add(data.getJsonObject("item").getString("id"));
            }
            read(events.get(i)).validate();
        }
        Response completed = read(events.get(events.size() - 1)).completed().orElseThrow().response();
        assertThat(completed.output()).hasSize(4);
        assertThat(completed.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
                .isEqualTo("I'll check both.");
        assertThat(completed.output().get(1).functionCall().orElseThrow().callId()).isEqualTo("toolu_01Weather");
        assertThat(completed.output().get(1).functionCall().orElseThrow().arguments()).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(completed.usage().orElseThrow().inputTokens()).isEqualTo(472);
        assertThat(events.stream().filter(ResponsesFormat.INSTANCE::carriesToken).map(SseEvent::type).distinct())
                .containsExactlyInAnyOrder("response.output_text.delta", "response.function_call_arguments.delta");
    }

    @Test
    void aCutReplyIsIncompleteAndAnotherProvidersSignatureRidesInEncryptedContent() throws Exception {
        List<SseEvent> events = encode(List.of(new LlmEvent.Start("msg_1", "claude"),
                new LlmEvent.BlockStart(0, 0, LlmEvent.BlockType.REASONING, null, null, ""),
                new LlmEvent.ReasoningDelta(0, 0, "Hm."),
                new LlmEvent.SignatureDelta(0, 0, "EqQB", "anthropic"),
                new LlmEvent.BlockStop(0, 0),
                new LlmEvent.Finish(0, FinishReason.LENGTH)), new Usage(10, 16));

        Response incomplete = read(events.get(events.size() - 1)).incomplete().orElseThrow().response();
        assertThat(incomplete.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
                .isEqualTo("max_output_tokens");
        String encrypted = incomplete.output().get(0).reasoning().orElseThrow().encryptedContent().orElseThrow();
        assertThat(encrypted).isEqualTo("sb1:anthropic:EqQB");
        assertThat(ReasoningCodec.decode(encrypted)).isEqualTo(new ReasoningCodec.Signature("anthropic", "EqQB"));
        assertThat(ReasoningCodec.decode("gAAAAB-openai")).isEqualTo(new ReasoningCodec.Signature("openai", "gAAAAB-openai"));
    }

    /**
     * A signature that comes in several deltas is packed once, whole, and a Responses client that
     * sends the reasoning item back (Codex, {@code store: false}) gives Claude exactly the
     * signature it signed.
     */
    @Test
    void aSignatureInSeveralDeltasIsPackedOnceAndComesBackWhole() throws Exception {
        List<SseEvent> events = encode(List.of(new LlmEvent.Start("msg_1", "claude"),
                new LlmEvent.BlockStart(0, 0, LlmEvent.BlockType.REASONING, null, null, ""),
                new LlmEvent.ReasoningDelta(0, 0, "Need the tool."),
                new LlmEvent.SignatureDelta(0, 0, "EqQBCgIY", "anthropic"),
                new LlmEvent.SignatureDelta(0, 0, "AhIM1gbc", "anthropic"),
                new LlmEvent.BlockStop(0, 0),
                new LlmEvent.Finish(0, FinishReason.STOP)), new Usage(10, 16));

        Response completed = read(events.get(events.size() - 1)).completed().orElseThrow().response();
        String encrypted = completed.output().get(0).reasoning().orElseThrow().encryptedContent().orElseThrow();
        assertThat(encrypted).isEqualTo("sb1:anthropic:EqQBCgIYAhIM1gbc");
        String done = events.stream().filter(e -> e.type().equals("response.output_item.done"))
                .map(e -> new String(e.data(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
        assertThat(Json.parseObject(done).getJsonObject("item").getString("encrypted_content")).isEqualTo(encrypted);

        String next = """
                {"model":"claude","store":false,"include":["reasoning.encrypted_content"],"input":[
                 {"role":"user","content":"Weather?"},
                 {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Need the tool."}],
                  "encrypted_content":"%s"},
                 {"type":"function_call","call_id":"toolu_1","name":"weather","arguments":"{}"},
                 {"type":"function_call_output","call_id":"toolu_1","output":"18 C"}]}
                """.formatted(encrypted);
        byte[] body = next.getBytes(StandardCharsets.UTF_8);
        LlmRequest request = ResponsesRequest.parse(body, body.length).llmRequest();
        Content.Reasoning reasoning = (Content.Reasoning) request.messages().get(1).content().get(0);
        assertThat(reasoning.signature()).isEqualTo("EqQBCgIYAhIM1gbc");
        assertThat(reasoning.origin()).isEqualTo("anthropic");
        assertThat(reasoning.text()).isEqualTo("Need the tool.");
    }

    @Test
    void aFailureAfterTheStartIsResponseFailedNumberedAfterWhatWasSent() throws Exception {
        SseEvent failed = ResponsesFormat.INSTANCE.errorEvent(ErrorKind.UPSTREAM_TIMEOUT.error("Provider 'p' timed out."),
                "req-1", 9);
        JsonObject data = Json.parseObject(failed.data());
        assertThat(failed.type()).isEqualTo("response.failed");
        assertThat(data.getInt("sequence_number")).isEqualTo(9);
        Response response = read(failed).failed().orElseThrow().response();
        assertThat(response.error().orElseThrow().message()).isEqualTo("Provider 'p' timed out.");
    }

    static ResponsesRequest parse(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ResponsesRequest.parse(bytes, bytes.length);
    }

    @Test
    void storedStateIsAClearBadRequest() {
        GatewayException refused = catchThrowableOfType(GatewayException.class,
                () -> parse("{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_9\"}"));
        assertThat(refused.error().param()).isEqualTo("previous_response_id");
        assertThat(refused.error().message()).contains("send the whole conversation in 'input'");
        assertThat(parse("{\"model\":\"m\",\"input\":\"x\",\"store\":true,\"previous_response_id\":null}").model())
                .isEqualTo("m");
    }

    @Test
    void codexStyleInputBecomesAlternatingTurnsWithReasoningSignatures() {
        LlmRequest request = parse("""
                {"model":"m","instructions":"I","store":false,"input":[
                  {"role":"developer","content":"D"},
                  {"role":"user","content":[{"type":"input_text","text":"Q"}]},
                  {"type":"reasoning","summary":[{"type":"summary_text","text":"S"}],"encrypted_content":"sb1:anthropic:sig"},
                  {"type":"function_call","call_id":"c1","name":"shell","arguments":"{\\"cmd\\":\\"ls\\"}"},
                  {"type":"function_call","call_id":"c2","name":"shell","arguments":"{}"},
                  {"type":"function_call_output","call_id":"c1","output":"a"},
                  {"type":"function_call_output","call_id":"c2","output":"b"}],
                 "tools":[{"type":"function","name":"shell","parameters":{"type":"object"}}],
                 "reasoning":{"effort":"low"},"max_output_tokens":500}""").llmRequest();

        assertThat(request.system()).extracting(Content.Text::text).containsExactly("I", "D");
        assertThat(request.messages()).hasSize(3);
        assertThat(request.messages().get(1).content()).hasSize(3);
        assertThat(request.messages().get(1).content().get(0))
                .isEqualTo(new Content.Reasoning("S", "sig", "anthropic", "input[2]"));
        assertThat(request.messages().get(2).content()).hasSize(2);
        assertThat(request.effort()).isEqualTo("low");
        assertThat(request.maxOutputTokens()).isEqualTo(500);
    }
}
