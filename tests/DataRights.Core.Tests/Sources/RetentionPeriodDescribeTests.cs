using DataRights.Core.Sources.Registry;

namespace DataRights.Core.Tests.Sources;

public sealed class RetentionPeriodDescribeTests
{
    [Theory]
    [InlineData("P7Y", "7 years")]
    [InlineData("P1Y6M", "1 year and 6 months")]
    [InlineData("P7W", "7 weeks")]
    [InlineData("P28D", "28 days")]
    [InlineData("P1M", "1 month")]
    public void Describe_Period_ReadsAsPlainWords(string iso, string expected)
    {
        Assert.True(RetentionPeriod.TryParse(iso, out var period));

        Assert.Equal(expected, period.Describe());
    }
}
