package dev.switchboard.web;

import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.sse.SseEvent;
import java.util.List;

/**
 * The exchange as the provider's side sees it: every call counts as progress for the watchdog,
 * and whatever a call throws, an {@link Error} included, ends the exchange with a 500 or an error
 * event instead of unwinding into the caller's thread, which may be the timer or an I/O thread
 * serving every other upstream connection (docs/hostile-clients.md#every-exchange-ends). Per request.
 */
final class GuardedSink implements ResponseSink {
    private final ChatExchange exchange;
    private final StallWatch stallWatch;

    GuardedSink(ChatExchange exchange, StallWatch stallWatch) {
        this.exchange = exchange;
        this.stallWatch = stallWatch;
    }

    @Override
    public void streamStart() {
        stallWatch.progressed();
        try {
            exchange.streamStart();
        } catch (Throwable e) {
            exchange.crashed(e);
        }
    }

    @Override
    public void chunk(SseEvent event) {
        stallWatch.progressed();
        try {
            exchange.chunk(event);
        } catch (Throwable e) {
            exchange.crashed(e);
        }
    }

    @Override
    public void chunks(List<SseEvent> events) {
        stallWatch.progressed();
        try {
            exchange.chunks(events);
        } catch (Throwable e) {
            exchange.crashed(e);
        }
    }

    @Override
    public void streamEnd(Usage usage) {
        stallWatch.progressed();
        try {
            exchange.streamEnd(usage);
        } catch (Throwable e) {
            exchange.crashed(e);
        }
    }

    @Override
    public void completion(byte[] json, Usage usage) {
        stallWatch.progressed();
        try {
            exchange.completion(json, usage);
        } catch (Throwable e) {
            exchange.crashed(e);
        }
    }

    @Override
    public void fail(Failure failure) {
        stallWatch.progressed();
        try {
            exchange.fail(failure);
        } catch (Throwable e) {
            exchange.crashed(e);
        }
    }

    @Override
    public boolean hasRoom() {
        return exchange.hasRoom();
    }

    @Override
    public void whenRoom(Runnable resume) {
        exchange.whenRoom(resume);
    }
}
