using System.Globalization;
using DataRights.Core.Deadlines;

namespace DataRights.Core.Tests.Deadlines;

/// <summary>
/// Every built-in calendar, every day of 2026 to 2028, against the official lists: gov.uk/bank-holidays
/// for the UK nations (one-offs proclaimed so far included), CalHR's state holidays (Government Code
/// §19853) for California, and each member state's statutory list of public holidays for the EU.
/// </summary>
public sealed class OfficialHolidayListsTests
{
    [Theory]
    [InlineData(HolidayCalendars.EnglandAndWales, 2026, "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28")]
    [InlineData(HolidayCalendars.EnglandAndWales, 2027, "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28")]
    [InlineData(HolidayCalendars.EnglandAndWales, 2028, "01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26")]
    // Scotland: 2 January, no Easter Monday, summer holiday on the first Monday of August, St Andrew's Day;
    // 15 June 2026 proclaimed for the men's World Cup.
    [InlineData(HolidayCalendars.Scotland, 2026, "01-01 01-02 04-03 05-04 05-25 06-15 08-03 11-30 12-25 12-28")]
    [InlineData(HolidayCalendars.Scotland, 2027, "01-01 01-04 03-26 05-03 05-31 08-02 11-30 12-27 12-28")]
    [InlineData(HolidayCalendars.Scotland, 2028, "01-03 01-04 04-14 05-01 05-29 08-07 11-30 12-25 12-26")]
    // Northern Ireland: St Patrick's Day and the Battle of the Boyne (12 July, Monday 13 in 2026).
    [InlineData(HolidayCalendars.NorthernIreland, 2026, "01-01 03-17 04-03 04-06 05-04 05-25 07-13 08-31 12-25 12-28")]
    [InlineData(HolidayCalendars.NorthernIreland, 2027, "01-01 03-17 03-26 03-29 05-03 05-31 07-12 08-30 12-27 12-28")]
    [InlineData(HolidayCalendars.NorthernIreland, 2028, "01-03 03-17 04-14 04-17 05-01 05-29 07-12 08-28 12-25 12-26")]
    // California: Saturday holidays are not moved (4 July 2026, 25 December 2027, 1 January 2028);
    // Sunday ones move to Monday (5 July 2027); Veterans Day on Saturday 11 November 2028 moves to Friday 10.
    [InlineData(HolidayCalendars.California, 2026, "01-01 01-19 02-16 03-31 05-25 07-04 09-07 11-11 11-26 11-27 12-25")]
    [InlineData(HolidayCalendars.California, 2027, "01-01 01-18 02-15 03-31 05-31 07-05 09-06 11-11 11-25 11-26 12-25")]
    [InlineData(HolidayCalendars.California, 2028, "01-01 01-17 02-21 03-31 05-29 07-04 09-04 11-10 11-23 11-24 12-25")]
    [InlineData("at", 2026, "01-01 01-06 04-06 05-01 05-14 05-25 06-04 08-15 10-26 11-01 12-08 12-25 12-26")]
    [InlineData("at", 2027, "01-01 01-06 03-29 05-01 05-06 05-17 05-27 08-15 10-26 11-01 12-08 12-25 12-26")]
    [InlineData("at", 2028, "01-01 01-06 04-17 05-01 05-25 06-05 06-15 08-15 10-26 11-01 12-08 12-25 12-26")]
    [InlineData("be", 2026, "01-01 04-06 05-01 05-14 05-25 07-21 08-15 11-01 11-11 12-25")]
    [InlineData("be", 2027, "01-01 03-29 05-01 05-06 05-17 07-21 08-15 11-01 11-11 12-25")]
    [InlineData("be", 2028, "01-01 04-17 05-01 05-25 06-05 07-21 08-15 11-01 11-11 12-25")]
    [InlineData("de", 2026, "01-01 04-03 04-06 05-01 05-14 05-25 10-03 12-25 12-26")]
    [InlineData("de", 2027, "01-01 03-26 03-29 05-01 05-06 05-17 10-03 12-25 12-26")]
    [InlineData("de", 2028, "01-01 04-14 04-17 05-01 05-25 06-05 10-03 12-25 12-26")]
    [InlineData("es", 2026, "01-01 01-06 04-03 05-01 08-15 10-12 11-01 12-06 12-08 12-25")]
    [InlineData("es", 2027, "01-01 01-06 03-26 05-01 08-15 10-12 11-01 12-06 12-08 12-25")]
    [InlineData("es", 2028, "01-01 01-06 04-14 05-01 08-15 10-12 11-01 12-06 12-08 12-25")]
    [InlineData("fr", 2026, "01-01 04-06 05-01 05-08 05-14 05-25 07-14 08-15 11-01 11-11 12-25")]
    [InlineData("fr", 2027, "01-01 03-29 05-01 05-06 05-08 05-17 07-14 08-15 11-01 11-11 12-25")]
    [InlineData("fr", 2028, "01-01 04-17 05-01 05-08 05-25 06-05 07-14 08-15 11-01 11-11 12-25")]
    // Ireland: St Brigid's Day is the first Monday of February, or 1 February when that is a Friday.
    [InlineData("ie", 2026, "01-01 02-02 03-17 04-06 05-04 06-01 08-03 10-26 12-25 12-26")]
    [InlineData("ie", 2027, "01-01 02-01 03-17 03-29 05-03 06-07 08-02 10-25 12-25 12-26")]
    [InlineData("ie", 2028, "01-01 02-07 03-17 04-17 05-01 06-05 08-07 10-30 12-25 12-26")]
    // Italy: 4 October (St Francis of Assisi) a national holiday again from 2026 (Law 151/2025).
    [InlineData("it", 2026, "01-01 01-06 04-05 04-06 04-25 05-01 06-02 08-15 10-04 11-01 12-08 12-25 12-26")]
    [InlineData("it", 2027, "01-01 01-06 03-28 03-29 04-25 05-01 06-02 08-15 10-04 11-01 12-08 12-25 12-26")]
    [InlineData("it", 2028, "01-01 01-06 04-16 04-17 04-25 05-01 06-02 08-15 10-04 11-01 12-08 12-25 12-26")]
    [InlineData("lu", 2026, "01-01 04-06 05-01 05-09 05-14 05-25 06-23 08-15 11-01 12-25 12-26")]
    [InlineData("lu", 2027, "01-01 03-29 05-01 05-06 05-09 05-17 06-23 08-15 11-01 12-25 12-26")]
    [InlineData("lu", 2028, "01-01 04-17 05-01 05-09 05-25 06-05 06-23 08-15 11-01 12-25 12-26")]
    // Netherlands: the days of the Algemene termijnenwet (Good Friday is not one).
    [InlineData("nl", 2026, "01-01 04-06 04-27 05-05 05-14 05-25 12-25 12-26")]
    [InlineData("nl", 2027, "01-01 03-29 04-27 05-05 05-06 05-17 12-25 12-26")]
    [InlineData("nl", 2028, "01-01 04-17 04-27 05-05 05-25 06-05 12-25 12-26")]
    // Poland: Christmas Eve a public holiday since 2025.
    [InlineData("pl", 2026, "01-01 01-06 04-05 04-06 05-01 05-03 05-24 06-04 08-15 11-01 11-11 12-24 12-25 12-26")]
    [InlineData("pl", 2027, "01-01 01-06 03-28 03-29 05-01 05-03 05-16 05-27 08-15 11-01 11-11 12-24 12-25 12-26")]
    [InlineData("pl", 2028, "01-01 01-06 04-16 04-17 05-01 05-03 06-04 06-15 08-15 11-01 11-11 12-24 12-25 12-26")]
    // Sweden: public holidays plus Midsummer Eve, Christmas Eve and New Year's Eve, which Swedish deadlines also skip.
    [InlineData("se", 2026, "01-01 01-06 04-03 04-05 04-06 05-01 05-14 05-24 06-06 06-19 06-20 10-31 12-24 12-25 12-26 12-31")]
    [InlineData("se", 2027, "01-01 01-06 03-26 03-28 03-29 05-01 05-06 05-16 06-06 06-25 06-26 11-06 12-24 12-25 12-26 12-31")]
    [InlineData("se", 2028, "01-01 01-06 04-14 04-16 04-17 05-01 05-25 06-04 06-06 06-23 06-24 11-04 12-24 12-25 12-26 12-31")]
    public void ForYear_BuiltInCalendar_EqualsOfficialList(string key, int year, string official)
    {
        var calendar = (DatedCalendar)HolidayCalendars.Create(key);

        Assert.Equal(official.Split(' ').Select(d => Date($"{year}-{d}")), calendar.ForYear(year));
    }

