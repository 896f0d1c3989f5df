using System.Globalization;
using DataRights.Core.Deadlines;

namespace DataRights.Core.Tests.Deadlines;

public sealed class EnglandAndWalesBankHolidaysTests
{
    // Dates as published at https://www.gov.uk/bank-holidays (England and Wales).
    [Theory]
    [InlineData(2021, "2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28")]
    [InlineData(2024, "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26")]
    [InlineData(2025, "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26")]
    [InlineData(2026, "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28")]
    [InlineData(2027, "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28")]
    public void ForYear_PublishedYear_EqualsGovUkList(int year, params string[] expected)
    {
        Assert.Equal(expected.Select(Date).Order(), EnglandAndWalesBankHolidays.ForYear(year).Order());
    }

    [Theory]
    [InlineData(2021, "2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28")]
    [InlineData(2026, "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28")]
    [InlineData(2027, "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28")]
    public void IsHoliday_EveryDayOfPublishedYear_TrueExactlyOnGovUkDates(int year, params string[] expected)
    {
        var calendar = new EnglandAndWalesBankHolidays();

        Assert.Equal(expected.Select(Date), DaysOf(year).Where(calendar.IsHoliday));
    }

    [Theory]
    [InlineData(2022, "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-05-30", "2022-08-29", "2022-12-26", "2022-12-27")]
    [InlineData(2023, "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26")]
    [InlineData(2028, "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26")]
    public void ForYear_NewYearOrChristmasOnWeekend_UsesSubstituteDays(int year, params string[] expected)
    {
        Assert.Equal(expected.Select(Date).Order(), EnglandAndWalesBankHolidays.ForYear(year).Order());
    }

    [Fact]
    public void IsHoliday_2022WithJubileeAndFuneralConfigured_EqualsGovUkList()
    {
        // 2022: the spring bank holiday moved to 2 June, an extra one on 3 June, and the Queen's funeral.
        var calendar = new EnglandAndWalesBankHolidays(
            added: [Date("2022-06-02"), Date("2022-06-03"), Date("2022-09-19")],
            removed: [Date("2022-05-30")]);

        string[] published =
        [
            "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
            "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27",
        ];
        Assert.Equal(published.Select(Date), DaysOf(2022).Where(calendar.IsHoliday));
    }

    [Fact]
    public void IsHoliday_2023WithCoronationConfigured_EqualsGovUkList()
    {
        var calendar = new EnglandAndWalesBankHolidays(added: [Date("2023-05-08")]);

        string[] published =
        [
            "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
            "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26",
        ];
        Assert.Equal(published.Select(Date), DaysOf(2023).Where(calendar.IsHoliday));
    }

    [Fact]
    public void IsHoliday_RemovedDate_IsNoLongerAHoliday()
    {
        // 2020: the early May bank holiday moved from Monday 4 to Friday 8 May (VE Day).
        var calendar = new EnglandAndWalesBankHolidays(added: [Date("2020-05-08")], removed: [Date("2020-05-04")]);

        Assert.False(calendar.IsHoliday(Date("2020-05-04")));
        Assert.True(calendar.IsHoliday(Date("2020-05-08")));
        Assert.True(calendar.IsHoliday(Date("2020-05-25")));
    }

    [Fact]
    public void IsHoliday_DefaultCalendar_HasNoConfiguredDates()
    {
        var calendar = new EnglandAndWalesBankHolidays();

        Assert.True(calendar.IsHoliday(Date("2020-05-04")));
        Assert.False(calendar.IsHoliday(Date("2020-05-08")));
    }

    [Fact]
    public void IsHoliday_OrdinaryWeekendDay_IsFalse()
    {
        // Weekends are not holidays; the calculator skips them separately.
        Assert.False(new EnglandAndWalesBankHolidays().IsHoliday(Date("2026-12-26")));
    }

    [Fact]
    public void Key_Always_IsEnglandAndWales()
    {
        Assert.Equal("england-and-wales", new EnglandAndWalesBankHolidays().Key);
        Assert.Equal(HolidayCalendars.EnglandAndWales, new EnglandAndWalesBankHolidays().Key);
    }

    [Theory]
    [InlineData(1818, 3, 22)]
    [InlineData(1943, 4, 25)]
    [InlineData(2000, 4, 23)]
    [InlineData(2008, 3, 23)]
    [InlineData(2011, 4, 24)]
    [InlineData(2019, 4, 21)]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void EasterSunday_KnownYear_ReturnsPublishedDate(int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), EnglandAndWalesBankHolidays.EasterSunday(year));
    }

    private static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<DateOnly> DaysOf(int year)
    {
        for (var date = new DateOnly(year, 1, 1); date.Year == year; date = date.AddDays(1))
        {
            yield return date;
        }
    }
}
