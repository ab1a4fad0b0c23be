package dev.switchboard.provider.http;

import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Usage;
import dev.switchboard.provider.Attempt;
import dev.switchboard.provider.Failure;
import dev.switchboard.provider.ProviderCall;
import dev.switchboard.provider.ResponseSink;
import dev.switchboard.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One client request the provider takes in several upstream requests, one after another (Gemini's
 * {@code batchEmbedContents} takes at most 100 texts, docs/protocols/embeddings.md §2.4): each
 * part's answer is kept, and once the last has come the client gets them joined, in order. The
 * first failure is the attempt's, and the parts not yet sent are not. Only for answers that do not
 * stream. Per attempt; a part's callbacks start the next part, and {@link #cancel} may come from
 * any thread.
 */
final class PartedAttempt implements Attempt {
    private final ProviderCall call;
    private final List<ProviderCall> parts;
    private final ResponseSink clientSink;
    private final BiFunction<ProviderCall, ResponseSink, Attempt> startPart;
    private final BiFunction<ProviderCall, List<CompletionBody>, CompletionBody> join;
    private final List<CompletionBody> answers = new ArrayList<>();
    private Attempt current = Attempt.NONE;
    private boolean cancelled;

    /**
     * @param startPart starts one part's upstream request
     * @param join the client's answer from the parts' answers, in order
     */
    PartedAttempt(ProviderCall call, List<ProviderCall> parts, ResponseSink clientSink,
                  BiFunction<ProviderCall, ResponseSink, Attempt> startPart,
                  BiFunction<ProviderCall, List<CompletionBody>, CompletionBody> join) {
        this.call = call;
        this.parts = List.copyOf(parts);
        this.clientSink = clientSink;
        this.startPart = startPart;
        this.join = join;
    }

    /** Sends the first part. */
    Attempt start() {
        next();
        return this;
    }

    private void next() {
        ProviderCall part;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            part = parts.get(answers.size());
        }
        Attempt started = startPart.apply(part, new PartSink());
        synchronized (this) {
            current = started;
            if (cancelled) {
                started.cancel();
            }
        }
    }

    @Override
    public void cancel() {
        Attempt running;
        synchronized (this) {
            cancelled = true;
            running = current;
        }
        running.cancel();
    }

    /** Where one part answers. */
    private final class PartSink implements ResponseSink {
        @Override
        public void completion(byte[] json, Usage usage) {
            boolean last;
            synchronized (PartedAttempt.this) {
                if (cancelled) {
                    return;
                }
                answers.add(new CompletionBody(json, usage));
                last = answers.size() == parts.size();
            }
            if (!last) {
                next();
                return;
            }
            CompletionBody joined;
            try {
                joined = join.apply(call, answers);
            } catch (GatewayException e) {
                clientSink.fail(Failure.of(e.error()));
                return;
            }
            clientSink.completion(joined.json(), joined.usage());
        }

        @Override
        public void fail(Failure failure) {
            clientSink.fail(failure);
        }

        @Override
        public void chunk(SseEvent event) {
            throw new IllegalStateException("A request in parts does not stream.");
        }

        @Override
        public void streamEnd(Usage usage) {
            throw new IllegalStateException("A request in parts does not stream.");
        }

        @Override
        public boolean hasRoom() {
            return clientSink.hasRoom();
        }

        @Override
        public void whenRoom(Runnable resume) {
            clientSink.whenRoom(resume);
        }
    }
}
