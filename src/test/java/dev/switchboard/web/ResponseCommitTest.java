package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.web.ResponseCommit.State;
import dev.switchboard.web.ResponseCommit.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Every transition of the commit boundary, and what each one puts into the output. */
class ResponseCommitTest {
    private static final ResponseHead STREAM = new ResponseHead(200, "text/event-stream", -1, List.of());
    private static final ResponseHead ERROR = new ResponseHead(502, "application/json", 5, List.of());
    private static final ResponseHead JSON = new ResponseHead(200, "application/json", 2, List.of());
    private static final UnaryOperator<byte[]> FRAMING = bytes -> ("<" + text(bytes) + ">").getBytes(StandardCharsets.UTF_8);

    /** Records what is offered, in order, as text. */
    static final class Recorder implements ResponseOutput {
        final List<String> offered = new ArrayList<>();

        @Override
        public synchronized void offer(ResponseHead head) {
            offered.add("head " + head.status());
        }

        @Override
        public synchronized void offer(byte[] bytes) {
            offered.add(text(bytes));
        }

        @Override
        public synchronized void offerEnd() {
            offered.add("end");
        }
    }

    private final Recorder output = new Recorder();
    private final ResponseCommit commit = new ResponseCommit(output);
    private final AtomicInteger headsBuilt = new AtomicInteger();
    private final Supplier<ResponseHead> streamHead = () -> {
        headsBuilt.incrementAndGet();
        return STREAM;
    };

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void openToStreamingByTheProvidersAcceptanceThenEventsThenTheTrailer() {
        assertThat(commit.state()).isEqualTo(State.OPEN);

        assertThat(commit.openStream(streamHead)).isEqualTo(Step.OPENED);
        assertThat(commit.openStream(streamHead)).as("only once").isEqualTo(Step.NONE);
        assertThat(commit.event(bytes("a"), streamHead)).isEqualTo(Step.WROTE);
        assertThat(commit.events(List.of(bytes("b"), bytes("c")), FRAMING, streamHead)).isEqualTo(Step.WROTE);
        assertThat(commit.endStream(bytes("[DONE]"), streamHead)).isEqualTo(Step.ENDED);

        assertThat(output.offered).containsExactly("head 200", "a", "<b>", "<c>", "[DONE]", "end");
        assertThat(commit.state()).isEqualTo(State.DONE);
        assertThat(headsBuilt).hasValue(1);
    }

    @Test
    void theFirstEventOpensAStreamThatWasNotOpenedYet() {
        assertThat(commit.event(bytes("a"), streamHead)).isEqualTo(Step.OPENED);
        assertThat(commit.state()).isEqualTo(State.STREAMING);

        assertThat(output.offered).containsExactly("head 200", "a");
    }

    @Test
    void aBatchAlsoOpensTheStream() {
        assertThat(commit.events(List.of(bytes("a")), FRAMING, streamHead)).isEqualTo(Step.OPENED);

        assertThat(output.offered).containsExactly("head 200", "<a>");
    }

    @Test
    void aStreamThatSentNothingStillOpensBeforeItsTrailer() {
        assertThat(commit.endStream(bytes("[DONE]"), streamHead)).isEqualTo(Step.ENDED);

        assertThat(output.offered).containsExactly("head 200", "[DONE]", "end");
    }

    @Test
    void aStreamWithoutATrailerEndsWithoutOne() {
        commit.openStream(streamHead);
        assertThat(commit.endStream(null, streamHead)).isEqualTo(Step.ENDED);

        assertThat(output.offered).containsExactly("head 200", "end");
    }

    @Test
    void aCompletionBeforeAnythingWasSentIsTheWholeAnswer() {
        assertThat(commit.complete(JSON, bytes("{}"))).isEqualTo(Step.ENDED);

        assertThat(output.offered).containsExactly("head 200", "{}", "end");
        assertThat(commit.state()).isEqualTo(State.DONE);
    }

