using DataRights.Core.Sources.Registry;

namespace DataRights.Core.Tests.Sources;

public sealed class RetentionPeriodTests
{
    [Theory]
    [InlineData("P7Y", "2026-04-05", "2033-04-05")]
    [InlineData("P6M", "2026-08-31", "2027-02-28")]
    [InlineData("P28D", "2026-12-20", "2027-01-17")]
    [InlineData("P7W", "2026-01-01", "2026-02-19")]
    [InlineData("P180D", "2028-01-01", "2028-06-29")]
    [InlineData("P1Y6M", "2024-02-29", "2025-08-28")]
    public void From_AddsTheCalendarPeriod(string text, string from, string expected)
    {
        Assert.True(RetentionPeriod.TryParse(text, out var period));

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), period.From(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("7Y")]
    [InlineData("P-1D")]
    [InlineData("PT5H")]
    [InlineData("P101Y")]
    public void TryParse_NotAPeriodWeSupport_IsRefused(string text) => Assert.False(RetentionPeriod.TryParse(text, out _));
}
