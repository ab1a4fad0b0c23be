package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.ledger.LedgerRow;
import dev.switchboard.llm.Usage;
import dev.switchboard.telemetry.RequestRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Builds a request's ledger row from its record when it is over. Stateless. */
final class LedgerRows {
    private LedgerRows() {
    }

    /**
     * The row of a finished request to a model endpoint.
     *
     * @param arrived when the request arrived, on the wall clock
     */
    static LedgerRow of(RequestRecord record, Caller caller, int status, long endNanos, Instant arrived, BigDecimal cost,
                        boolean estimated) {
        Usage usage = record.usage() == null ? Usage.NONE : record.usage();
        long ttft = record.firstTokenAfterNanos();
        return new LedgerRow(arrived, record.requestId(), caller.name(), caller.team() == null ? null : caller.team().name(),
                record.requestedModel(), record.model(), record.provider(), usage.promptTokens(),
                usage.completionTokens(), usage.cachedTokens(), usage.cacheWriteTokens(), usage.reasoningTokens(), cost,
                estimated, status, record.attempts(), TimeUnit.NANOSECONDS.toMillis(endNanos - record.startNanos()),
                ttft < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(ttft));
    }
}
