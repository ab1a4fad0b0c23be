package dev.switchboard.telemetry;

import dev.switchboard.llm.Usage;

/**
 * What one request did, gathered while it runs, for its access-log line and its metrics. Per
 * request; fields are written by whichever thread learns them and read once, when the request
 * has completed.
 */
public final class RequestRecord {
    /** Longest requested-model text kept for the log: it is client input. */
    static final int MAX_REQUESTED_MODEL = 128;

    private final long startNanos;
    private final String requestId;
    private final String clientAddress;
    private volatile String tokenName;
    private volatile String teamName;
    private volatile String requestedModel;
    private volatile String model = GatewayMetrics.UNRESOLVED;
    private volatile String provider = GatewayMetrics.UNRESOLVED;
    private volatile boolean stream;
    private volatile int attempts;
    private volatile long firstTokenNanos = -1;
    private volatile Usage usage;
    private volatile long costPicoUsd;
    private volatile boolean usageEstimated;
    private volatile String traceId;

    public RequestRecord(long startNanos, String requestId, String clientAddress) {
        this.startNanos = startNanos;
        this.requestId = requestId;
        this.clientAddress = clientAddress;
    }

    public void token(String name) {
        tokenName = name;
    }

    /** The caller's team, or null for a token of no team. */
    public void team(String name) {
        teamName = name;
    }

    /** Kept printable and short: this one comes straight from the client. */
    public void requestedModel(String name) {
        StringBuilder clean = new StringBuilder(Math.min(name.length(), MAX_REQUESTED_MODEL));
        for (int i = 0; i < name.length() && clean.length() < MAX_REQUESTED_MODEL; i++) {
            char c = name.charAt(i);
            clean.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        requestedModel = clean.toString();
    }

    public void stream(boolean streamed) {
        stream = streamed;
    }

    /** The configured model and provider that served (or last tried to serve) the request. */
    public void target(String modelId, String providerId, int attemptCount) {
        model = modelId;
        provider = providerId;
        attempts = attemptCount;
    }

    /** Marks the first chunk that carried content; later calls are ignored. */
    public boolean firstToken(long nanos) {
        if (firstTokenNanos >= 0) {
            return false;
        }
        firstTokenNanos = nanos;
        return true;
    }

    public boolean hasFirstToken() {
        return firstTokenNanos >= 0;
    }

    /** The request's trace (32 hex digits), when it is traced. */
    public void traceId(String id) {
        traceId = id;
    }

    public String traceId() {
        return traceId;
    }

    public void usage(Usage reported) {
        usage = reported;
    }

    /**
     * What the request used and cost (docs/spend.md).
     *
     * @param picoUsd the cost in pico-dollars (10<sup>-12</sup> USD)
     * @param estimated whether the usage is Switchboard's estimate rather than the provider's report
     */
    public void usage(Usage used, long picoUsd, boolean estimated) {
        usage = used;
        costPicoUsd = picoUsd;
        usageEstimated = estimated;
    }

    public long startNanos() {
        return startNanos;
    }

    public String requestId() {
        return requestId;
    }

    public String clientAddress() {
        return clientAddress;
    }

    public String tokenName() {
        return tokenName;
    }

    public String teamName() {
        return teamName;
    }

    public String requestedModel() {
        return requestedModel;
    }

    public String model() {
        return model;
    }

    public String provider() {
        return provider;
    }

    public boolean isStream() {
        return stream;
    }

    public int attempts() {
        return attempts;
    }

    /** Nanoseconds from arrival to the first token, or -1. */
    public long firstTokenAfterNanos() {
        return firstTokenNanos < 0 ? -1 : firstTokenNanos - startNanos;
    }

    public Usage usage() {
        return usage;
    }

    /** The request's cost in pico-dollars; 0 until its usage is known. */
    public long costPicoUsd() {
        return costPicoUsd;
    }

    /** Whether {@link #usage()} is an estimate (a stream cut short before the provider reported it). */
    public boolean isUsageEstimated() {
        return usageEstimated;
    }
}
