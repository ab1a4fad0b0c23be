package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer against a fake response that records every call on it: which thread made it, in
 * what order, and whether another thread was inside the response at the same time. The fake
 * container runs its callbacks on its own thread, as Tomcat does, and recycles the response as
 * soon as a terminal callback (error, timeout, completion) has returned: from then on any call is
 * a write into somebody else's response (docs/tomcat-async-write-race.md).
 */
class ClientResponseWriterTest {
    private final ExecutorService containerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "container"));
    private final ExecutorService upstreamThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "upstream"));
    private final FakeResponse response = new FakeResponse();
    private final AtomicInteger clientGone = new AtomicInteger();
    private final ClientResponseWriter writer = new ClientResponseWriter(response.asyncContext(), response.servletResponse(),
            response.stream, clientGone::incrementAndGet);

    @AfterEach
    void stopThreads() {
        containerThread.shutdownNow();
        upstreamThread.shutdownNow();
    }

    /** One call on the response: which, on which thread, and whether it overlapped another thread's. */
    record Touch(String call, String thread) {
    }

    /** A response, its output stream and AsyncContext in one, recording every call. */
    static final class FakeResponse {
        final List<Touch> touches = Collections.synchronizedList(new ArrayList<>());
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<Thread> inside = new AtomicReference<>();
        final AtomicInteger completions = new AtomicInteger();
        final List<byte[]> written = Collections.synchronizedList(new ArrayList<>());
        volatile boolean ready = true;
        volatile boolean clientGone;
        /** Set: the recycle has happened and any later call lands in another request's response. */
        volatile boolean recycled;
        /** When set, the next write waits here (a write still in progress on its thread). */
        volatile CountDownLatch writeInProgress;
        volatile CountDownLatch writeHeld;
        final FakeStream stream = new FakeStream();

        void enter(String call) {
            Thread me = Thread.currentThread();
            if (recycled) {
                violations.add(call + " on " + me.getName() + " after the container recycled the response");
            }
            if (!inside.compareAndSet(null, me)) {
                violations.add(call + " on " + me.getName() + " while " + inside.get().getName() + " was inside");
            }
            touches.add(new Touch(call, me.getName()));
        }

        void leave() {
            inside.set(null);
        }

        AsyncContext asyncContext() {
            return (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AsyncContext.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("complete")) {
                            enter("complete");
                            completions.incrementAndGet();
                            leave();
                        }
                        return null;
                    });
        }

        HttpServletResponse servletResponse() {
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                        enter(method.getName());
                        leave();
                        return null;
                    });
        }

        List<String> calls() {
            synchronized (touches) {
                return touches.stream().map(Touch::call).toList();
            }
        }

        final class FakeStream extends ServletOutputStream {
            @Override
            public boolean isReady() {
                enter("isReady");
                leave();
                return ready;
            }

            @Override
            public void setWriteListener(WriteListener writeListener) {
            }

            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] bytes) throws IOException {
                enter("write");
                try {
                    CountDownLatch hold = writeHeld;
                    if (hold != null) {
                        writeHeld = null;
                        writeInProgress.countDown();
                        hold.await(5, TimeUnit.SECONDS);
                    }
                    if (clientGone) {
                        throw new IOException("Connection reset by peer");
                    }
                    written.add(bytes);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    leave();
                }
            }

            @Override
            public void flush() throws IOException {
                enter("flush");
                leave();
                if (clientGone) {
                    throw new IOException("Broken pipe");
                }
            }
        }
    }

    /** Runs a container callback on the container's thread; afterwards the fake container recycles if it ended. */
    private void onContainer(Runnable callback) throws Exception {
        containerThread.submit(callback).get(5, TimeUnit.SECONDS);
    }

    private void onUpstream(Runnable producer) throws Exception {
        upstreamThread.submit(producer).get(5, TimeUnit.SECONDS);
    }

    private static byte[] bytes(int length) {
        return new byte[length];
    }

    @Test
    void writesTheHeadThenTheQueuedBlocksAndFlushesOncePerBatch() throws Exception {
        writer.offer(new ResponseHead(200, "text/event-stream", -1, List.of(new HeaderField("Cache-Control", "no-cache"))));
        writer.offer(bytes(10));
        writer.offer(bytes(20));
        writer.offer(bytes(30));

        onUpstream(writer::drain);

        assertThat(response.calls()).containsExactly("setStatus", "setContentType", "setHeader",
                "isReady", "write", "isReady", "write", "isReady", "write", "isReady", "flush");
        assertThat(response.written).extracting(b -> b.length).containsExactly(10, 20, 30);
        assertThat(response.violations).isEmpty();
    }

    @Test
    void stopsWhileTheStreamIsNotReadyAndGoesOnInOnWritePossible() throws Exception {
        writer.offer(bytes(10));
        writer.offer(bytes(20));
        response.ready = false;

        onUpstream(writer::drain);
        assertThat(response.written).isEmpty();

        response.ready = true;
        onContainer(writer::onWritePossible);
        assertThat(response.written).extracting(b -> b.length).containsExactly(10, 20);
        assertThat(response.calls()).containsOnlyOnce("flush");
    }

    @Test
    void aHeldEndWaitsAfterTheAnswerIsWrittenUntilReleased() throws Exception {
        writer.holdEnd();
        writer.offer(new ResponseHead(413, "application/json", 10, List.of()));
        writer.offer(bytes(10));
        writer.offerEnd();

        onUpstream(writer::drain);
        assertThat(response.written).extracting(b -> b.length).containsExactly(10);
        assertThat(response.calls()).contains("flush");
        assertThat(response.completions).hasValue(0);

        onContainer(writer::releaseEnd);
        assertThat(response.completions).hasValue(1);
        assertThat(response.violations).isEmpty();
    }

    @Test
    void producersPauseAboveTheHighWaterMarkAndResumeAtTheLowWaterMark() throws Exception {
        response.ready = false;
        writer.offer(bytes((int) ClientResponseWriter.HIGH_WATER_BYTES));
        assertThat(writer.hasRoom()).isFalse();
        AtomicInteger resumed = new AtomicInteger();
        writer.whenRoom(resumed::incrementAndGet);
        onUpstream(writer::drain);
        assertThat(resumed).hasValue(0);

        response.ready = true;
        onContainer(writer::onWritePossible);

        assertThat(resumed).hasValue(1);
        assertThat(writer.hasRoom()).isTrue();
    }

    @Test
    void theEndCompletesOnceAfterTheLastFlushAndNothingTouchesTheResponseAfterwards() throws Exception {
        writer.offer(bytes(10));
        writer.offerEnd();
        onUpstream(writer::drain);
        assertThat(response.calls()).endsWith("write", "isReady", "flush", "isReady", "complete");
        int touches = response.touches.size();

        // The container completes the request and recycles the response.
        onContainer(() -> writer.completed());
        response.recycled = true;
        writer.offer(bytes(10));
        writer.offerEnd();
        onUpstream(writer::drain);
        onContainer(writer::onWritePossible);
        onContainer(() -> writer.onError(new IOException("late")));

        assertThat(response.touches).hasSize(touches);
        assertThat(response.completions).hasValue(1);
        assertThat(response.violations).isEmpty();
    }

    /**
     * A failed write on an upstream thread: Tomcat has already handed an error to a container
     * thread, which will recycle the response once the error callbacks return. The writer
     * completes at once, tells the exchange once, and touches nothing more.
     */
    @Test
    void aWriteThatFailsOnAnUpstreamThreadCompletesThereAndNothingTouchesTheResponseAfterwards() throws Exception {
        writer.offer(bytes(10));
        onUpstream(writer::drain);
        response.clientGone = true;
        writer.offer(bytes(10));
        onUpstream(writer::drain);

        assertThat(response.completions).hasValue(1);
        assertThat(clientGone).hasValue(1);
        int touches = response.touches.size();

        onContainer(() -> writer.onError(new IOException("Connection reset by peer")));
        response.recycled = true;
        writer.offer(bytes(10));
        writer.offerEnd();
        onUpstream(writer::drain);

        assertThat(response.touches).hasSize(touches);
        assertThat(response.completions).hasValue(1);
        assertThat(response.violations).isEmpty();
    }

    /**
     * The race behind docs/tomcat-async-write-race.md: the container runs its error callback while
     * an upstream thread is still inside a write. The callback must not return (after which the
     * container recycles the response) before that write has left the response.
     */
    @Test
    void anErrorCallbackWaitsForAWriteInProgressOnAnotherThreadBeforeItReturns() throws Exception {
        CountDownLatch inWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        response.writeInProgress = inWrite;
        response.writeHeld = release;
        writer.offer(bytes(10));
        Future<?> producer = upstreamThread.submit(writer::drain);
        assertThat(inWrite.await(5, TimeUnit.SECONDS)).isTrue();

        Future<?> errorCallback = containerThread.submit(() -> writer.onError(new IOException("reset")));
        try {
            errorCallback.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("the error callback returned while a write was in progress");
        } catch (TimeoutException expected) {
            // Still waiting for the write, as it must.
        }
        release.countDown();
        errorCallback.get(5, TimeUnit.SECONDS);
        producer.get(5, TimeUnit.SECONDS);
        response.recycled = true;

        writer.offer(bytes(10));
        writer.offerEnd();
        onUpstream(writer::drain);

        assertThat(response.calls()).endsWith("write", "isReady", "flush", "complete");
        assertThat(response.touches.get(response.touches.size() - 1).thread()).isEqualTo("container");
        assertThat(response.completions).hasValue(1);
        assertThat(response.violations).isEmpty();
    }

    /**
     * A write that fails inside a container callback other than onWritePossible (Tomcat's read
     * callback, where the echo provider streams): Tomcat calls no error callback then, so the
     * writer must complete on that thread itself.
     */
    @Test
    void aWriteThatFailsInsideAContainerCallbackCompletesOnThatThread() throws Exception {
        response.clientGone = true;
        writer.offer(bytes(10));

        onContainer(writer::drain);

        assertThat(response.calls()).endsWith("write", "complete");
        assertThat(response.touches.get(response.touches.size() - 1).thread()).isEqualTo("container");
        assertThat(clientGone).hasValue(1);
    }

    @Test
    void theTimeoutCallbackWritesWhatItCanAndLeavesTheResponseEnded() throws Exception {
        writer.offer(bytes(10));
        onContainer(writer::finish);
        response.recycled = true;
        writer.offer(bytes(10));
        onUpstream(writer::drain);

        assertThat(response.written).hasSize(1);
        assertThat(response.completions).hasValue(1);
        assertThat(response.violations).isEmpty();
    }

    @Test
    void producersOnManyThreadsNeverOverlapInsideTheResponse() throws Exception {
        ExecutorService producers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                all.add(producers.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        writer.offer(bytes(1));
                        writer.drain();
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            producers.shutdownNow();
        }
        assertThat(response.written).hasSize(2000);
        assertThat(response.violations).isEmpty();
    }
}
