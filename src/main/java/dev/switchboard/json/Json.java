package dev.switchboard.json;

import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharArrayReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The shared JSON machinery: one JSON-P provider and its factories, one Jsonb. Looking a provider
 * up is a service-loader scan, so it happens once here and never per request. Stateless.
 */
public final class Json {
    /**
     * Deepest nesting accepted from any peer. A chat request is about six levels deep; tool
     * schemas add a dozen or so. The bound keeps a hostile body from costing stack or memory.
     */
    public static final int MAX_DEPTH = 128;

    private static final String PARSSON_MAX_DEPTH = "org.eclipse.parsson.maxDepth";

    public static final JsonProvider PROVIDER = JsonProvider.provider();

    /** Rejects duplicate keys: a body whose meaning depends on which duplicate wins is refused. */
    private static final JsonReaderFactory STRICT_READERS = PROVIDER.createReaderFactory(Map.of(
            JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE,
            PARSSON_MAX_DEPTH, MAX_DEPTH));

    private static final JsonReaderFactory LENIENT_READERS = PROVIDER.createReaderFactory(Map.of(
            PARSSON_MAX_DEPTH, MAX_DEPTH));

    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of(
            PARSSON_MAX_DEPTH, MAX_DEPTH));

    private static final JsonGeneratorFactory GENERATORS = PROVIDER.createGeneratorFactory(Map.of());

    private static final JsonGeneratorFactory PRETTY_GENERATORS =
            PROVIDER.createGeneratorFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));

    public static final Jsonb JSONB = JsonbBuilder.create();

    private Json() {
    }

    /**
     * Parses a UTF-8 body that must be one JSON object, refusing invalid UTF-8 (Java's readers
     * would silently replace it), duplicate keys and nesting beyond {@link #MAX_DEPTH}.
     *
     * @throws JsonSyntaxException whose message says what is wrong, fit for the sender
     */
    public static JsonObject parseStrictObject(byte[] utf8, int length) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8, 0, length));
        } catch (CharacterCodingException e) {
            throw new JsonSyntaxException("it is not valid UTF-8");
        }
        Reader reader = chars.hasArray()
                ? new CharArrayReader(chars.array(), chars.arrayOffset(), chars.remaining())
                : new CharArrayReader(chars.toString().toCharArray());
        return readObject(STRICT_READERS, reader);
    }

    /** Parses a JSON object from a peer we trust to be well-formed (an upstream, a config file). */
    public static JsonObject parseObject(byte[] utf8) {
        return readObject(LENIENT_READERS, new java.io.InputStreamReader(
                new ByteArrayInputStream(utf8), StandardCharsets.UTF_8));
    }

    public static JsonObject parseObject(String json) {
        return readObject(STRICT_READERS, new java.io.StringReader(json));
    }

    private static JsonObject readObject(JsonReaderFactory factory, Reader source) {
        JsonValue value;
        try (JsonReader reader = factory.createReader(source)) {
            value = reader.readValue();
        } catch (RuntimeException e) {
            // Parsson reports bad input as JsonException, but also as plain RuntimeException (nesting
            // beyond the depth limit) or NumberFormatException; whatever it throws here, it is the
            // input that is wrong: reading a tree from a String or byte array does no other work.
            throw new JsonSyntaxException(describe(e));
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new JsonSyntaxException("expected a JSON object but found " + typeName(value));
        }
        return value.asJsonObject();
    }

    /** A streaming parser over bytes, for walking large upstream bodies without building a tree. */
    public static JsonParser parser(byte[] utf8, int offset, int length) {
        return PARSERS.createParser(new ByteArrayInputStream(utf8, offset, length), StandardCharsets.UTF_8);
    }

    public static JsonGenerator generator(OutputStream out) {
        return GENERATORS.createGenerator(out, StandardCharsets.UTF_8);
    }

    public static JsonGenerator prettyGenerator(OutputStream out) {
        return PRETTY_GENERATORS.createGenerator(out, StandardCharsets.UTF_8);
    }

    /** Serialises a JSON-P value to UTF-8 bytes. */
    public static byte[] write(JsonValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = generator(out)) {
            g.write(value);
        }
        return out.toByteArray();
    }

    /** The JSON type name a client would recognise: object, array, string, number, boolean, null. */
    public static String typeName(JsonValue value) {
        if (value == null) {
            return "nothing";
        }
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "it is not valid JSON";
        }
        // Parsson's messages name the offending token and location, which helps the sender and
        // carries nothing secret; keep them to one line.
        return message.replace('\n', ' ');
    }
}
