using DataRights.Core.Deadlines;

namespace DataRights.Core.Tests.Deadlines;

public sealed class FixedHolidayCalendarTests
{
    [Fact]
    public void IsHoliday_ListedDate_IsTrueAndOthersFalse()
    {
        var calendar = new FixedHolidayCalendar("brazil", [new DateOnly(2026, 9, 7)]);

        Assert.True(calendar.IsHoliday(new DateOnly(2026, 9, 7)));
        Assert.False(calendar.IsHoliday(new DateOnly(2026, 9, 8)));
        Assert.False(calendar.IsHoliday(new DateOnly(2027, 9, 7)));
    }

    [Fact]
    public void Key_Constructed_IsTheGivenKey()
    {
        Assert.Equal("brazil", new FixedHolidayCalendar("brazil", []).Key);
    }
}