    [Fact]
    public void BuiltInNames_EveryCalendar_IsCheckedAgainstAnOfficialListAbove()
    {
        var checkedKeys = typeof(OfficialHolidayListsTests).GetMethod(nameof(ForYear_BuiltInCalendar_EqualsOfficialList))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Equal(HolidayCalendars.BuiltInNames.Keys.Order(StringComparer.Ordinal), checkedKeys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(2020, "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28")] // Early May holiday moved to VE Day.
    [InlineData(2022, "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27")] // Jubilee and the Queen's funeral.
    [InlineData(2023, "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26")] // The coronation.
    public void ForYear_EnglandAndWalesOneOffYears_EqualGovUkWithoutConfiguration(int year, string official)
    {
        var calendar = (DatedCalendar)HolidayCalendars.Create(HolidayCalendars.EnglandAndWales);

        Assert.Equal(official.Split(' ').Select(d => Date($"{year}-{d}")), calendar.ForYear(year));
    }

    [Theory]
    [InlineData(HolidayCalendars.Scotland)]
    [InlineData("it")]
    [InlineData(HolidayCalendars.California)]
    public void Create_ConfiguredAddedAndRemovedDates_ChangeTheList(string key)
    {
        var first = ((DatedCalendar)HolidayCalendars.Create(key)).ForYear(2027)[0];
        var oneOff = new DateOnly(2027, 9, 15);

        var calendar = HolidayCalendars.Create(key, added: [oneOff], removed: [first]);

        Assert.True(calendar.IsHoliday(oneOff));
        Assert.False(calendar.IsHoliday(first));
    }

    [Fact]
    public void IsHoliday_OrdinaryWeekendDay_IsFalse()
    {
        // Weekends are not holidays; the calculator skips them separately.
        Assert.False(HolidayCalendars.Create(HolidayCalendars.EnglandAndWales).IsHoliday(Date("2026-12-26")));
    }

    private static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
