package dev.switchboard.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The period a budget covers: a UTC calendar day, ISO week (from Monday), month, or all time
 * (docs/spend.md#budgets). Stateless.
 */
public enum BudgetPeriod {
    DAY,
    WEEK,
    MONTH,
    TOTAL;

    /** The first day of all time: a {@link #TOTAL} budget counts from here. */
    public static final LocalDate BEGINNING = LocalDate.of(1970, 1, 1);

    /** The name used in the configuration file and in messages. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The period of this name, or null. */
    public static BudgetPeriod fromConfigName(String name) {
        for (BudgetPeriod period : values()) {
            if (period.configName().equals(name)) {
                return period;
            }
        }
        return null;
    }

    /** The first UTC day of the period that holds {@code day}. */
    public LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case TOTAL -> BEGINNING;
        };
    }

    /** The first UTC day of the period that holds {@code now}. */
    public LocalDate start(Instant now) {
        return start(LocalDate.ofInstant(now, ZoneOffset.UTC));
    }

    /** When the period that starts on {@code start} ends and the next begins, or null for {@link #TOTAL}. */
    public Instant reset(LocalDate start) {
        LocalDate next = switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case TOTAL -> null;
        };
        return next == null ? null : next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
