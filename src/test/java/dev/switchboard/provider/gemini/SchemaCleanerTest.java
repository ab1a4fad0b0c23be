package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.error.GatewayException;
import dev.switchboard.json.Json;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each cleaning rule of {@link SchemaCleaner}: JSON Schema in, Gemini's OpenAPI subset out. */
class SchemaCleanerTest {
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("unsupported keywords are dropped, types upper-cased",
                        "{'$schema':'x','$id':'y','type':'object','title':'T','additionalProperties':false,'strict':true,"
                                + "'properties':{'a':{'type':'string','default':'d','examples':['e'],'minLength':1,'pattern':'^a'}}}",
                        "{'type':'OBJECT','title':'T','properties':{'a':{'type':'STRING','minLength':1,'pattern':'^a'}}}"),
                Arguments.of("numeric bounds are kept, exclusive ones and multipleOf dropped",
                        "{'type':'number','minimum':0,'maximum':9,'exclusiveMinimum':0,'multipleOf':0.5}",
                        "{'type':'NUMBER','minimum':0,'maximum':9}"),
                Arguments.of("a type list with null becomes nullable",
                        "{'type':['integer','null']}",
                        "{'type':'INTEGER','nullable':true}"),
                Arguments.of("several types become anyOf",
                        "{'type':['string','integer'],'description':'id'}",
                        "{'description':'id','anyOf':[{'type':'STRING'},{'type':'INTEGER'}]}"),
                Arguments.of("anyOf with a null member collapses to the other member, nullable",
                        "{'anyOf':[{'type':'string'},{'type':'null'}],'description':'maybe'}",
                        "{'description':'maybe','type':'STRING','nullable':true}"),
                Arguments.of("oneOf is read as anyOf",
                        "{'oneOf':[{'type':'string'},{'type':'object','properties':{'x':{'type':'number'}}}]}",
                        "{'anyOf':[{'type':'STRING'},{'type':'OBJECT','properties':{'x':{'type':'NUMBER'}}}]}"),
                Arguments.of("allOf members are merged into the parent",
                        "{'allOf':[{'type':'object','properties':{'a':{'type':'string'}},'required':['a']},"
                                + "{'properties':{'b':{'type':'boolean'}},'required':['b']}],'description':'both'}",
                        "{'description':'both','type':'OBJECT','properties':{'a':{'type':'STRING'},'b':{'type':'BOOLEAN'}},"
                                + "'required':['a','b']}"),
                Arguments.of("local $refs are inlined, siblings overriding the target",
                        "{'type':'object','properties':{'home':{'$ref':'#/$defs/Address','description':'Home'},"
                                + "'work':{'$ref':'#/definitions/Address'}},"
                                + "'$defs':{'Address':{'type':'object','description':'An address','properties':{'city':{'type':'string'}}}},"
                                + "'definitions':{'Address':{'type':'object','properties':{'zip':{'type':'string'}}}}}",
                        "{'type':'OBJECT','properties':{"
                                + "'home':{'type':'OBJECT','description':'Home','properties':{'city':{'type':'STRING'}}},"
                                + "'work':{'type':'OBJECT','properties':{'zip':{'type':'STRING'}}}}}"),
                Arguments.of("the same $ref used twice side by side is not recursion",
                        "{'type':'object','properties':{'a':{'$ref':'#/$defs/S'},'b':{'type':'array','items':{'$ref':'#/$defs/S'}}},"
                                + "'$defs':{'S':{'type':'string'}}}",
                        "{'type':'OBJECT','properties':{'a':{'type':'STRING'},'b':{'type':'ARRAY','items':{'type':'STRING'}}}}"),
                Arguments.of("const becomes a one-value enum",
                        "{'type':'string','const':'fixed'}",
                        "{'type':'STRING','enum':['fixed']}"),
                Arguments.of("a non-string enum is dropped, the type kept",
                        "{'type':'integer','enum':[1,2,3]}",
                        "{'type':'INTEGER'}"),
                Arguments.of("an enum without a type is a STRING",
                        "{'enum':['a','b']}",
                        "{'enum':['a','b'],'type':'STRING'}"),
                Arguments.of("formats Gemini knows are kept, others dropped",
                        "{'type':'object','properties':{'when':{'type':'string','format':'date-time'},"
                                + "'mail':{'type':'string','format':'email'},'n':{'type':'integer','format':'int64'},"
                                + "'x':{'type':'number','format':'int32'}}}",
                        "{'type':'OBJECT','properties':{'when':{'type':'STRING','format':'date-time'},"
                                + "'mail':{'type':'STRING'},'n':{'type':'INTEGER','format':'int64'},'x':{'type':'NUMBER'}}}"),
                Arguments.of("required names that are not properties are removed",
                        "{'type':'object','properties':{'a':{'type':'string'}},'required':['a','b']}",
                        "{'type':'OBJECT','properties':{'a':{'type':'STRING'}},'required':['a']}"),
                Arguments.of("required without any remaining name is omitted",
                        "{'type':'object','properties':{'a':{'type':'string'}},'required':['b']}",
                        "{'type':'OBJECT','properties':{'a':{'type':'STRING'}}}"),
                Arguments.of("missing types are inferred from properties and items; tuple items dropped",
                        "{'properties':{'list':{'items':{'type':'string'}},'pair':{'type':'array','items':[{'type':'string'}]}}}",
                        "{'type':'OBJECT','properties':{'list':{'type':'ARRAY','items':{'type':'STRING'}},'pair':{'type':'ARRAY'}}}"),
                Arguments.of("boolean schemas become the empty schema",
                        "{'type':'object','properties':{'anything':true}}",
                        "{'type':'OBJECT','properties':{'anything':{}}}"),
                Arguments.of("a property literally named $ref is a property, not a reference",
                        "{'type':'object','properties':{'$ref':{'type':'string'}}}",
                        "{'type':'OBJECT','properties':{'$ref':{'type':'STRING'}}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void cleans(String rule, String schema, String expected) {
        assertThat(clean(json(schema), "p")).isEqualTo(json(expected));
    }

