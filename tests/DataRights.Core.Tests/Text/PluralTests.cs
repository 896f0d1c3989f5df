using DataRights.Core.Text;

namespace DataRights.Core.Tests.Text;

public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "0 records")]
    [InlineData(1, "1 record")]
    [InlineData(3, "3 records")]
    [InlineData(12345, "12,345 records")]
    public void Count_Number_PicksSingularOrPlural(long count, string expected)
    {
        Assert.Equal(expected, Plural.Count(count, "record"));
    }

    [Fact]
    public void Count_IrregularPlural_UsesIt()
    {
        Assert.Equal("2 people", Plural.Count(2, "person", "people"));
        Assert.Equal("1 person", Plural.Count(1, "person", "people"));
    }

    [Theory]
    [InlineData("Our payment processor", "our payment processor")]
    [InlineData("The accountants", "the accountants")]
    [InlineData("Stripe Payments Europe", "Stripe Payments Europe")]
    [InlineData("Ourselves Ltd", "Ourselves Ltd")]
    public void InSentence_LeadingDescription_IsLowerCased(string name, string expected)
    {
        Assert.Equal(expected, Plural.InSentence(name));
    }

    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "a" }, "a")]
    [InlineData(new[] { "a", "b" }, "a and b")]
    [InlineData(new[] { "a", "b", "c" }, "a, b and c")]
    [InlineData(new[] { "x, for cards", "y" }, "x, for cards; and y")]
    public void List_Items_JoinAsASentence(string[] items, string expected)
    {
        Assert.Equal(expected, Plural.List(items));
    }
}
