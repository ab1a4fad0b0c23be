package dev.switchboard.json;

import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayOutputStream;
import java.io.CharArrayReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
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

    /**
     * Most values (objects, arrays, members and elements) accepted in a client's body. The byte
     * limit alone does not bound memory: 32 MiB of {@code [{},{},…]} is millions of tree nodes,
     * about a gigabyte. A long agent conversation with large tool schemas stays in the tens of
     * thousands; a base64 image is one value however large.
     */
    public static final int MAX_VALUES = 100_000;

    private static final String PARSSON_MAX_DEPTH = "org.eclipse.parsson.maxDepth";

    /**
     * Parsson's own name for {@link JsonConfig.KeyStrategy#NONE}: its reader factories translate
     * the standard key strategy into this, its parser factories only understand this.
     */
    private static final String PARSSON_REJECT_DUPLICATE_KEYS = "org.eclipse.parsson.rejectDuplicateKeys";

    /** Parsson refuses nesting that reaches its limit, so it gets one more than the depth we accept. */
    private static final int PARSSON_DEPTH_LIMIT = MAX_DEPTH + 1;

    public static final JsonProvider PROVIDER = JsonProvider.provider();

    /** Rejects duplicate keys: a body whose meaning depends on which duplicate wins is refused. */
    private static final JsonParserFactory STRICT_PARSERS = PROVIDER.createParserFactory(Map.of(
            PARSSON_REJECT_DUPLICATE_KEYS, true,
            PARSSON_MAX_DEPTH, PARSSON_DEPTH_LIMIT));

    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of(
            PARSSON_MAX_DEPTH, PARSSON_DEPTH_LIMIT));

    private static final JsonGeneratorFactory GENERATORS = PROVIDER.createGeneratorFactory(Map.of());

    private static final JsonGeneratorFactory PRETTY_GENERATORS =
            PROVIDER.createGeneratorFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));

    public static final Jsonb JSONB = JsonbBuilder.create();

    private Json() {
    }

    /**
     * Parses a UTF-8 body that must be one JSON object, refusing invalid UTF-8 (Java's readers
     * would silently replace it), duplicate keys, nesting beyond {@link #MAX_DEPTH} and anything
     * but whitespace after the object.
     *
     * @throws JsonSyntaxException whose message says what is wrong, fit for the sender
     */
    public static JsonObject parseStrictObject(byte[] utf8, int length) {
        if (isAscii(utf8, length)) {
            // Every ASCII text is valid UTF-8 and decodes byte for byte: no decoder and no char
            // buffer for the usual request, whose non-ASCII text (if any) arrives escaped.
            return readObject(STRICT_PARSERS, new StringReader(new String(utf8, 0, length, StandardCharsets.ISO_8859_1)));
        }
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
        return readObject(STRICT_PARSERS, reader);
    }

    private static boolean isAscii(byte[] utf8, int length) {
        for (int i = 0; i < length; i++) {
            if (utf8[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the text has more than {@code max} values, counted before any parsing from the bytes
     * that open one ({@code {}, {@code [}) or separate two ({@code ,}) outside strings. An
     * overestimate for malformed text, which the parser refuses anyway. UTF-8 continuation bytes
     * are never ASCII, so a byte-wise scan is exact.
     */
    public static boolean exceedsValues(byte[] utf8, int length, int max) {
        int values = 0;
        boolean inString = false;
        for (int i = 0; i < length; i++) {
            byte b = utf8[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if ((b == ',' || b == '{' || b == '[') && ++values > max) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a JSON object from a peer we trust to be well-formed (an upstream, a config file).
     * Malformed UTF-8 is replaced with U+FFFD, as a reader would; duplicate keys are accepted, the
     * last one winning.
     */
    public static JsonObject parseObject(byte[] utf8) {
        return parseObject(utf8, 0, utf8.length);
    }

    /**
     * {@link #parseObject(byte[])} over {@code utf8[offset, offset + length)}. The bytes are decoded
     * once into a String: this runs for every stream event, and an {@code InputStreamReader} would
     * allocate its 8 KiB decoding buffer on each call.
     */
    public static JsonObject parseObject(byte[] utf8, int offset, int length) {
        return readObject(PARSERS, new StringReader(new String(utf8, offset, length, StandardCharsets.UTF_8)));
    }

    public static JsonObject parseObject(String json) {
        return readObject(STRICT_PARSERS, new StringReader(json));
    }

    /**
     * Reads with a parser rather than a {@code JsonReader}: Parsson's reader returns the first value
     * and ignores whatever follows it, so {@code {"model":"a"} garbage} or two concatenated objects
     * would pass as one. The parser's {@code hasNext()} after the value requires the end of input.
     */
    private static JsonObject readObject(JsonParserFactory factory, Reader source) {
        JsonValue value;
        try (JsonParser parser = factory.createParser(source)) {
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) {
                // Parsson throws from hasNext() instead, naming what it found.
                throw new JsonSyntaxException("there is more after the JSON value");
            }
        } catch (RuntimeException e) {
            // The text is in memory, so every failure is the text's: besides JsonException, Parsson
            // throws IllegalStateException for a duplicate key, NoSuchElementException for empty
            // input and a bare RuntimeException for nesting beyond the depth limit.
            throw new JsonSyntaxException(describe(e));
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new JsonSyntaxException("expected a JSON object but found " + typeName(value));
        }
        return value.asJsonObject();
    }

    /** A streaming parser over bytes, for walking large upstream bodies without building a tree. */
    public static JsonParser parser(byte[] utf8, int offset, int length) {
        // Through a String rather than an InputStream: a stream gets a charset decoder with an
        // 8 KiB buffer of its own, per call, which costs more than the chunk being read.
        return PARSERS.createParser(new StringReader(new String(utf8, offset, length, StandardCharsets.UTF_8)));
    }

    /** A generator writing UTF-8 to {@code out}, through {@link Utf8Writer} (no 8 KiB encoder buffer). */
    public static JsonGenerator generator(OutputStream out) {
        return GENERATORS.createGenerator(new Utf8Writer(out));
    }

    /**
     * A generator writing characters to {@code out}, for JSON that stays text (a log line): no
     * UTF-8 encoding to bytes and decoding back on the way.
     */
    public static JsonGenerator generator(Writer out) {
        return GENERATORS.createGenerator(out);
    }

    public static JsonGenerator prettyGenerator(OutputStream out) {
        return PRETTY_GENERATORS.createGenerator(new Utf8Writer(out));
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
