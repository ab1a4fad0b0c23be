package dev.switchboard.provider.echo;

import dev.switchboard.chat.Usage;
import dev.switchboard.error.GatewayError;
import dev.switchboard.provider.ResponseSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the web layer: records every call, and plays a client whose buffer holds a
 * limited number of chunks. Not thread-safe; the echo connector calls it on the test's thread.
 */
final class RecordingSink implements ResponseSink {
    final List<byte[]> chunks = new ArrayList<>();
    /** Protocol breaches seen: anything after a terminal call, or a second terminal call. */
    final List<String> violations = new ArrayList<>();

    byte[] completionJson;
    Usage completionUsage;
    Usage endUsage;
    GatewayError failure;
    boolean streamEnded;
    int terminalCalls;

    /** Chunks still accepted before hasRoom() turns false. */
    private long room = Long.MAX_VALUE;
    /** When positive, whenRoom grants this much room and runs the callback at once, on this thread. */
    private final int synchronousRefill;
    private Runnable pendingResume;
    int whenRoomCalls;

    RecordingSink() {
        this(0);
    }

    private RecordingSink(int synchronousRefill) {
        this.synchronousRefill = synchronousRefill;
    }

    /** A client that takes {@code room} chunks and then needs {@link #resume(int)}. */
    static RecordingSink withRoom(int room) {
        RecordingSink sink = new RecordingSink();
        sink.room = room;
        return sink;
    }

    /** A client that is full after every {@code room} chunks and drains at once when asked. */
    static RecordingSink drainingSynchronously(int room) {
        RecordingSink sink = new RecordingSink(room);
        sink.room = room;
        return sink;
    }

    boolean ended() {
        return terminalCalls > 0;
    }

    boolean hasPendingResume() {
        return pendingResume != null;
    }

    /** The client took what it had: grants {@code moreRoom} chunks and runs the recorded callback. */
    void resume(int moreRoom) {
        Runnable resume = pendingResume;
        if (resume == null) {
            throw new AssertionError("nobody asked to be resumed");
        }
        pendingResume = null;
        room = moreRoom;
        resume.run();
    }

    private void terminal(String call) {
        if (terminalCalls > 0) {
            violations.add(call + " after the attempt had ended");
        }
        terminalCalls++;
    }

    @Override
    public void chunk(byte[] json) {
        if (ended()) {
            violations.add("chunk after the attempt had ended");
        }
        chunks.add(json);
        room--;
    }

    @Override
    public void streamEnd(Usage usage) {
        terminal("streamEnd");
        streamEnded = true;
        endUsage = usage;
    }

    @Override
    public void completion(byte[] json, Usage usage) {
        terminal("completion");
        completionJson = json;
        completionUsage = usage;
    }

    @Override
    public void fail(GatewayError error) {
        terminal("fail");
        failure = error;
    }

    @Override
    public boolean hasRoom() {
        return room > 0;
    }

    @Override
    public void whenRoom(Runnable resume) {
        whenRoomCalls++;
        if (synchronousRefill > 0) {
            room = synchronousRefill;
            resume.run();
            return;
        }
        if (pendingResume != null) {
            violations.add("whenRoom while a resume was already pending");
        }
        pendingResume = resume;
    }
}
