using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;

namespace DataRights.Core.Tests.Retention;

public sealed class PurgeCutoffTests
{
    private static RetentionRule Rule(string maxAge, string countsFrom = RetentionEvents.Created) =>
        new() { Category = "a.b", MaxAge = maxAge, CountsFrom = countsFrom, Basis = "basis for the test" };

    [Theory]
    [InlineData("P28D", "2026-11-02", "2026-10-05")]
    [InlineData("P6M", "2026-11-02", "2026-05-02")]
    [InlineData("P7W", "2026-11-02", "2026-09-14")]
    [InlineData("P7Y", "2032-06-02", "2025-06-02")]
    [InlineData("P180D", "2026-11-02", "2026-05-06")]
    // 31 August + 6 months is the last day of February: records of 29-31 August end then, together.
    [InlineData("P6M", "2027-03-01", "2026-09-01")]
    [InlineData("P6M", "2027-02-28", "2026-08-28")]
    public void For_Created_RecordsBeforeTheCutoffHaveEndedTheirRetention(string maxAge, string today, string cutoff)
    {
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        var rule = Rule(maxAge);
        RetentionPolicyValidator.TryParseMaxAge(maxAge, out var period);

        var result = PurgeCutoff.For(rule, day);

        Assert.Equal(DateOnly.Parse(cutoff, System.Globalization.CultureInfo.InvariantCulture), result);
        Assert.True(period.From(result.AddDays(-1)) < day, "the day before the cutoff must be past its retention");
        Assert.True(period.From(result) >= day, "the cutoff day itself must still be within its retention");
    }

    [Fact]
    public void For_OneDayEitherSideOfTheLimit_OlderGoesYoungerStays()
    {
        var today = new DateOnly(2026, 11, 2);
        var cutoff = PurgeCutoff.For(Rule("P28D"), today);

        Assert.True(today.AddDays(-29) < cutoff);
        Assert.False(today.AddDays(-28) < cutoff);
        Assert.False(today.AddDays(-27) < cutoff);
    }

    [Theory]
    // Closed any time in October: gone from 1 November (the end of the calendar month of closure).
    [InlineData("P0D", "2026-11-01", "2026-11-01")]
    [InlineData("P0D", "2026-10-31", "2026-10-01")]
    // A month after the end of the month of closure: closed in September goes from 1 November.
    [InlineData("P1M", "2026-11-01", "2026-10-01")]
    public void For_EndOfCalendarMonthAfterClosure_CutsAtAMonthBoundary(string maxAge, string today, string cutoff) =>
        Assert.Equal(
            DateOnly.Parse(cutoff, System.Globalization.CultureInfo.InvariantCulture),
            PurgeCutoff.For(Rule(maxAge, RetentionEvents.EndOfCalendarMonthAfterClosure), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Of_ZeroPeriod_IsToday() => Assert.Equal(new DateOnly(2026, 3, 5), PurgeCutoff.Of(new RetentionPeriod(0, 0, 0, 0), new DateOnly(2026, 3, 5)));
}
