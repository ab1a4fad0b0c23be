package dev.switchboard.provider.openai;

import dev.switchboard.json.Json;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.openai.OpenAiResponses.ChunkFacts;
import dev.switchboard.provider.openai.OpenAiResponses.ErrorFields;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.util.List;

/**
 * The reference for {@link OpenAiResponses}' readUsage and readChunk: what they were when they
 * walked the JSON-P parser, with one fix: a {@code choices} that was an object, or a
 * {@code usage} or {@code error} that was an array, was not skipped, so the chunk's walk went on
 * inside it and read its members as the chunk's. Parsson's skipObject and skipArray spin for ever
 * on a value cut off by the end of the text: callers keep such texts away (see
 * {@code OpenAiResponsesParityTest}). Stateless.
 */
final class ParserReadings {
    private ParserReadings() {
    }

    static Usage readUsage(byte[] json) {
        try (JsonParser parser = Json.parser(json, 0, json.length)) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                return null;
            }
            while (parser.hasNext()) {
                Event event = parser.next();
                if (event == Event.END_OBJECT) {
                    return null;
                }
                String key = parser.getString();
                Event value = parser.next();
                if (key.equals("usage") && value == Event.START_OBJECT) {
                    return OpenAiResponses.usage(parser.getObject());
                }
                skip(parser, value);
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    static ChunkFacts readChunk(byte[] json) {
        ChunkFacts none = new ChunkFacts(null, false, null, false);
        if (!OpenAiResponses.mayCarryFacts(json)) {
            return none;
        }
        Usage usage = null;
        boolean finishes = false;
        boolean choices = false;
        ErrorFields error = null;
        try (JsonParser parser = Json.parser(json, 0, json.length)) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                return none;
            }
            while (parser.hasNext()) {
                Event event = parser.next();
                if (event == Event.END_OBJECT) {
                    break;
                }
                String key = parser.getString();
                Event value = parser.next();
                switch (key) {
                    case "usage" -> {
                        if (value == Event.START_OBJECT) {
                            usage = OpenAiResponses.usage(parser.getObject());
                        } else {
                            skip(parser, value);
                        }
                    }
                    case "error" -> {
                        if (value == Event.START_OBJECT) {
                            error = OpenAiResponses.errorFields(Json.PROVIDER.createObjectBuilder()
                                    .add("error", parser.getObject()).build());
                        } else if (value == Event.VALUE_STRING) {
                            error = new ErrorFields(parser.getString(), null, null, null);
                        } else {
                            skip(parser, value);
                        }
                    }
                    case "choices" -> {
                        if (value == Event.START_ARRAY) {
                            List<JsonValue> list = parser.getArrayStream().toList();
                            finishes = choicesFinish(list);
                            choices = !list.isEmpty();
                        } else {
                            skip(parser, value);
                        }
                    }
                    default -> skip(parser, value);
                }
            }
        } catch (RuntimeException e) {
            return none;
        }
        return new ChunkFacts(usage, finishes, error, usage != null && !choices);
    }

    private static boolean choicesFinish(List<JsonValue> choices) {
        boolean finishes = false;
        for (JsonValue choice : choices) {
            if (choice instanceof JsonObject object) {
                JsonValue reason = object.get("finish_reason");
                finishes |= reason != null && reason.getValueType() == JsonValue.ValueType.STRING;
            }
        }
        return finishes;
    }


    private static void skip(JsonParser parser, Event value) {
        if (value == Event.START_OBJECT) {
            parser.skipObject();
        } else if (value == Event.START_ARRAY) {
            parser.skipArray();
        }
    }
}
