package dev.switchboard.provider.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The short, deterministic stand-in for an id a provider cannot take as it is: the first hex
 * digits of its SHA-256, so that every occurrence of one id maps to the same text and distinct ids
 * stay distinct. Stateless.
 */
public final class IdHash {
    private static final String ALGORITHM = "SHA-256";

    private IdHash() {
    }

    /** The first {@code hexDigits} (even, at most 64) hex digits of {@code id}'s SHA-256 over UTF-8. */
    public static String hex(String id, int hexDigits) {
        try {
            byte[] digest = MessageDigest.getInstance(ALGORITHM).digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, hexDigits / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + ALGORITHM, e);
        }
    }
}
