package dev.switchboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The response consumer HttpClient calls on its I/O threads, driven without a socket: whatever the
 * handler throws, an Error included, reaches HttpClient as an IOException that aborts the exchange
 * (so the I/O thread lives on and the connection is discarded), and the handler hears of a failure
 * once.
 */
class RelayTest {
    /** A handler that throws {@code error} from the call named {@code at}, and records what it hears. */
    static final class Handler implements UpstreamHandler {
        final List<String> heard = new ArrayList<>();
        final String at;
        final Error error;

        Handler(String at, Error error) {
            this.at = at;
            this.error = error;
        }

        private void maybeThrow(String call) {
            heard.add(call);
            if (call.equals(at)) {
                throw error;
            }
        }

        @Override
        public void onResponse(UpstreamResponse response) {
            maybeThrow("response");
        }

        @Override
        public boolean onData(ByteBuffer data) {
            data.position(data.limit());
            maybeThrow("data");
            return true;
        }

        @Override
        public void onEnd() {
            maybeThrow("end");
        }

        @Override
        public void onFailure(UpstreamFailure failure) {
            heard.add("failure " + failure.kind());
        }
    }

    private static final FutureCallback<Void> RESULT = new FutureCallback<>() {
        @Override
        public void completed(Void result) {
        }

        @Override
        public void failed(Exception ex) {
        }

        @Override
        public void cancelled() {
        }
    };

    private static void respond(Relay relay) throws Exception {
        relay.consumeResponse(new BasicHttpResponse(200), new BasicEntityDetails(-1, ContentType.TEXT_EVENT_STREAM),
                null, RESULT);
    }

    @Test
    void anErrorInTheHandlersDataCallbackAbortsTheExchangeAndFailsTheHandlerOnce() throws Exception {
        Handler handler = new Handler("data", new OutOfMemoryError("injected"));
        Relay relay = new Relay(handler);
        respond(relay);

        assertThatThrownBy(() -> relay.consume(ByteBuffer.wrap("data: x\n\n".getBytes())))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> relay.consume(ByteBuffer.wrap("data: y\n\n".getBytes())))
                .as("nothing more reaches the handler").isInstanceOf(IOException.class);
        relay.failed(new IOException("HttpClient reports the abort"));

        assertThat(handler.heard).containsExactly("response", "data", "failure OTHER");
    }

    @Test
    void anErrorWhileTheResponseArrivesOrEndsIsTurnedIntoAFailureToo() throws Exception {
        Handler onResponse = new Handler("response", new StackOverflowError("injected"));
        assertThatThrownBy(() -> respond(new Relay(onResponse))).isInstanceOf(IOException.class);
        assertThat(onResponse.heard).containsExactly("response", "failure OTHER");

        Handler onEnd = new Handler("end", new StackOverflowError("injected"));
        Relay relay = new Relay(onEnd);
        respond(relay);
        assertThatThrownBy(() -> relay.streamEnd(List.of())).isInstanceOf(IOException.class);
        assertThat(onEnd.heard).containsExactly("response", "end", "failure OTHER");
    }
}
