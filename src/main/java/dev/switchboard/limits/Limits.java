package dev.switchboard.limits;

/**
 * A token's budgets per minute; null means unlimited. Immutable.
 *
 * @param rpm requests per minute
 * @param tpm prompt plus completion tokens per minute
 */
public record Limits(Long rpm, Long tpm) {
    public static final Limits NONE = new Limits(null, null);

    public boolean isLimited() {
        return rpm != null || tpm != null;
    }
}
