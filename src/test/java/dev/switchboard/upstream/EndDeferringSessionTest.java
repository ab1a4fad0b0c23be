package dev.switchboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.impl.BasicHttpTransportMetrics;
import org.apache.hc.core5.http.impl.nio.ChunkDecoder;
import org.apache.hc.core5.http.nio.SessionInputBuffer;
import org.apache.hc.core5.reactor.IOSession;
import org.junit.jupiter.api.Test;

/**
 * A provider's chunked body that breaks off without its closing chunk, read by HttpCore's own
 * chunked decoder from a connection that has the chunks and the end of input at once (as an I/O
 * thread that ran late finds them), without a socket: the chunks reach the reader, and the break
 * is reported afterwards, on the next input event.
 */
class EndDeferringSessionTest {
    /** Two chunks and then the end of input, no closing chunk: MockUpstream.Reply.sseThenDrop as read in one go. */
    private static final String CHUNKS = "7\r\nfirst\n\n\r\n8\r\nsecond\n\n\r\n";

    /** A connection whose reads return {@code input} and then the end of input; nothing else is called. */
    private static IOSession connection(String input) {
        ByteBuffer left = ByteBuffer.wrap(input.getBytes(StandardCharsets.US_ASCII));
        return (IOSession) Proxy.newProxyInstance(IOSession.class.getClassLoader(), new Class<?>[] {IOSession.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("read")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    ByteBuffer dst = (ByteBuffer) args[0];
                    if (!left.hasRemaining()) {
                        return -1;
                    }
                    int n = Math.min(dst.remaining(), left.remaining());
                    ByteBuffer piece = left.slice();
                    piece.limit(n);
                    dst.put(piece);
                    left.position(left.position() + n);
                    return n;
                });
    }

    /** HttpCore's own decoder over the connection, with the session buffer its duplexer gives it (package-private there). */
    private static ChunkDecoder decoder(IOSession session) throws ReflectiveOperationException {
        Constructor<?> buffer = Class.forName("org.apache.hc.core5.http.impl.nio.SessionInputBufferImpl")
                .getDeclaredConstructor(int.class);
        buffer.setAccessible(true);
        return new ChunkDecoder(session, (SessionInputBuffer) buffer.newInstance(2048), new BasicHttpTransportMetrics());
    }

    private static String text(ByteBuffer read) {
        read.flip();
        return StandardCharsets.US_ASCII.decode(read).toString();
    }

    @Test
    void httpCoreAloneThrowsAwayTheChunksItReadWithTheEnd() throws Exception {
        // Why the session exists; should HttpCore stop doing this, the session can go.
        ChunkDecoder decoder = decoder(connection(CHUNKS));
        ByteBuffer read = ByteBuffer.allocate(2048);

        assertThatThrownBy(() -> decoder.read(read))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closing chunk expected");
        // The chunks were copied out, but read() threw instead of saying so: its caller never sees them.
        assertThat(read.position()).isEqualTo("first\n\nsecond\n\n".length());
    }

    @Test
    void theChunksBeforeABreakAreHandedOverAndTheBreakIsReportedOnTheNextInputEvent() throws Exception {
        EndDeferringSession session = new EndDeferringSession(connection(CHUNKS));
        ChunkDecoder decoder = decoder(session);
        ByteBuffer read = ByteBuffer.allocate(2048);

        session.inputEvent();
        int bytes = decoder.read(read);

        assertThat(bytes).isEqualTo("first\n\nsecond\n\n".length());
        assertThat(text(read)).isEqualTo("first\n\nsecond\n\n");

        session.inputEvent();
        assertThatThrownBy(() -> decoder.read(ByteBuffer.allocate(2048)))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closing chunk expected");
    }

    @Test
    void theFirstReadOfAnInputEventReportsTheEndAtOnce() throws Exception {
        // An idle pooled connection that the provider closed is seen closed in the event that finds it.
        EndDeferringSession session = new EndDeferringSession(connection(""));

        session.inputEvent();
        assertThat(session.read(ByteBuffer.allocate(16))).isEqualTo(-1);
    }

    @Test
    void aLaterReadOfTheSameEventReportsNothingYetInsteadOfTheEnd() throws Exception {
        EndDeferringSession session = new EndDeferringSession(connection("ab"));
        ByteBuffer dst = ByteBuffer.allocate(16);

        session.inputEvent();
        assertThat(session.read(dst)).isEqualTo(2);
        assertThat(session.read(dst)).isZero();
        session.inputEvent();
        assertThat(session.read(dst)).isEqualTo(-1);
    }
}
