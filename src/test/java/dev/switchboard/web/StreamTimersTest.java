package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.time.ManualScheduler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timers of one stream, on a manual clock. */
class StreamTimersTest {
    private final ManualScheduler clock = new ManualScheduler();
    private final ResponseCommit commit = new ResponseCommit(new ResponseCommitTest.Recorder());

    /**
     * The stream opened on one thread and ended on another (the client left) before the first
     * armed its timers: the end's cancel found nothing to cancel, so arming must see the end and
     * leave nothing waiting on the timer, which would otherwise hold the exchange until the stream
     * limit fires.
     */
    @Test
    void timersArmedAfterTheStreamAlreadyEndedAreCancelledAtOnce() {
        StreamTimers timers = new StreamTimers(clock, commit, null, null);
        assertThat(commit.openStream(() -> new ResponseHead(200, "text/event-stream", -1, List.of())))
                .isEqualTo(ResponseCommit.Step.OPENED);
        assertThat(commit.abandon()).isEqualTo(ResponseCommit.Step.ENDED);
        timers.cancel();

        timers.opened(600_000, clock.nanoTime());

        assertThat(clock.pendingDelaysMillis()).isEmpty();
    }

    @Test
    void anOpenStreamKeepsItsKeepAliveAndItsLimit() {
        StreamTimers timers = new StreamTimers(clock, commit, null, null);
        commit.openStream(() -> new ResponseHead(200, "text/event-stream", -1, List.of()));

        timers.opened(600_000, clock.nanoTime());

        assertThat(clock.pendingDelaysMillis()).containsExactly(StreamTimers.KEEP_ALIVE_MILLIS, 600_000L);
    }
}
