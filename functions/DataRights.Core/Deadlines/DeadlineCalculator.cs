namespace DataRights.Core.Deadlines;

/// <summary>
/// Pure date arithmetic for the statutory clock. The ICO's rule for UK GDPR: the day of receipt is
/// day one, the due date is the same day number a month later, or that month's last day when it has
/// no such day; a due date on a weekend or bank holiday moves to the next working day.
/// </summary>
public sealed class DeadlineCalculator(HolidayCalendars calendars)
{
    /// <summary>The local date of receipt in the regime's time zone.</summary>
    public static DateOnly LocalDate(DeadlineRegime regime, DateTimeOffset instant)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(regime.TimeZoneId);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }

    public Deadline Compute(DeadlineRegime regime, DateTimeOffset receivedAt)
    {
        var receivedOn = LocalDate(regime, receivedAt);
        return new Deadline(regime.Key, receivedOn, DueFrom(regime, receivedOn), AcknowledgeBy(regime, receivedOn));
    }

    /// <summary>The due date for a request received on <paramref name="receivedOn"/>, before any pause or extension.</summary>
    public DateOnly DueFrom(DeadlineRegime regime, DateOnly receivedOn)
    {
        // DateOnly.AddMonths clamps 31 January + 1 month to the last day of February, as the rule requires.
        var due = receivedOn.AddMonths(regime.Months).AddDays(regime.Days);
        return regime.MoveToWorkingDay ? NextWorkingDay(regime, due) : due;
    }

    /// <summary>The due date after the regime's one extension (UK/EU: two further months; CCPA: 45 more days).</summary>
    public DateOnly Extend(DeadlineRegime regime, DateOnly dueOn)
    {
        var extended = dueOn.AddMonths(regime.ExtensionMonths).AddDays(regime.ExtensionDays);
        return regime.MoveToWorkingDay ? NextWorkingDay(regime, extended) : extended;
    }

    public DateOnly? AcknowledgeBy(DeadlineRegime regime, DateOnly receivedOn) =>
        regime.AcknowledgeWithinBusinessDays is { } days ? AddBusinessDays(regime, receivedOn, days) : null;

    /// <summary>The date itself when it is a working day, otherwise the next one.</summary>
    public DateOnly NextWorkingDay(DeadlineRegime regime, DateOnly date)
    {
        var calendar = calendars.Get(regime.HolidayCalendar);
        while (!IsWorkingDay(calendar, date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    public DateOnly AddBusinessDays(DeadlineRegime regime, DateOnly from, int days)
    {
        var calendar = calendars.Get(regime.HolidayCalendar);
        var date = from;
        for (var counted = 0; counted < days;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(calendar, date))
            {
                counted++;
            }
        }

        return date;
    }

    private static bool IsWorkingDay(IHolidayCalendar calendar, DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !calendar.IsHoliday(date);
}
