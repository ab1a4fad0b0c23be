package dev.switchboard.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Reads a small document's body into memory, failing the exchange once it passes its bound or
 * when the status is not 200: {@link UpstreamClient#get}. Per exchange.
 */
final class BoundedBodyConsumer extends org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer<byte[]> {
    private final int maxBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    BoundedBodyConsumer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) throws IOException {
        if (response.getCode() != 200) {
            throw new IOException("HTTP status " + response.getCode());
        }
    }

    @Override
    protected byte[] buildResult() {
        return body.toByteArray();
    }

    @Override
    protected int capacityIncrement() {
        return maxBytes;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
        if (body.size() + src.remaining() > maxBytes) {
            throw new IOException("the body is larger than " + maxBytes + " bytes");
        }
        byte[] chunk = new byte[src.remaining()];
        src.get(chunk);
        body.write(chunk);
    }

    @Override
    public void informationResponse(HttpResponse response, org.apache.hc.core5.http.protocol.HttpContext context) {
        // 1xx responses carry nothing for us.
    }

    @Override
    public void releaseResources() {
        // The body is dropped with this object.
    }
}
