using DataRights.Host.Exports;

namespace DataRights.Integration.Tests.Exports;

public sealed class ExportFileNamesTests
{
    [Theory]
    [InlineData("Call recordings (metadata)", "Call recordings metadata")]
    [InlineData("Text message (SMS) records", "Text message SMS records")]
    [InlineData("billing.invoice", "billing invoice")]
    [InlineData("  Notes / on: your  account?  ", "Notes on your account")]
    [InlineData("Pre-paid top-ups", "Pre-paid top-ups")]
    [InlineData("Adresse électronique", "Adresse électronique")]
    [InlineData("../../etc/passwd", "etc passwd")]
    [InlineData("***", "Records")]
    [InlineData("con", "con records")]
    [InlineData("LPT1", "LPT1 records")]
    public void Safe_DisplayName_KeepsLettersDigitsSpacesAndHyphens(string displayName, string expected) =>
        Assert.Equal(expected, ExportFileNames.Safe(displayName, "Records"));

    [Fact]
    public void Take_SameNameTwice_SecondGetsASuffixIgnoringCase()
    {
        var names = new ExportFileNames("index.html", "portable");

        Assert.Equal("Billing", names.Take(string.Empty, "Billing", string.Empty, "Records"));
        Assert.Equal("billing-2", names.Take(string.Empty, "billing", string.Empty, "Records"));
        Assert.Equal("Portable-2", names.Take(string.Empty, "Portable", string.Empty, "Records"));
        Assert.Equal("Billing/Invoices.csv", names.Take("Billing/", "Invoices", ".csv", "Records"));
        Assert.Equal("Billing/Invoices-2.csv", names.Take("Billing/", "Invoices", ".csv", "Records"));
        Assert.Equal("Billing-2/Invoices.csv", names.Take("Billing-2/", "Invoices", ".csv", "Records"));
    }

    [Fact]
    public void Safe_LongName_IsCutAtSixtyCharacters() =>
        Assert.Equal(new string('a', 60), ExportFileNames.Safe(new string('a', 100), "Records"));
}
