using DataRights.Core.Sources.Registry;

namespace DataRights.Core.Retention;

/// <summary>
/// The date before which records are past their limit. A record dated <c>d</c> is kept through the last
/// day of its retention (<see cref="RetentionPeriod.From"/>) and goes on any later day: with <c>P28D</c>,
/// a record 28 days old stays today and goes tomorrow.
/// </summary>
public static class PurgeCutoff
{
    /// <summary>Records dated before the returned day have ended their <paramref name="period"/> before <paramref name="today"/>.</summary>
    public static DateOnly Of(RetentionPeriod period, DateOnly today)
    {
        // Calendar periods are not invertible (31 March + 1 month = 30 April), but From is monotone:
        // start near the answer and step to the first day whose retention still covers today.
        var day = today.AddYears(-period.Years).AddMonths(-period.Months).AddDays(-((period.Weeks * 7) + period.Days));
        while (period.From(day.AddDays(-1)) >= today)
        {
            day = day.AddDays(-1);
        }

        while (period.From(day) < today)
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>The cutoff of a (valid) rule: for closure counted to the end of its month, the first day of the cutoff's month.</summary>
    public static DateOnly For(RetentionRule rule, DateOnly today)
    {
        if (!RetentionPolicyValidator.TryParseMaxAge(rule.MaxAge, out var period))
        {
            throw new ArgumentException($"The rule for {rule.Category} has no valid maximum age.", nameof(rule));
        }

        var cutoff = Of(period, today);

        // The month of closure ends, then the maximum age runs: closed in October with P0D -> gone from 1 November.
        return rule.CountsFrom == RetentionEvents.EndOfCalendarMonthAfterClosure ? new DateOnly(cutoff.Year, cutoff.Month, 1) : cutoff;
    }
}
