package dev.switchboard.identity;

import dev.switchboard.auth.Caller;

/**
 * What checking one JWT found: the caller, or why it is refused, with a message for the client
 * that never repeats the token. Immutable.
 *
 * @param caller the authenticated caller, or null when refused
 * @param refusal why it is refused, or null when accepted
 * @param message what the client is told when refused
 */
public record JwtOutcome(Caller caller, Refusal refusal, String message) {
    /** Why a token is refused; each maps to one client-facing error. */
    public enum Refusal {
        /** Malformed, unsigned, badly signed, expired, not yet valid, of another issuer or audience: a 401. */
        INVALID_TOKEN,
        /** Valid, but none of the caller's groups maps to a team and the issuer has no default team: a 403. */
        NO_TEAM,
        /** The issuer's keys could never be fetched, so no token of it can be checked yet: a 503. */
        KEYS_UNAVAILABLE
    }

    static JwtOutcome accepted(Caller caller) {
        return new JwtOutcome(caller, null, null);
    }

    static JwtOutcome invalid(String message) {
        return new JwtOutcome(null, Refusal.INVALID_TOKEN, message);
    }

    static JwtOutcome refused(Refusal refusal, String message) {
        return new JwtOutcome(null, refusal, message);
    }
}
