using System.Globalization;
using DataRights.Core.Deadlines;
using DataRights.Core.Requests;

namespace DataRights.Core.Tests.Deadlines;

public sealed class DeadlineCalculatorTests
{
    private static readonly DeadlineCalculator Calculator = new(HolidayCalendars.Default);
    private static readonly DeadlineRegime Uk = DeadlineRegimes.Default.For(Jurisdiction.UK);
    private static readonly DeadlineRegime Eu = DeadlineRegimes.Default.For(Jurisdiction.EU);
    private static readonly DeadlineRegime Ccpa = DeadlineRegimes.Default.For(Jurisdiction.UsCa);
    private static readonly DeadlineRegime Lgpd = DeadlineRegimes.Default.For(Jurisdiction.BR);

    [Theory]
    [InlineData("2025-09-03", "2025-10-03")] // Same day number a month later, a Friday.
    [InlineData("2027-04-25", "2027-05-25")] // A Tuesday, not a holiday.
    [InlineData("2025-01-31", "2025-02-28")] // February has no 31st: its last day.
    [InlineData("2028-01-31", "2028-02-29")] // Leap year.
    [InlineData("2025-03-31", "2025-04-30")] // April has no 31st.
    public void DueFrom_Uk_IsSameDayNextMonthOrItsLastDay(string received, string due)
    {
        Assert.Equal(Date(due), Calculator.DueFrom(Uk, Date(received)));
    }

    [Theory]
    [InlineData("2026-09-03", "2026-10-05")] // Saturday 3 Oct to Monday.
    [InlineData("2026-09-04", "2026-10-05")] // Sunday 4 Oct to Monday.
    [InlineData("2026-01-31", "2026-03-02")] // Clamped to Saturday 28 Feb, then Monday 2 Mar.
    public void DueFrom_UkDueOnWeekend_MovesToMonday(string received, string due)
    {
        Assert.Equal(Date(due), Calculator.DueFrom(Uk, Date(received)));
    }

    [Theory]
    [InlineData("2026-03-06", "2026-04-07")] // Easter Monday 6 Apr.
    [InlineData("2026-03-03", "2026-04-07")] // Good Friday 3 Apr, the weekend, Easter Monday.
    [InlineData("2026-11-25", "2026-12-29")] // Christmas Fri 25, weekend, Boxing Day substitute Mon 28.
    [InlineData("2027-11-27", "2027-12-29")] // Christmas substitute Mon 27, Boxing Day substitute Tue 28.
    [InlineData("2027-11-26", "2027-12-29")] // Sunday 26, then both substitutes.
    [InlineData("2026-12-01", "2027-01-04")] // New Year's Day Fri 1 Jan, then the weekend.
    [InlineData("2027-04-30", "2027-06-01")] // Sunday 30 May, then the spring bank holiday.
    [InlineData("2026-07-31", "2026-09-01")] // Summer bank holiday Mon 31 Aug.
    [InlineData("2025-11-26", "2025-12-29")] // Fri 26 Dec (Boxing Day) and the weekend.
    public void DueFrom_UkDueOnBankHoliday_MovesToNextWorkingDay(string received, string due)
    {
        Assert.Equal(Date(due), Calculator.DueFrom(Uk, Date(received)));
    }

    [Fact]
    public void DueFrom_UkWithConfiguredExtraHoliday_SkipsIt()
    {
        var calculator = new DeadlineCalculator(new HolidayCalendars([HolidayCalendars.Create(HolidayCalendars.EnglandAndWales, added: [Date("2026-10-05")])]));

        Assert.Equal(Date("2026-10-06"), calculator.DueFrom(Uk, Date("2026-09-03")));
    }

    [Fact]
    public void DueFrom_UkWithConfiguredRemovedHoliday_NoLongerSkipsIt()
    {
        var calculator = new DeadlineCalculator(new HolidayCalendars([HolidayCalendars.Create(HolidayCalendars.EnglandAndWales, removed: [Date("2026-04-06")])]));

        Assert.Equal(Date("2026-04-06"), calculator.DueFrom(Uk, Date("2026-03-06")));
    }

    [Theory]
    [InlineData("2026-06-30T23:30:00Z", "2026-07-01", "2026-08-03")] // 00:30 BST on 1 July; due Sat 1 Aug, so Mon 3.
    [InlineData("2026-06-30T22:59:59Z", "2026-06-30", "2026-07-30")] // 23:59:59 BST on 30 June.
    [InlineData("2026-01-15T23:59:59Z", "2026-01-15", "2026-02-16")] // GMT: the UTC date; due Sun 15 Feb, so Mon 16.
    [InlineData("2026-01-16T00:00:00Z", "2026-01-16", "2026-02-16")]
    [InlineData("2026-01-16T01:00:00+02:00", "2026-01-15", "2026-02-16")] // The caller's offset does not matter.
    [InlineData("2026-03-28T23:30:00Z", "2026-03-28", "2026-04-28")] // The night before clocks go forward: GMT.
    [InlineData("2026-03-29T00:30:00Z", "2026-03-29", "2026-04-29")] // Half an hour before they do.
    [InlineData("2026-10-24T23:30:00Z", "2026-10-25", "2026-11-25")] // The night clocks go back: still BST.
    [InlineData("2026-10-25T23:30:00Z", "2026-10-25", "2026-11-25")] // After: GMT again.
    public void Compute_Uk_CountsFromLocalDateInLondon(string receivedAt, string receivedOn, string dueOn)
    {
        var deadline = Calculator.Compute(Uk, Instant(receivedAt));

        Assert.Equal(new Deadline("uk-gdpr", Date(receivedOn), Date(dueOn), null), deadline);
    }

