using DataRights.Core.Deadlines;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Workflow.TestRequests;

namespace DataRights.Core.Tests.Workflow;

public sealed class StatutoryClockTests
{
    [Fact]
    public void IsPaused_NoPauses_IsFalse()
    {
        Assert.False(StatutoryClock.IsPaused(RequestProgress.Empty));
    }

    [Fact]
    public void IsPaused_OpenPause_IsTrue()
    {
        var progress = StatutoryClock.Pause(RequestProgress.Empty, Date("2026-09-01"), "identity verification");

        Assert.True(StatutoryClock.IsPaused(progress));
    }

    [Fact]
    public void IsPaused_AllPausesClosed_IsFalse()
    {
        var progress = RequestProgress.Empty with { Pauses = [new ClockPause(Date("2026-09-01"), Date("2026-09-03"), "x")] };

        Assert.False(StatutoryClock.IsPaused(progress));
    }

    [Fact]
    public void Pause_WhenRunning_AddsOpenPauseFromToday()
    {
        var progress = StatutoryClock.Pause(RequestProgress.Empty, Date("2026-09-01"), "clarification");

        Assert.Equal([new ClockPause(Date("2026-09-01"), null, "clarification")], progress.Pauses);
    }

    [Fact]
    public void Pause_WhenAlreadyPaused_ChangesNothing()
    {
        var paused = StatutoryClock.Pause(RequestProgress.Empty, Date("2026-09-01"), "identity verification");

        var again = StatutoryClock.Pause(paused, Date("2026-09-04"), "clarification");

        Assert.Same(paused, again);
    }

    [Fact]
    public void Resume_WhenPaused_ClosesOpenPauseOnToday()
    {
        var paused = StatutoryClock.Pause(RequestProgress.Empty, Date("2026-09-01"), "identity verification");

        var resumed = StatutoryClock.Resume(paused, Date("2026-09-05"));

        Assert.Equal([new ClockPause(Date("2026-09-01"), Date("2026-09-05"), "identity verification")], resumed.Pauses);
        Assert.Equal(4, StatutoryClock.PausedDays(resumed));
    }

    [Fact]
    public void Resume_WhenRunning_ChangesNothing()
    {
        var progress = RequestProgress.Empty with { Pauses = [new ClockPause(Date("2026-09-01"), Date("2026-09-03"), "x")] };

        Assert.Same(progress, StatutoryClock.Resume(progress, Date("2026-09-09")));
    }

    [Fact]
    public void Resume_OnDayBeforePauseStarted_CountsNoDays()
    {
        var paused = StatutoryClock.Pause(RequestProgress.Empty, Date("2026-09-05"), "clarification");

        var resumed = StatutoryClock.Resume(paused, Date("2026-09-04"));

        Assert.Equal(Date("2026-09-05"), resumed.Pauses[0].Until);
        Assert.Equal(0, StatutoryClock.PausedDays(resumed));
    }

    [Fact]
    public void PausedDays_SeveralPauses_SumsClosedWholeDaysAndIgnoresOpenOne()
    {
        var progress = RequestProgress.Empty with
        {
            Pauses =
            [
                new ClockPause(Date("2026-09-01"), Date("2026-09-05"), "identity verification"),
                new ClockPause(Date("2026-09-10"), Date("2026-09-10"), "clarification"),
                new ClockPause(Date("2026-09-12"), Date("2026-09-15"), "clarification"),
                new ClockPause(Date("2026-09-20"), null, "clarification"),
            ],
        };

        Assert.Equal(7, StatutoryClock.PausedDays(progress));
    }

    [Theory]
    [InlineData(Jurisdiction.UK, "2025-01-31", 0, "2025-02-28")] // February's last day, a Friday.
    [InlineData(Jurisdiction.UK, "2026-01-31", 0, "2026-03-02")] // Saturday 28 February, so Monday.
    [InlineData(Jurisdiction.UK, "2028-01-31", 0, "2028-02-29")] // Leap year.
    [InlineData(Jurisdiction.UK, "2026-03-31", 0, "2026-04-30")] // April has no 31st.
    [InlineData(Jurisdiction.UK, "2026-01-28", 3, "2026-03-02")] // Counted from 31 Jan.
    [InlineData(Jurisdiction.UK, "2026-03-02", 4, "2026-04-07")] // From 6 Mar: 6 Apr is Easter Monday.
    [InlineData(Jurisdiction.UK, "2026-11-21", 4, "2026-12-29")] // From 25 Nov: Christmas, weekend, Boxing Day substitute.
    [InlineData(Jurisdiction.UK, "2026-07-27", 4, "2026-09-01")] // From 31 Jul: summer bank holiday.
    [InlineData(Jurisdiction.EU, "2026-03-02", 4, "2026-04-06")] // EU: Easter Monday is a working day.
    [InlineData(Jurisdiction.EU, "2026-01-31", 0, "2026-03-02")] // EU: weekends still roll forward.
    [InlineData(Jurisdiction.UsCa, "2026-07-01", 0, "2026-08-15")] // 45 calendar days, a Saturday, not moved.
    [InlineData(Jurisdiction.UsCa, "2028-01-01", 0, "2028-02-15")]
    [InlineData(Jurisdiction.BR, "2026-06-30", 0, "2026-07-15")] // LGPD: 15 days.
    [InlineData(Jurisdiction.BR, "2026-02-20", 0, "2026-03-07")] // Over February's end; a Saturday, not moved.
    [InlineData(Jurisdiction.BR, "2026-06-30", 2, "2026-07-17")]
    public void DueOn_PausedDays_CountsRegimePeriodFromReceiptPlusPausedDays(Jurisdiction jurisdiction, string receivedOn, int pausedDays, string due)
    {
        var progress = RequestProgress.Empty with
        {
            Pauses = pausedDays == 0 ? [] : [new ClockPause(Date("2026-01-01"), Date("2026-01-01").AddDays(pausedDays), "x")],
        };

        var dueOn = StatutoryClock.DueOn(DeadlineRegimes.Default.For(jurisdiction), Calculator, Date(receivedOn), progress);

        Assert.Equal(Date(due), dueOn);
    }

    [Fact]
    public void DueOn_OpenPause_DoesNotMoveDueDateYet()
    {
        var progress = StatutoryClock.Pause(RequestProgress.Empty, Date("2026-09-01"), "identity verification");

        var dueOn = StatutoryClock.DueOn(DeadlineRegimes.Default.For(Jurisdiction.UK), Calculator, Date("2026-09-01"), progress);

        Assert.Equal(Date("2026-10-01"), dueOn);
    }

    [Fact]
    public void DueOn_WithExtension_IsTheExtendedDate()
    {
        var progress = RequestProgress.Empty with
        {
            Extension = new ClockExtension(ReceivedAt, "staff:grace", "complex", Date("2026-12-01")),
        };

        var dueOn = StatutoryClock.DueOn(DeadlineRegimes.Default.For(Jurisdiction.UK), Calculator, Date("2026-09-01"), progress);

        Assert.Equal(Date("2026-12-01"), dueOn);
    }
}
