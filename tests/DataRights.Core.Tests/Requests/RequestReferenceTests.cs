using DataRights.Core.Requests;

namespace DataRights.Core.Tests.Requests;

public sealed class RequestReferenceTests
{
    [Theory]
    [InlineData(2026, 123, "DR-2026-000123")]
    [InlineData(2026, 1, "DR-2026-000001")]
    [InlineData(2027, 999999, "DR-2027-999999")]
    public void Format_YearAndNumber_PadsToSixDigits(int year, long number, string expected)
    {
        Assert.Equal(expected, RequestReference.Format(year, number));
    }

    [Fact]
    public void Format_NumberAboveSixDigits_KeepsEveryDigit()
    {
        Assert.Equal("DR-2026-1234567", RequestReference.Format(2026, 1234567));
    }
}
