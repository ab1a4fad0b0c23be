package dev.switchboard.limits;

/**
 * One set of per-minute limits a request counts against: its token's own, or its team's, which
 * all the team's tokens share (docs/configuration.md#teams). Immutable.
 */
public record Quota(Scope scope, String name, Limits limits) {
    /** Whose limits these are; a token and a team of the same name never share a bucket. */
    public enum Scope {
        TOKEN,
        TEAM
    }

    public static Quota token(String name, Limits limits) {
        return new Quota(Scope.TOKEN, name, limits);
    }

    public static Quota team(String name, Limits limits) {
        return new Quota(Scope.TEAM, name, limits);
    }

    /** How a refusal names it: {@code token 'ci-bot'}, {@code team 'research'}. */
    public String describe() {
        return (scope == Scope.TEAM ? "team '" : "token '") + name + "'";
    }
}
