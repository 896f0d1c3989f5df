using DataRights.Core.Deadlines;

namespace DataRights.Core.Tests.Deadlines;

public sealed class HolidayCalendarsTests
{
    private static readonly DateOnly ChristmasDay2026 = new(2026, 12, 25);

    [Fact]
    public void Default_Always_HoldsEnglandAndWalesAndNone()
    {
        Assert.True(HolidayCalendars.Default.Contains(HolidayCalendars.EnglandAndWales));
        Assert.True(HolidayCalendars.Default.Contains(HolidayCalendars.None));
        Assert.True(HolidayCalendars.Default.Get(HolidayCalendars.EnglandAndWales).IsHoliday(ChristmasDay2026));
    }

    [Fact]
    public void Get_None_HasNoHolidays()
    {
        Assert.False(HolidayCalendars.Default.Get(HolidayCalendars.None).IsHoliday(ChristmasDay2026));
    }

    [Theory]
    [InlineData("England-And-Wales")]
    [InlineData("ENGLAND-AND-WALES")]
    public void Get_KeyInAnotherCase_FindsCalendar(string key)
    {
        Assert.Equal(HolidayCalendars.EnglandAndWales, HolidayCalendars.Default.Get(key).Key);
    }

    [Fact]
    public void Get_UnknownKey_ThrowsKeyNotFound()
    {
        Assert.False(HolidayCalendars.Default.Contains("atlantis"));
        Assert.Throws<KeyNotFoundException>(() => HolidayCalendars.Default.Get("atlantis"));
    }

    [Fact]
    public void Constructor_CalendarWithExistingKey_ReplacesIt()
    {
        var configured = HolidayCalendars.Create(HolidayCalendars.EnglandAndWales, removed: [ChristmasDay2026]);

        var calendars = new HolidayCalendars([configured]);

        Assert.Same(configured, calendars.Get(HolidayCalendars.EnglandAndWales));
        Assert.False(calendars.Get(HolidayCalendars.EnglandAndWales).IsHoliday(ChristmasDay2026));
    }

    [Fact]
    public void Constructor_NoCalendars_StillHoldsNone()
    {
        var calendars = new HolidayCalendars([]);

        Assert.True(calendars.Contains(HolidayCalendars.None));
        Assert.False(calendars.Contains(HolidayCalendars.EnglandAndWales));
    }

    [Fact]
    public void Create_ConfiguredDates_ApplyToTheirBuiltInCalendarOnlyAndOtherKeysBecomeLists()
    {
        var stAndrews = new DateOnly(2026, 11, 30);
        var maltaFreedomDay = new DateOnly(2026, 3, 31);

        var calendars = HolidayCalendars.Create(new Dictionary<string, (IEnumerable<DateOnly>, IEnumerable<DateOnly>)>
        {
            [HolidayCalendars.Scotland] = ([], [stAndrews]),
            ["mt"] = ([maltaFreedomDay], []),
        });

        Assert.False(calendars.Get(HolidayCalendars.Scotland).IsHoliday(stAndrews));
        Assert.True(calendars.Get(HolidayCalendars.Scotland).IsHoliday(ChristmasDay2026));
        Assert.True(calendars.Get("MT").IsHoliday(maltaFreedomDay));
        Assert.True(calendars.Get(HolidayCalendars.California).IsHoliday(ChristmasDay2026));
    }
}