    @Test
    void aCompletionDuringAStreamIsIgnored() {
        commit.openStream(streamHead);

        assertThat(commit.complete(JSON, bytes("{}"))).isEqualTo(Step.NONE);
        assertThat(output.offered).containsExactly("head 200");
        assertThat(commit.state()).isEqualTo(State.STREAMING);
    }

    @Test
    void aFailureBeforeTheCommitIsTheErrorWithItsOwnStatus() {
        assertThat(commit.fail(() -> ERROR, bytes("oops"), bytes("event"))).isEqualTo(Step.ENDED);

        assertThat(output.offered).containsExactly("head 502", "oops", "end");
    }

    @Test
    void aFailureDuringAStreamIsOneEventAndTheEndWithoutTheTrailer() {
        commit.event(bytes("a"), streamHead);

        assertThat(commit.fail(() -> ERROR, bytes("oops"), bytes("event"))).isEqualTo(Step.ENDED);

        assertThat(output.offered).containsExactly("head 200", "a", "event", "end");
    }

    @Test
    void afterTheEndNothingIsWrittenWhateverArrives() {
        commit.complete(JSON, bytes("{}"));

        assertThat(commit.openStream(streamHead)).isEqualTo(Step.NONE);
        assertThat(commit.event(bytes("late"), streamHead)).isEqualTo(Step.NONE);
        assertThat(commit.events(List.of(bytes("late")), FRAMING, streamHead)).isEqualTo(Step.NONE);
        assertThat(commit.endStream(bytes("[DONE]"), streamHead)).isEqualTo(Step.NONE);
        assertThat(commit.complete(JSON, bytes("{}"))).isEqualTo(Step.NONE);
        assertThat(commit.fail(() -> ERROR, bytes("oops"), bytes("event"))).isEqualTo(Step.NONE);
        assertThat(commit.keepAlive(bytes(":"))).isEqualTo(Step.NONE);
        assertThat(commit.abandon()).isEqualTo(Step.NONE);

        assertThat(output.offered).containsExactly("head 200", "{}", "end");
    }

    @Test
    void keepAlivesOnlyWhileStreaming() {
        assertThat(commit.keepAlive(bytes(":"))).as("nothing committed yet").isEqualTo(Step.NONE);
        commit.openStream(streamHead);

        assertThat(commit.keepAlive(bytes(":"))).isEqualTo(Step.WROTE);
        assertThat(output.offered).containsExactly("head 200", ":");
    }

    @Test
    void aClientThatLeftEndsTheResponseWithoutAByteOrAnEnd() {
        commit.event(bytes("a"), streamHead);

        assertThat(commit.abandon()).isEqualTo(Step.ENDED);
        assertThat(commit.abandon()).isEqualTo(Step.NONE);

        assertThat(output.offered).containsExactly("head 200", "a");
        assertThat(commit.state()).isEqualTo(State.DONE);
    }

    @Test
    void ifLiveRunsOnlyBeforeTheEnd() {
        List<String> ran = new ArrayList<>();

        assertThat(commit.ifLive(() -> ran.add("before"))).isTrue();
        commit.abandon();
        assertThat(commit.ifLive(() -> ran.add("after"))).isFalse();

        assertThat(ran).containsExactly("before");
    }

    @Test
    void concurrentProducersNeverEndTwiceNorWriteAfterTheEnd() throws Exception {
        for (int round = 0; round < 200; round++) {
            Recorder recorder = new Recorder();
            ResponseCommit shared = new ResponseCommit(recorder);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Step> endings = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 20; i++) {
                        shared.event(bytes("e" + id), () -> STREAM);
                    }
                    endings.add(id % 2 == 0 ? shared.endStream(bytes("[DONE]"), () -> STREAM)
                            : shared.fail(() -> ERROR, bytes("oops"), bytes("event")));
                }));
            }
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }

            assertThat(endings.stream().filter(step -> step == Step.ENDED)).hasSize(1);
            assertThat(recorder.offered.get(recorder.offered.size() - 1)).isEqualTo("end");
            assertThat(recorder.offered.stream().filter("end"::equals)).hasSize(1);
            assertThat(recorder.offered.stream().filter(text -> text.startsWith("head"))).hasSize(1);
        }
    }
}
