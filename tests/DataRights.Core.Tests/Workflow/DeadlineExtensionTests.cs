using DataRights.Core.Deadlines;
using DataRights.Core.Requests;
using static DataRights.Core.Tests.Workflow.TestRequests;

namespace DataRights.Core.Tests.Workflow;

/// <summary><see cref="DeadlineCalculator.Extend"/>: the one extension each regime allows.</summary>
public sealed class DeadlineExtensionTests
{
    [Theory]
    [InlineData(Jurisdiction.UK, "2026-10-01", "2026-12-01")]
    [InlineData(Jurisdiction.UK, "2025-12-31", "2026-03-02")] // 28 Feb 2026 is a Saturday.
    [InlineData(Jurisdiction.UK, "2026-12-31", "2027-03-01")] // Sunday 28 Feb 2027.
    [InlineData(Jurisdiction.UK, "2027-12-31", "2028-02-29")] // Leap year.
    [InlineData(Jurisdiction.UK, "2026-10-26", "2026-12-29")] // Saturday 26 Dec, then both Christmas substitutes.
    [InlineData(Jurisdiction.UK, "2026-03-02", "2026-05-05")] // Saturday 2 May, then the early May bank holiday.
    [InlineData(Jurisdiction.EU, "2026-10-26", "2026-12-28")] // Weekends only.
    [InlineData(Jurisdiction.EU, "2026-03-02", "2026-05-04")]
    [InlineData(Jurisdiction.EU, "2025-12-31", "2026-03-02")]
    public void Extend_UkAndEu_AddsTwoMonthsToCurrentDueDateAndRollsToWorkingDay(Jurisdiction jurisdiction, string due, string extended)
    {
        Assert.Equal(Date(extended), Calculator.Extend(DeadlineRegimes.Default.For(jurisdiction), Date(due)));
    }

    [Theory]
    [InlineData("2026-02-15", "2026-04-01")]
    [InlineData("2028-02-15", "2028-03-31")] // Leap year: 29 February counts.
    [InlineData("2026-08-15", "2026-09-29")] // From a Saturday.
    [InlineData("2026-11-16", "2026-12-31")] // Lands on a holiday-season date: CCPA counts calendar days, never moved.
    public void Extend_Ccpa_AddsFortyFiveCalendarDays(string due, string extended)
    {
        Assert.Equal(Date(extended), Calculator.Extend(DeadlineRegimes.Default.For(Jurisdiction.UsCa), Date(due)));
    }

    [Fact]
    public void Extend_CcpaAfterFirstPeriod_GivesNinetyDaysFromReceipt()
    {
        var ccpa = DeadlineRegimes.Default.For(Jurisdiction.UsCa);
        var receivedOn = Date("2026-01-01");

        var extended = Calculator.Extend(ccpa, Calculator.DueFrom(ccpa, receivedOn));

        Assert.Equal(receivedOn.AddDays(90), extended);
    }

    [Theory]
    [InlineData(Jurisdiction.BR)]
    [InlineData(Jurisdiction.IN)]
    [InlineData(Jurisdiction.Other)]
    public void Extend_RegimeWithoutExtension_LeavesDueDateAsIs(Jurisdiction jurisdiction)
    {
        var regime = DeadlineRegimes.Default.For(jurisdiction);

        Assert.Equal((0, 0), (regime.ExtensionMonths, regime.ExtensionDays));
        Assert.Equal(Date("2026-07-15"), Calculator.Extend(regime, Date("2026-07-15")));
    }
}
