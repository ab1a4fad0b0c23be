package dev.switchboard.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Recorded provider streams from src/test/resources/fixtures, for the mock upstream to replay. */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index of the first event containing {@code text}; fails when none does. */
    static int firstIndexOf(List<String> events, String text) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).contains(text)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no event contains " + text);
    }

    /** The stream cut after each blank line, so that the mock sends one event per chunk. */
    static List<String> events(String path) {
        String stream = text(path).replace("\r\n", "\n");
        List<String> events = new ArrayList<>();
        int start = 0;
        int end;
        while ((end = stream.indexOf("\n\n", start)) >= 0) {
            events.add(stream.substring(start, end + 2));
            start = end + 2;
        }
        if (start < stream.length()) {
            events.add(stream.substring(start));
        }
        return events;
    }
}
