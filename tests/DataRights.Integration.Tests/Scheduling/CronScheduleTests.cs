using DataRights.Host.Scheduling;

namespace DataRights.Integration.Tests.Scheduling;

public sealed class CronScheduleTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void NextAfter_WeekdayMorningSchedule_SkipsTheWeekendInLocalTime()
    {
        var schedule = new CronSchedule("0 0 8 * * 1-5", "Europe/London");

        // Friday 20 November 2026 09:00 UTC (GMT): next is Monday 23 November 08:00 GMT.
        Assert.Equal(Utc("2026-11-23T08:00:00Z"), schedule.NextAfter(Utc("2026-11-20T09:00:00Z")));
    }

    [Fact]
    public void NextAfter_InSummer_IsTheSameLocalHourAnHourEarlierInUtc()
    {
        var schedule = new CronSchedule("0 0 8 * * *", "Europe/London");

        Assert.Equal(Utc("2026-07-01T07:00:00Z"), schedule.NextAfter(Utc("2026-06-30T12:00:00Z")));
    }

    [Fact]
    public void NextAfter_TimeSkippedBySpringChange_RunsRightAfterTheGap()
    {
        var schedule = new CronSchedule("0 30 1 * * *", "Europe/London");

        // 28 March 2027: 01:00 GMT becomes 02:00 BST, so 01:30 does not exist; run at 02:00 BST (01:00 UTC).
        Assert.Equal(Utc("2027-03-28T01:00:00Z"), schedule.NextAfter(Utc("2027-03-27T12:00:00Z")));
    }

    [Fact]
    public void NextAfter_TimeRepeatedByAutumnChange_RunsOnce()
    {
        var schedule = new CronSchedule("0 30 1 * * *", "Europe/London");

        // 25 October 2026: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT). Run at the first only.
        var first = schedule.NextAfter(Utc("2026-10-24T12:00:00Z"));
        var second = schedule.NextAfter(first);

        Assert.Equal(Utc("2026-10-25T00:30:00Z"), first);
        Assert.Equal(Utc("2026-10-26T01:30:00Z"), second);
    }
}
