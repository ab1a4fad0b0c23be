package dev.switchboard.web;

import dev.switchboard.ledger.UsageQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The days one answer covers: from the UTC day holding {@code start_time} (or the one its
 * {@code page} cursor names) to {@code end_time}, at most {@code limit} of them. Immutable;
 * one per request.
 *
 * @param from the first bucket's day
 * @param to the day after the last bucket this page may hold
 * @param last the day after the last bucket of the whole range ({@code end_time})
 */
record UsagePage(Report report, LocalDate from, LocalDate to, LocalDate last, List<UsageQuery.GroupBy> groupBy) {
    static UsagePage of(Report report, Parameters parameters, Instant now) {
        long start = seconds(parameters.value("start_time"), "start_time");
        String endText = parameters.value("end_time");
        long end = endText == null ? now.getEpochSecond() + 1 : seconds(endText, "end_time");
        if (end <= start) {
            throw new BadParameter("end_time", "end_time must be after start_time.");
        }
        String width = parameters.value("bucket_width");
        if (width != null && !width.equals("1d")) {
            throw new BadParameter("bucket_width", "bucket_width '" + clip(width) + "' is not supported; use 1d.");
        }
        int limit = report.defaultBuckets;
        String limitText = parameters.value("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > report.maxBuckets) {
                throw new BadParameter("limit", "limit must be a whole number from 1 to " + report.maxBuckets
                        + " (buckets of a day).");
            }
        }
        Set<UsageQuery.GroupBy> groups = new LinkedHashSet<>();
        List<String> values = new ArrayList<>();
        for (String name : List.of("group_by", "group_by[]")) {
            String[] given = parameters.values(name);
            if (given != null) {
                for (String value : given) {
                    values.addAll(List.of(value.split(",")));
                }
            }
        }
        for (String value : values) {
            UsageQuery.GroupBy group = UsageQuery.GroupBy.of(value.trim());
            if (group == null) {
                throw new BadParameter("group_by", "group_by '" + clip(value) + "' is not supported; use token,"
                        + " team, model or provider.");
            }
            groups.add(group);
        }
        LocalDate first = day(start);
        // end_time is exclusive: the last day is the one holding its last second.
        LocalDate last = day(end - 1).plusDays(1);
        String cursor = parameters.value("page");
        LocalDate from = cursor == null ? first : UsageCursor.day(cursor);
        if (from == null || from.isBefore(first) || !from.isBefore(last)) {
            throw new BadParameter("page", "page must be the next_page of an earlier answer to the same query.");
        }
        LocalDate to = from.plusDays(limit).isBefore(last) ? from.plusDays(limit) : last;
        return new UsagePage(report, from, to, last, List.copyOf(groups));
    }

    private static long seconds(String text, String name) {
        if (text == null) {
            throw new BadParameter(name, name + " is required: a Unix time in seconds.");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadParameter(name, name + " must be a Unix time in seconds, not '" + clip(text) + "'.");
        }
    }

    private static LocalDate day(long epochSecond) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    private static String clip(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /**
     * The usage API's two reports, with the page sizes OpenAI's Costs and Usage APIs have for daily
     * buckets (docs/spend.md#pages), so that a client written for them pages the same. Stateless.
     */
    enum Report {
        COSTS(7, 180),
        COMPLETIONS(7, 31);

        /** Daily buckets returned when {@code limit} is not given. */
        final int defaultBuckets;
        /** The most daily buckets one page holds. */
        final int maxBuckets;

        Report(int defaultBuckets, int maxBuckets) {
            this.defaultBuckets = defaultBuckets;
            this.maxBuckets = maxBuckets;
        }
    }

    /** A request's parameters by name: all values of each, or null when absent. One per request. */
    interface Parameters {
        String[] values(String name);

        default String value(String name) {
            String[] values = values(name);
            return values == null || values.length == 0 ? null : values[0];
        }
    }

    /** A parameter that cannot be answered: a 400 naming it in {@code param}. Immutable. */
    static final class BadParameter extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        final String param;

        BadParameter(String param, String message) {
            super(message);
            this.param = param;
        }
    }
}
