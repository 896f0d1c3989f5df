using DataRights.Core.Verification;

namespace DataRights.Core.Tests.Verification;

/// <summary>How a detail the requester gives is compared with what a source holds: the same detail typed differently still matches.</summary>
public sealed class GivenDataPointTests
{
    [Theory]
    [InlineData("ec1a 1aa", "EC1A 1AA")]
    [InlineData("41.99", "4199")]
    [InlineData("ＡＣＣ－１０４２", "ACC1042")]
    [InlineData("०७७००", "07700")]
    [InlineData("acc-١٠٤٢", "ACC1042")]
    public void Comparable_TheSameDetailTypedDifferently_IsTheSame(string typed, string held) =>
        Assert.Equal(GivenDataPoint.Comparable(held), GivenDataPoint.Comparable(typed));

    [Theory]
    [InlineData("07700 900123", "+44 7700 900123")]
    [InlineData("+44 (0)7700 900123", "07700900123")]
    [InlineData("００４４ ７７００ ９００１２３", "+447700900123")]
    [InlineData("+1 (415) 555-0100", "415 555 0100")]
    public void Comparable_APhoneNumberWithOrWithoutItsPrefix_IsTheSame(string typed, string held) =>
        Assert.Equal(GivenDataPoint.Comparable(GivenDataPoint.PhoneField, held), GivenDataPoint.Comparable(GivenDataPoint.PhoneField, typed));

    [Theory]
    [InlineData("07700 900123", "07700 900124")]
    [InlineData("+44 7700 900123", "+44 7701 900123")]
    public void Comparable_AnotherPhoneNumber_DiffersStill(string typed, string held) =>
        Assert.NotEqual(GivenDataPoint.Comparable(GivenDataPoint.PhoneField, held), GivenDataPoint.Comparable(GivenDataPoint.PhoneField, typed));

    [Fact]
    public void Comparable_AnotherFieldsDigits_AreAllCompared() =>
        Assert.NotEqual(GivenDataPoint.Comparable("account_id", "100700900123"), GivenDataPoint.Comparable("account_id", "200700900123"));

    [Fact]
    public void Comparable_NotValidUnicode_IsComparedAsItIs() =>
        Assert.Equal("AB", GivenDataPoint.Comparable("a\ud800b"));
}