    [Fact]
    public void Compute_EuJustAfterMidnightInBrussels_CountsFromTheNextDay()
    {
        // 00:30 in Brussels on 1 July, still 23:30 on 30 June in London.
        var receivedAt = Instant("2026-06-30T22:30:00Z");

        var eu = Calculator.Compute(Eu, receivedAt);
        var uk = Calculator.Compute(Uk, receivedAt);

        Assert.Equal(new Deadline("eu-gdpr", Date("2026-07-01"), Date("2026-08-03"), null), eu);
        Assert.Equal(Date("2026-06-30"), uk.ReceivedOn);
    }

    [Fact]
    public void DueFrom_EuOnEnglishBankHoliday_IsNotMoved()
    {
        // Good Friday 2026 is a working day under the EU regime's weekends-only calendar.
        Assert.Equal(Date("2026-04-03"), Calculator.DueFrom(Eu, Date("2026-03-03")));
    }

    [Fact]
    public void DueFrom_EuOnWeekend_MovesToMonday()
    {
        Assert.Equal(Date("2026-10-05"), Calculator.DueFrom(Eu, Date("2026-09-03")));
    }

    [Theory]
    [InlineData("2026-06-30", "2026-08-14")]
    [InlineData("2026-07-01", "2026-08-15")] // A Saturday: CCPA counts calendar days and does not move it.
    [InlineData("2026-07-02", "2026-08-16")] // A Sunday: not moved either.
    [InlineData("2026-11-11", "2026-12-26")]
    public void DueFrom_Ccpa_Is45CalendarDaysLater(string received, string due)
    {
        Assert.Equal(Date(due), Calculator.DueFrom(Ccpa, Date(received)));
    }

    [Theory]
    [InlineData("2026-07-01", "2026-07-15")] // Wednesday: two weekends inside.
    [InlineData("2026-07-03", "2026-07-17")] // Friday.
    [InlineData("2026-07-04", "2026-07-17")] // Saturday: counting starts on Monday.
    [InlineData("2026-07-05", "2026-07-17")] // Sunday.
    [InlineData("2026-07-06", "2026-07-20")] // Monday.
    public void AcknowledgeBy_Ccpa_IsTenBusinessDaysLaterSkippingWeekends(string received, string acknowledgeBy)
    {
        Assert.Equal(Date(acknowledgeBy), Calculator.AcknowledgeBy(Ccpa, Date(received)));
    }

    [Theory]
    [InlineData("2026-11-20", "2026-12-08")] // Thanksgiving and the day after skipped; weekends only would say 4 December.
    [InlineData("2026-03-24", "2026-04-08")] // Cesar Chavez Day, Tuesday 31 March.
    [InlineData("2027-06-28", "2027-07-13")] // Independence Day on a Sunday: Monday 5 July skipped.
    [InlineData("2028-11-01", "2028-11-16")] // Veterans Day on a Saturday: Friday 10 November skipped.
    [InlineData("2026-06-26", "2026-07-10")] // Independence Day on a Saturday: nothing else skipped.
    public void AcknowledgeBy_Ccpa_SkipsCaliforniaStateHolidays(string received, string acknowledgeBy)
    {
        Assert.Equal(Date(acknowledgeBy), Calculator.AcknowledgeBy(Ccpa, Date(received)));
    }

