using DataRights.Core.Metrics;

namespace DataRights.Core.Tests.Metrics;

public sealed class DayStatisticsTests
{
    [Theory]
    [InlineData(new[] { 5, 1, 3 }, 3.0)]
    [InlineData(new[] { 10, 1, 3, 2 }, 2.5)]
    [InlineData(new[] { 4, 4 }, 4.0)]
    [InlineData(new[] { 7 }, 7.0)]
    public void Median_OddCountIsTheMiddle_EvenCountTheMeanOfTheTwoMiddle(int[] days, double expected) =>
        Assert.Equal(expected, DayStatistics.Median(days));

    [Theory]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 9)] // rank ⌈9⌉ = 9
    [InlineData(new[] { 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, 10)] // rank ⌈9.9⌉ = 10
    [InlineData(new[] { 3, 1 }, 3)] // rank ⌈1.8⌉ = 2
    [InlineData(new[] { 7 }, 7)]
    [InlineData(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 40, 50 }, 30)] // rank 18 of 20 (linear interpolation would say 31)
    public void Percentile90_IsTheValueAtTheNearestRank(int[] days, int expected) =>
        Assert.Equal(expected, DayStatistics.Percentile90(days));

    [Fact]
    public void Median_AndPercentile90_OfNothing_AreNull()
    {
        Assert.Null(DayStatistics.Median([]));
        Assert.Null(DayStatistics.Percentile90([]));
    }
}
