package dev.switchboard.provider;

import dev.switchboard.error.GatewayError;
import dev.switchboard.llm.Usage;
import dev.switchboard.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one {@link ResponseSink} of the tests: stands in for whatever is above a connector or the
 * router, records every call in order, checks the sink's contract (nothing after the terminal
 * call, one terminal call), and plays a client whose buffer holds a given number of chunks. Its
 * model is OkHttp's {@code EventSourceRecorder}. Thread-safe, so that integration tests may record
 * from the HTTP client's threads and wait for the end with {@link #awaitEnd}.
 */
public class RecordingSink implements ResponseSink {
    /** Every call, in order: {@code streamStart}, {@code chunk <json>}, {@code streamEnd}, {@code completion}, {@code fail <status>}, {@code whenRoom}. */
    private final List<String> calls = new ArrayList<>();
    private final List<byte[]> chunks = new ArrayList<>();
    /** The names of the named events, in order. */
    private final List<String> types = new ArrayList<>();
    /** The chunks of each {@link #chunks(List)} call: what one upstream read produced. */
    private final List<List<String>> batches = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    /** Contract breaches seen: anything after a terminal call, or a second terminal call. */
    private final List<String> violations = new ArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private byte[] completionJson;
    private Usage usage;
    private boolean streamEnded;
    private int terminalCalls;

    /** Chunks still accepted before hasRoom() turns false. */
    private long room = Long.MAX_VALUE;
    /** When positive, whenRoom grants this much room and runs the callback at once, on the caller's thread. */
    private int synchronousRefill;
    private Runnable pendingResume;
    private int whenRoomCalls;

    /** A client that takes everything at once. */
    public RecordingSink() {
    }

    /** A client that takes {@code room} chunks and then waits for {@link #resume(int)}. */
    public static RecordingSink withRoom(int room) {
        RecordingSink sink = new RecordingSink();
        sink.room = room;
        return sink;
    }

    /** A client that is full after every {@code room} chunks and drains at once when asked. */
    public static RecordingSink drainingSynchronously(int room) {
        RecordingSink sink = new RecordingSink();
        sink.room = room;
        sink.synchronousRefill = room;
        return sink;
    }

    @Override
    public synchronized void streamStart() {
        check("streamStart");
        calls.add("streamStart");
    }

    @Override
    public synchronized void chunk(SseEvent event) {
        byte[] json = event.data();
        check("chunk");
        if (event.type() != null) {
            types.add(event.type());
        }
        calls.add("chunk " + new String(json, StandardCharsets.UTF_8));
        chunks.add(json);
        room--;
    }

    @Override
    public void chunks(List<SseEvent> events) {
        synchronized (this) {
            batches.add(events.stream().map(event -> new String(event.data(), StandardCharsets.UTF_8)).toList());
        }
        for (SseEvent event : events) {
            chunk(event);
        }
    }

    @Override
    public synchronized void streamEnd(Usage reported) {
        terminal("streamEnd");
        streamEnded = true;
        usage = reported;
        ended.complete(null);
    }

    @Override
    public synchronized void completion(byte[] json, Usage reported) {
        terminal("completion");
        completionJson = json;
        usage = reported;
        ended.complete(null);
    }

    @Override
    public synchronized void fail(Failure failure) {
        terminal("fail " + failure.error().status());
        failures.add(failure);
        ended.complete(null);
    }

    @Override
    public synchronized boolean hasRoom() {
        return room > 0;
    }

    @Override
    public void whenRoom(Runnable resume) {
        boolean runNow;
        synchronized (this) {
            calls.add("whenRoom");
            whenRoomCalls++;
            runNow = synchronousRefill > 0;
            if (runNow) {
                room = synchronousRefill;
            } else {
                if (pendingResume != null) {
                    violations.add("whenRoom while a resume was already pending");
                }
                pendingResume = resume;
            }
        }
        if (runNow) {
            resume.run();
        }
    }

    /** The client took what it had: grants {@code moreRoom} chunks and runs the recorded callback. */
    public void resume(int moreRoom) {
        Runnable resume;
        synchronized (this) {
            resume = pendingResume;
            if (resume == null) {
                throw new AssertionError("nobody asked to be resumed");
            }
            pendingResume = null;
            room = moreRoom;
        }
        resume.run();
    }

    /** Waits for the terminal call. */
    public RecordingSink awaitEnd(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        try {
            ended.get(timeout, unit);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
        return this;
    }

    private void check(String call) {
        if (terminalCalls > 0) {
            violations.add(call + " after the attempt had ended");
        }
    }

    private void terminal(String call) {
        check(call);
        calls.add(call);
        terminalCalls++;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<byte[]> chunks() {
        return List.copyOf(chunks);
    }

    /** The chunks as text, in order. */
    public synchronized List<String> chunkTexts() {
        return chunks.stream().map(json -> new String(json, StandardCharsets.UTF_8)).toList();
    }

    /** The names of the named events, in order. */
    public synchronized List<String> eventTypes() {
        return List.copyOf(types);
    }

    public synchronized List<List<String>> batches() {
        return List.copyOf(batches);
    }

    public synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** The failure the attempt ended with; fails the test when it did not fail. */
    public synchronized Failure failure() {
        if (failures.isEmpty()) {
            throw new AssertionError("no failure; calls: " + calls);
        }
        return failures.get(failures.size() - 1);
    }

    /** The error of {@link #failure()}. */
    public GatewayError error() {
        return failure().error();
    }

    public synchronized byte[] completionJson() {
        return completionJson;
    }

    /** The usage of the completion or of the stream's end. */
    public synchronized Usage usage() {
        return usage;
    }

    public synchronized boolean streamEnded() {
        return streamEnded;
    }

    /** Terminal calls seen: 1 for an attempt that kept the contract. */
    public synchronized int terminalCalls() {
        return terminalCalls;
    }

    public synchronized boolean ended() {
        return terminalCalls > 0;
    }

    public synchronized boolean hasPendingResume() {
        return pendingResume != null;
    }

    public synchronized int whenRoomCalls() {
        return whenRoomCalls;
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }
}