    @Test
    void refusesNonLocalReferences() {
        assertThatThrownBy(() -> clean(json("{'$ref':'https://example.com/s.json'}"), "tools[0].function.parameters"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().param()).isEqualTo("tools[0].function.parameters");
                    assertThat(e.error().message()).contains("not a local");
                });
    }

    @Test
    void refusesDanglingReferences() {
        assertThatThrownBy(() -> clean(json("{'$ref':'#/$defs/Missing'}"), "p"))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().message()).contains("points to no schema"));
    }

    /** A chain of {@code length} definitions, each a $ref to the next, the last a string. */
    static String refChain(int length) {
        StringBuilder defs = new StringBuilder();
        for (int i = 0; i < length; i++) {
            defs.append("\"D").append(i).append("\":{\"$ref\":\"#/$defs/D").append(i + 1).append("\"},");
        }
        defs.append("\"D").append(length).append("\":{\"type\":\"string\"}");
        return "{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#/$defs/D0\"}},\"$defs\":{" + defs + "}}";
    }

    @Test
    void aLongRefChainIsA400NotAStackOverflow() {
        // About 64 KB of schema: small enough for any request limit, once enough to overflow the stack.
        String schema = refChain(2000);

        assertThatThrownBy(() -> clean(Json.parseObject(schema), "tools[0].function.parameters"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("tools[0].function.parameters");
                    assertThat(e.error().message()).contains(String.valueOf(SchemaCleaner.MAX_REF_DEPTH));
                });
    }

    @Test
    void refChainsUpToTheLimitAreInlined() {
        // The property's own $ref plus MAX_REF_DEPTH - 1 definitions that refer on.
        String schema = refChain(SchemaCleaner.MAX_REF_DEPTH - 1);

        assertThat(clean(Json.parseObject(schema), "p"))
                .isEqualTo(json("{'type':'OBJECT','properties':{'x':{'type':'STRING'}}}"));
        assertThatThrownBy(() -> clean(Json.parseObject(refChain(SchemaCleaner.MAX_REF_DEPTH)), "p"))
                .isInstanceOf(GatewayException.class);
    }

    @Test
    void nestingBeyondTheLimitIsA400NamingTheField() {
        String deep = "{\"items\":".repeat(SchemaCleaner.MAX_NESTING) + "{\"type\":\"string\"}"
                + "}".repeat(SchemaCleaner.MAX_NESTING);
        String fits = "{\"items\":".repeat(SchemaCleaner.MAX_NESTING - 1) + "{\"type\":\"string\"}"
                + "}".repeat(SchemaCleaner.MAX_NESTING - 1);

        assertThat(clean(Json.parseObject(fits), "p")).containsKey("items");
        assertThatThrownBy(() -> clean(Json.parseObject(deep), "response_format.json_schema.schema"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().param()).isEqualTo("response_format.json_schema.schema");
                    assertThat(e.error().message()).contains("deeper than " + SchemaCleaner.MAX_NESTING);
                });
    }

    @Test
    void nestingThroughRefsCountsToo() {
        // Each definition nests the next three levels deeper: fewer refs at a time than the ref
        // limit, but deeper than the nesting limit once inlined.
        StringBuilder defs = new StringBuilder();
        int refs = SchemaCleaner.MAX_REF_DEPTH - 2;
        for (int i = 0; i < refs; i++) {
            defs.append("'L").append(i).append("':{'type':'array','items':{'type':'array','items':{'type':'array',")
                    .append("'items':{'$ref':'#/$defs/L").append(i + 1).append("'}}}},");
        }
        defs.append("'L").append(refs).append("':{'type':'string'}");

        assertThatThrownBy(() -> clean(json("{'$ref':'#/$defs/L0','$defs':{" + defs + "}}"), "p"))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().message()).contains("deeper than " + SchemaCleaner.MAX_NESTING));
    }

    @Test
    void refusesSchemasThatExplodeWhenInlined() {
        // Each level refers to the next one twice: 2^20 nodes once inlined, from a 20-line schema.
        StringBuilder defs = new StringBuilder();
        for (int level = 0; level < 20; level++) {
            defs.append(level == 0 ? "" : ",").append("'L").append(level).append("':{'type':'object','properties':{")
                    .append("'a':{'$ref':'#/$defs/L").append(level + 1).append("'},")
                    .append("'b':{'$ref':'#/$defs/L").append(level + 1).append("'}}}");
        }
        defs.append(",'L20':{'type':'string'}");
        String schema = "{'$ref':'#/$defs/L0','$defs':{" + defs + "}}";

        assertThatThrownBy(() -> clean(json(schema), "p"))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().message()).contains(String.valueOf(SchemaCleaner.MAX_NODES)));
    }

    /** Cleans with a budget far beyond what these schemas produce, so that only the cleaner's other caps apply. */
    static JsonObject clean(JsonObject schema, String param) {
        return SchemaCleaner.clean(schema, param, new TranslationBudget(Integer.MAX_VALUE, 1));
    }
}
