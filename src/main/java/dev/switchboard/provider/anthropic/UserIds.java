package dev.switchboard.provider.anthropic;

import java.util.regex.Pattern;

/**
 * Which user ids may go to Anthropic as {@code metadata.user_id}: Anthropic wants an opaque id and
 * rejects personal data, so ids that look like an e-mail address or a phone number are not sent
 * (LiteLLM's rule, docs/protocols/openai-to-anthropic.md §1). Shared and stateless.
 */
final class UserIds {
    /**
     * A phone number is written with digits and the separators phone numbers use (space,
     * {@code ( ) . -}) and nothing else, and is marked as one in either of two ways:
     * <ul>
     * <li>at least {@link #MIN_PHONE_DIGITS} digits with a leading {@code +} or a parenthesised
     *     area code: {@code +4915112345678}, {@code +1 555 010 9999}, {@code (555) 010-9999};</li>
     * <li>or, written with separators only, at least {@link #MIN_NATIONAL_PHONE_DIGITS} digits,
     *     the length of a number with its area code: {@code 030 1234 5678},
     *     {@code 555.010.9999}.</li>
     * </ul>
     * Shorter numbers with separators are sent: they are as often dates ({@code 2024-01-15}) or
     * account and order numbers ({@code 1234-5678}) as local phone numbers. Bare digits are never
     * taken for a phone number: numeric user ids are common ({@code 12345678}), and LiteLLM's
     * looser rule dropped them all.
     */
    static final Pattern PHONE_CHARACTERS = Pattern.compile("\\+?[0-9(][0-9 ().-]*[0-9]");
    static final int MIN_PHONE_DIGITS = 7;
    static final int MIN_NATIONAL_PHONE_DIGITS = 10;
    private static final String PHONE_SEPARATORS = " ().-";

    private UserIds() {
    }

    /**
     * Whether {@code id} looks like an e-mail address (anything with an {@code @}, line breaks or
     * not: {@code "jane\n@example.com"}) or a phone number.
     */
    static boolean looksPersonal(String id) {
        if (id.indexOf('@') >= 0) {
            return true;
        }
        if (!PHONE_CHARACTERS.matcher(id).matches()) {
            return false;
        }
        long digits = id.chars().filter(Character::isDigit).count();
        boolean marked = id.startsWith("+") || id.indexOf('(') >= 0;
        boolean separated = id.chars().anyMatch(c -> PHONE_SEPARATORS.indexOf(c) >= 0);
        return marked ? digits >= MIN_PHONE_DIGITS : separated && digits >= MIN_NATIONAL_PHONE_DIGITS;
    }
}
