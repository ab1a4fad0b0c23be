package dev.switchboard.auth;

import dev.switchboard.config.ConfigParser;
import dev.switchboard.config.TeamConfig;
import dev.switchboard.config.TokenConfig;
import dev.switchboard.limits.Limits;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Checks presented bearer tokens against the configured ones by SHA-256 digest, in constant time:
 * every configured digest is compared with {@link MessageDigest#isEqual}, with no early exit, so
 * timing reveals neither which token matched nor how much of one did. Built per configuration;
 * shared and immutable.
 */
public final class TokenVerifier {
    private final byte[][] digests;
    private final Caller[] callers;

    public TokenVerifier(List<TokenConfig> configured) {
        this(configured, Map.of());
    }

    /** @param teams the configuration's teams, by name, that tokens may belong to */
    public TokenVerifier(List<TokenConfig> configured, Map<String, TeamConfig> teams) {
        digests = new byte[configured.size()][];
        callers = new Caller[configured.size()];
        for (int i = 0; i < callers.length; i++) {
            TokenConfig token = configured.get(i);
            digests[i] = token.sha256();
            callers[i] = new Caller(token.name(), token.models(), new Limits(token.rpm(), token.tpm()),
                    token.metrics(), token.team() == null ? null : teams.get(token.team()), token.budget(), token.admin(),
                    token.maxConcurrent());
        }
    }

    /** The caller the token belongs to, or null. */
    public Caller verify(String presented) {
        byte[] digest = ConfigParser.sha256(presented);
        Caller match = null;
        for (int i = 0; i < digests.length; i++) {
            if (MessageDigest.isEqual(digest, digests[i]) && match == null) {
                match = callers[i];
            }
        }
        return match;
    }
}