    [Theory]
    [InlineData(HolidayCalendars.EnglandAndWales, "2026-12-02", "2027-01-04")] // Due Sat 2 Jan 2027: Monday.
    [InlineData(HolidayCalendars.Scotland, "2026-12-02", "2027-01-05")] // Monday 4 Jan is Scotland's 2 January holiday.
    [InlineData(HolidayCalendars.EnglandAndWales, "2026-10-30", "2026-11-30")]
    [InlineData(HolidayCalendars.Scotland, "2026-10-30", "2026-12-01")] // St Andrew's Day, Monday 30 November.
    [InlineData(HolidayCalendars.EnglandAndWales, "2026-05-15", "2026-06-15")]
    [InlineData(HolidayCalendars.Scotland, "2026-05-15", "2026-06-16")] // The World Cup holiday, 15 June 2026.
    [InlineData(HolidayCalendars.EnglandAndWales, "2027-02-17", "2027-03-17")]
    [InlineData(HolidayCalendars.NorthernIreland, "2027-02-17", "2027-03-18")] // St Patrick's Day.
    [InlineData(HolidayCalendars.EnglandAndWales, "2027-06-12", "2027-07-12")]
    [InlineData(HolidayCalendars.NorthernIreland, "2027-06-12", "2027-07-13")] // The Battle of the Boyne, Monday 12 July.
    [InlineData(HolidayCalendars.NorthernIreland, "2026-06-13", "2026-07-14")] // Due Mon 13 July 2026, the Boyne holiday (12th a Sunday).
    [InlineData(HolidayCalendars.EnglandAndWales, "2027-02-28", "2027-03-30")] // Due Sun 28 March, then Easter Monday.
    [InlineData(HolidayCalendars.Scotland, "2027-02-28", "2027-03-29")] // Scotland has no Easter Monday holiday.
    public void DueFrom_UkByNation_SkipsThatNationsBankHolidays(string calendar, string received, string due)
    {
        var uk = Uk with { HolidayCalendar = calendar };

        Assert.Equal(Date(due), Calculator.DueFrom(uk, Date(received)));
    }

    [Theory]
    [InlineData(HolidayCalendars.None, "2026-09-26", "2026-10-26")]
    [InlineData("ie", "2026-09-26", "2026-10-27")] // October bank holiday, Monday 26 October.
    [InlineData(HolidayCalendars.None, "2027-04-06", "2027-05-06")]
    [InlineData("de", "2027-04-06", "2027-05-07")] // Ascension Day, Thursday 6 May.
    [InlineData("fr", "2027-04-06", "2027-05-07")]
    [InlineData("nl", "2027-03-27", "2027-04-28")] // King's Day, Tuesday 27 April.
    [InlineData(HolidayCalendars.None, "2027-09-04", "2027-10-04")]
    [InlineData("it", "2027-09-04", "2027-10-05")] // St Francis of Assisi, Monday 4 October.
    [InlineData("pl", "2027-11-24", "2027-12-27")] // Christmas Eve Fri 24, then the weekend, 25 and 26 (Sat, Sun): Monday.
    [InlineData("se", "2026-05-19", "2026-06-22")] // Midsummer Eve Fri 19 June, then the weekend.
    public void DueFrom_EuByMemberState_EndsOnTheNextWorkingDayThere(string calendar, string received, string due)
    {
        var eu = Eu with { HolidayCalendar = calendar };

        Assert.Equal(Date(due), Calculator.DueFrom(eu, Date(received)));
    }

    [Fact]
    public void Compute_CcpaLateEveningInCalifornia_CountsFromCaliforniaDate()
    {
        // 23:30 PDT on 1 July, already 2 July in UTC.
        var deadline = Calculator.Compute(Ccpa, Instant("2026-07-02T06:30:00Z"));

        Assert.Equal(new Deadline("ccpa", Date("2026-07-01"), Date("2026-08-15"), Date("2026-07-15")), deadline);
    }

    [Theory]
    [InlineData("2026-06-30", "2026-07-15")]
    [InlineData("2026-07-03", "2026-07-18")] // A Saturday: not moved.
    public void DueFrom_Lgpd_Is15DaysLater(string received, string due)
    {
        Assert.Equal(Date(due), Calculator.DueFrom(Lgpd, Date(received)));
    }

    [Fact]
    public void Compute_LgpdLateEveningInSaoPaulo_CountsFromSaoPauloDateWithoutAcknowledgement()
    {
        // 23:00 in São Paulo on 30 June, already 1 July in UTC.
        var deadline = Calculator.Compute(Lgpd, Instant("2026-07-01T02:00:00Z"));

        Assert.Equal(new Deadline("lgpd", Date("2026-06-30"), Date("2026-07-15"), null), deadline);
    }

    [Theory]
    [InlineData("2026-12-24", "2026-12-24")] // Thursday: already a working day.
    [InlineData("2026-12-25", "2026-12-29")]
    [InlineData("2027-12-25", "2027-12-29")]
    public void NextWorkingDay_Uk_ReturnsDateOrNextWorkingDay(string date, string expected)
    {
        Assert.Equal(Date(expected), Calculator.NextWorkingDay(Uk, Date(date)));
    }

    [Fact]
    public void AddBusinessDays_UkOverChristmas_SkipsBankHolidaysAndWeekends()
    {
        // Thu 24 Dec 2026 + 1 business day: Fri 25, Sat, Sun, Mon 28 are all off.
        Assert.Equal(Date("2026-12-29"), Calculator.AddBusinessDays(Uk, Date("2026-12-24"), 1));
    }

    [Fact]
    public void LocalDate_London_IsDateOnLondonClock()
    {
        Assert.Equal(Date("2026-07-01"), DeadlineCalculator.LocalDate(Uk, Instant("2026-06-30T23:30:00Z")));
    }

    private static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
