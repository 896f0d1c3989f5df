using DataRights.Core.Text;

namespace DataRights.Core.Tests.Text;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("jane@example.com", "jane@example.com")]
    [InlineData("  Jane.Doe@Example.COM  ", "jane.doe@example.com")]
    [InlineData("o'brien+dsr@mail.example.co.uk", "o'brien+dsr@mail.example.co.uk")]
    [InlineData("a!#$%&'*+/=?^_`{|}~-z@example.org", "a!#$%&'*+/=?^_`{|}~-z@example.org")]
    [InlineData("jane@sub-domain.example.com", "jane@sub-domain.example.com")]
    [InlineData("jane@bücher.de", "jane@xn--bcher-kva.de")]
    [InlineData("JANE@BÜCHER.DE", "jane@xn--bcher-kva.de")]
    [InlineData("jane@xn--bcher-kva.de", "jane@xn--bcher-kva.de")]
    [InlineData("jane@example.xn--p1ai", "jane@example.xn--p1ai")]
    [InlineData("1@2.io", "1@2.io")]
    public void TryNormalize_ValidAddress_ReturnsNormalForm(string input, string expected)
    {
        Assert.True(EmailAddress.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a@b")]
    [InlineData("a..b@example.com")]
    [InlineData("@example.com")]
    [InlineData("a@-example.com")]
    [InlineData("a@example-.com")]
    [InlineData("a@example.com-")]
    [InlineData("jane")]
    [InlineData("jane@")]
    [InlineData("jane@@example.com")]
    [InlineData("jane@doe@example.com")]
    [InlineData("jane doe@example.com")]
    [InlineData("\"jane doe\"@example.com")]
    [InlineData(".jane@example.com")]
    [InlineData("jane.@example.com")]
    [InlineData("jane@exam_ple.com")]
    [InlineData("jane@example")]
    [InlineData("jane@example.c")]
    [InlineData("jane@example.c0m")]
    [InlineData("jane@example..com")]
    [InlineData("jane@.example.com")]
    [InlineData("jane@example.com.")]
    [InlineData("jané@example.com")]
    [InlineData("jane@[192.0.2.1]")]
    [InlineData("jane@192.0.2.1")]
    public void TryNormalize_InvalidAddress_ReturnsFalseAndEmpty(string? input)
    {
        Assert.False(EmailAddress.TryNormalize(input, out var normalized));
        Assert.Equal(string.Empty, normalized);
    }

    [Fact]
    public void TryNormalize_LocalPartOf64Characters_IsAccepted()
    {
        Assert.True(EmailAddress.TryNormalize(new string('a', 64) + "@example.com", out _));
    }

    [Fact]
    public void TryNormalize_LocalPartOf65Characters_IsRefused()
    {
        Assert.False(EmailAddress.TryNormalize(new string('a', 65) + "@example.com", out _));
    }

    [Fact]
    public void TryNormalize_DomainLabelOf63Characters_IsAccepted()
    {
        Assert.True(EmailAddress.TryNormalize("jane@" + new string('a', 63) + ".com", out _));
    }

    [Fact]
    public void TryNormalize_DomainLabelOf64Characters_IsRefused()
    {
        Assert.False(EmailAddress.TryNormalize("jane@" + new string('a', 64) + ".com", out _));
    }

    [Fact]
    public void TryNormalize_AddressOf254Characters_IsAccepted()
    {
        var email = Address(254);

        Assert.True(EmailAddress.TryNormalize(email, out var normalized));
        Assert.Equal(email, normalized);
    }

    [Fact]
    public void TryNormalize_AddressOf255Characters_IsRefused()
    {
        Assert.False(EmailAddress.TryNormalize(Address(255), out _));
    }

    [Fact]
    public void TryNormalize_AddressOf254CharactersInPunycode_IsAccepted()
    {
        // 247 characters as typed, exactly 254 once the last label is in its ASCII form.
        var email = new string('l', 64) + "@" + new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 49) + "ü.com";

        Assert.True(EmailAddress.TryNormalize(email, out var normalized));
        Assert.Equal(254, normalized.Length);
        Assert.Contains("." + "xn--" + new string('c', 49) + "-", normalized, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_AddressLongerThan254OnlyAfterPunycode_IsRefused()
    {
        // 248 characters as typed, 255 once the last label is in its ASCII form.
        var email = new string('l', 64) + "@" + new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 50) + "ü.com";
        Assert.Equal(248, email.Length);

        Assert.False(EmailAddress.TryNormalize(email, out _));
    }

    // Labels of at most 63 characters and a 64-character local part: only the total length is at stake.
    private static string Address(int length)
    {
        var lastLabel = new string('c', length - 64 - 1 - 63 - 1 - 63 - 1 - 4);
        return $"{new string('l', 64)}@{new string('a', 63)}.{new string('b', 63)}.{lastLabel}.com";
    }
}
