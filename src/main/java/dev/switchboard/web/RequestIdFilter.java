package dev.switchboard.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every response an {@code x-request-id}: the client's own when it sent a sane one (so a
 * trace can cross the gateway), otherwise a new one. Stateless; mapped first, on every path.
 */
public final class RequestIdFilter extends HttpFilter {
    public static final String HEADER = "x-request-id";
    public static final String ATTRIBUTE = RequestIdFilter.class.getName();
    private static final byte[] PREFIX = "req_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = request.getHeader(HEADER);
        if (id == null || !SANE.matcher(id).matches()) {
            id = newId();
        }
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        chain.doFilter(request, response);
    }

    /** 128 random bits in hex; request ids need uniqueness, not secrecy, so no SecureRandom. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Written into one array: one per request, where two hex strings and their concatenation were four.
        byte[] id = Arrays.copyOf(PREFIX, PREFIX.length + 32);
        hex(random.nextLong() | Long.MIN_VALUE, id, PREFIX.length);
        hex(random.nextLong() | Long.MIN_VALUE, id, PREFIX.length + 16);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** The 16 lower-case hex digits of {@code bits} at {@code offset}, as {@link Long#toHexString} writes one with its top bit set. */
    private static void hex(long bits, byte[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX_DIGITS[(int) (bits & 0xF)];
            bits >>>= 4;
        }
    }
}
