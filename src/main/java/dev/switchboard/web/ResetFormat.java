package dev.switchboard.web;

/**
 * Writes a reset time the way OpenAI's {@code x-ratelimit-reset-*} headers do: {@code 20ms},
 * {@code 1s}, {@code 6m0s}, {@code 1h2m3s}. Stateless.
 */
final class ResetFormat {
    private ResetFormat() {
    }

    static String format(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = (millis + 999) / 1000;
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        return text.append(rest).append('s').toString();
    }
}
