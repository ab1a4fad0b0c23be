package dev.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
    static final JsonObject OBJECT = Json.parseObject("""
            {"s":"text","o":{"a":1},"l":[1],"n":42,"big":12345678901,"t":true,"f":false,"nul":null,
             "responseId":"camel","usage_metadata":{"x":1},"finishReason":"STOP","finish_reason":"OTHER"}""");

    @Test
    void absentAndNullReadAsJavaNull() {
        assertThat(JsonFields.get(OBJECT, "missing")).isNull();
        assertThat(JsonFields.get(OBJECT, "nul")).isNull();
        assertThat(JsonFields.get(null, "s")).isNull();
        assertThat(JsonFields.string(null, "s")).isNull();
        assertThat(JsonFields.present(OBJECT, "nul")).isFalse();
        assertThat(JsonFields.present(OBJECT, "f")).isTrue();
    }

    @Test
    void eachTypedReadTakesItsTypeOnlyAndReadsOtherTypesAsAbsent() {
        assertThat(JsonFields.string(OBJECT, "s")).isEqualTo("text");
        assertThat(JsonFields.string(OBJECT, "n")).isNull();
        assertThat(JsonFields.object(OBJECT, "o")).isEqualTo(Json.parseObject("{\"a\":1}"));
        assertThat(JsonFields.object(OBJECT, "l")).isNull();
        assertThat(JsonFields.array(OBJECT, "l")).hasSize(1);
        assertThat(JsonFields.array(OBJECT, "o")).isNull();
        assertThat(JsonFields.number(OBJECT, "n").intValue()).isEqualTo(42);
        assertThat(JsonFields.number(OBJECT, "s")).isNull();
        assertThat(JsonFields.longValue(OBJECT, "big", -1)).isEqualTo(12345678901L);
        assertThat(JsonFields.longValue(OBJECT, "s", -1)).isEqualTo(-1);
        assertThat(JsonFields.count(OBJECT, "missing")).isZero();
        assertThat(JsonFields.isTrue(OBJECT, "t")).isTrue();
        assertThat(JsonFields.isTrue(OBJECT, "f")).isFalse();
        assertThat(JsonFields.isTrue(OBJECT, "s")).isFalse();
    }

    @Test
    void protoNamesReadEitherSpellingAndPreferTheFirst() {
        JsonFields.Name responseId = JsonFields.Name.proto("responseId");
        JsonFields.Name usage = JsonFields.Name.proto("usageMetadata");
        JsonFields.Name finish = JsonFields.Name.proto("finishReason");

        assertThat(responseId).isEqualTo(new JsonFields.Name("responseId", "response_id"));
        assertThat(JsonFields.string(OBJECT, responseId)).isEqualTo("camel");
        assertThat(JsonFields.object(OBJECT, usage)).isEqualTo(Json.parseObject("{\"x\":1}"));
        assertThat(JsonFields.string(OBJECT, finish)).isEqualTo("STOP");
        assertThat(JsonFields.string(OBJECT, JsonFields.Name.proto("absentName"))).isNull();
    }

    @Test
    void aOneWordProtoNameHasNoAlias() {
        assertThat(JsonFields.Name.proto("candidates")).isEqualTo(new JsonFields.Name("candidates", null));
        assertThat(JsonFields.snakeCase("cachedContentTokenCount")).isEqualTo("cached_content_token_count");
        assertThat(JsonFields.snakeCase("@type")).isEqualTo("@type");
    }
}
