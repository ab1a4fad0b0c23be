package dev.switchboard.upstream;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.locks.Lock;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

/**
 * An upstream connection whose end of input only the first read of an input event may report; a
 * later read in the same event that finds the end reports nothing read yet. Per connection.
 *
 * <p>Why: HttpCore's chunked decoder (ChunkDecoder, 5.4) reads from the connection again at each
 * chunk's end, inside the same {@code read} call, and when that read finds the end of input it
 * throws "Premature end of chunk coded message body: closing chunk expected", discarding the
 * chunks it has already copied out in that call. So a provider that sends some chunks and then
 * drops the connection without the closing chunk lost everything it sent before the break
 * whenever the I/O thread read those chunks and the end in one go (a thread that ran late, as on
 * a loaded machine): the client got the stream's head and then only the error. Deferred to the
 * next input event (the end of input stays readable, so it comes at once), the end is read
 * before anything is in hand, and the chunks have been handed over by then: nothing a provider
 * sent before a break is lost (docs/errors.md#in-a-stream).
 */
final class EndDeferringSession implements IOSession {
    private final IOSession session;
    /** Whether the next read is the first of an input event. I/O thread only. */
    private boolean firstRead;

    EndDeferringSession(IOSession session) {
        this.session = session;
    }

    /** The reactor is about to hand this connection's input to its handler. */
    void inputEvent() {
        firstRead = true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        boolean mayEnd = firstRead;
        firstRead = false;
        int read = session.read(dst);
        return read == -1 && !mayEnd ? 0 : read;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return session.write(src);
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public void close(CloseMode closeMode) {
        session.close(closeMode);
    }

    @Override
    public String getId() {
        return session.getId();
    }

    @Override
    public IOEventHandler getHandler() {
        return session.getHandler();
    }

    @Override
    public void upgrade(IOEventHandler handler) {
        session.upgrade(handler);
    }

    @Override
    public Lock getLock() {
        return session.getLock();
    }

    @Override
    public void enqueue(Command command, Command.Priority priority) {
        session.enqueue(command, priority);
    }

    @Override
    public boolean hasCommands() {
        return session.hasCommands();
    }

    @Override
    public Command poll() {
        return session.poll();
    }

    @Override
    public ByteChannel channel() {
        return session.channel();
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return session.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return session.getLocalAddress();
    }

    @Override
    public int getEventMask() {
        return session.getEventMask();
    }

    @Override
    public void setEventMask(int ops) {
        session.setEventMask(ops);
    }

    @Override
    public void setEvent(int op) {
        session.setEvent(op);
    }

    @Override
    public void clearEvent(int op) {
        session.clearEvent(op);
    }

    @Override
    public Status getStatus() {
        return session.getStatus();
    }

    @Override
    public Timeout getSocketTimeout() {
        return session.getSocketTimeout();
    }

    @Override
    public void setSocketTimeout(Timeout timeout) {
        session.setSocketTimeout(timeout);
    }

    @Override
    public long getLastReadTime() {
        return session.getLastReadTime();
    }

    @Override
    public long getLastWriteTime() {
        return session.getLastWriteTime();
    }

    @Override
    public long getLastEventTime() {
        return session.getLastEventTime();
    }

    @Override
    public void updateReadTime() {
        session.updateReadTime();
    }

    @Override
    public void updateWriteTime() {
        session.updateWriteTime();
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
