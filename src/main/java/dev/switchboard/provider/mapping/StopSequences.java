package dev.switchboard.provider.mapping;

import dev.switchboard.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.function.Predicate;

/** OpenAI's {@code stop}, a string or an array of them (the parser checked the types), for a provider's request. Stateless. */
public final class StopSequences {
    private StopSequences() {
    }

    /** The sequences in {@code stop} that {@code keep} accepts, as one array (empty when none). */
    public static JsonArray kept(JsonValue stop, Predicate<String> keep) {
        JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        if (stop instanceof JsonString single && keep.test(single.getString())) {
            array.add(single);
        } else if (stop instanceof JsonArray list) {
            for (JsonValue entry : list) {
                if (entry instanceof JsonString sequence && keep.test(sequence.getString())) {
                    array.add(sequence);
                }
            }
        }
        return array.build();
    }
}
