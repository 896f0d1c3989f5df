using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;

namespace DataRights.Core.Tests.Sources;

public sealed class CategoryNamesTests
{
    private static readonly SourceRegistration Billing = new()
    {
        Key = "billing",
        Categories = [new CategoryPolicy { Key = "billing.invoice", DisplayName = "Invoices" }, new CategoryPolicy { Key = "contact.email" }],
    };

    [Fact]
    public void Of_RegisteredCategory_IsItsDisplayName() => Assert.Equal("Invoices", CategoryNames.Of(Billing, "billing.invoice"));

    [Fact]
    public void Of_StoredWithoutDisplayName_IsMadeFromTheKey() => Assert.Equal("Contact email", CategoryNames.Of(Billing, "contact.email"));

    [Theory]
    [InlineData("telephony.third_party_recording", "Telephony third party recording")]
    [InlineData(RetainedRecords.LegalHoldCategory, "Records under a legal hold")]
    [InlineData(RetainedRecords.CountedByHandCategory, "Records")]
    public void Of_UnregisteredCategory_ReadsAsWords(string key, string expected) => Assert.Equal(expected, CategoryNames.Of(null, key));

    [Fact]
    public void CategoryName_Descriptor_UsesTheRegisteredName()
    {
        var source = new DataSourceDescriptor("billing", "Billing", SourceAccess.ReadWrite, "eu-west") { CategoryNames = new Dictionary<string, string> { ["billing.invoice"] = "Invoices" } };

        Assert.Equal("Invoices", source.CategoryName("billing.invoice"));
        Assert.Equal("Billing payment card", source.CategoryName("billing.payment_card"));
    }
}
