using DataRights.Core.Text;

namespace DataRights.Core.Tests.Text;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("Jane Doe")]
    [InlineData("Zoë Ñúñez-O'Brien")]
    [InlineData("李小龍")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("")]
    public void HasForbiddenCharacters_OrdinaryText_IsFalse(string value)
    {
        Assert.False(TextRules.HasForbiddenCharacters(value, multiLine: false));
        Assert.False(TextRules.HasForbiddenCharacters(value, multiLine: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HasForbiddenCharacters_ValidSurrogatePair_IsFalse(bool multiLine)
    {
        Assert.False(TextRules.HasForbiddenCharacters("Smile \U0001F600 \U0001F44D\U0001F3FD", multiLine));
    }

    [Theory]
    [InlineData(0x0009)]
    [InlineData(0x000A)]
    [InlineData(0x000D)]
    public void HasForbiddenCharacters_TabOrLineBreakInSingleLine_IsTrue(int codeUnit)
    {
        Assert.True(TextRules.HasForbiddenCharacters(Around(codeUnit), multiLine: false));
    }

    [Theory]
    [InlineData(0x0009)]
    [InlineData(0x000A)]
    [InlineData(0x000D)]
    public void HasForbiddenCharacters_TabOrLineBreakInMultiLine_IsFalse(int codeUnit)
    {
        Assert.False(TextRules.HasForbiddenCharacters(Around(codeUnit), multiLine: true));
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0001)]
    [InlineData(0x0008)]
    [InlineData(0x000B)]
    [InlineData(0x000C)]
    [InlineData(0x001B)]
    [InlineData(0x001F)]
    [InlineData(0x007F)]
    [InlineData(0x0085)]
    [InlineData(0x009F)]
    public void HasForbiddenCharacters_ControlCharacter_IsTrueInBothModes(int codeUnit)
    {
        Assert.True(TextRules.HasForbiddenCharacters(Around(codeUnit), multiLine: false));
        Assert.True(TextRules.HasForbiddenCharacters(Around(codeUnit), multiLine: true));
    }

    [Theory]
    [InlineData(0x202A)]
    [InlineData(0x202B)]
    [InlineData(0x202C)]
    [InlineData(0x202D)]
    [InlineData(0x202E)]
    [InlineData(0x2066)]
    [InlineData(0x2067)]
    [InlineData(0x2068)]
    [InlineData(0x2069)]
    public void HasForbiddenCharacters_BidiEmbeddingOverrideOrIsolate_IsTrueInBothModes(int codeUnit)
    {
        Assert.True(TextRules.HasForbiddenCharacters(Around(codeUnit), multiLine: false));
        Assert.True(TextRules.HasForbiddenCharacters(Around(codeUnit), multiLine: true));
    }

    [Fact]
    public void HasForbiddenCharacters_NarrowNoBreakSpaceJustAfterOverrides_IsFalse()
    {
        Assert.False(TextRules.HasForbiddenCharacters(Around(0x202F), multiLine: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HasForbiddenCharacters_LoneHighSurrogateInMiddle_IsTrue(bool multiLine)
    {
        Assert.True(TextRules.HasForbiddenCharacters(Around(0xD83D), multiLine));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HasForbiddenCharacters_LoneHighSurrogateAtEnd_IsTrue(bool multiLine)
    {
        Assert.True(TextRules.HasForbiddenCharacters("abc" + (char)0xD83D, multiLine));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HasForbiddenCharacters_LoneLowSurrogate_IsTrue(bool multiLine)
    {
        Assert.True(TextRules.HasForbiddenCharacters((char)0xDE00 + "abc", multiLine));
    }

    [Fact]
    public void HasForbiddenCharacters_SurrogatesInWrongOrder_IsTrue()
    {
        Assert.True(TextRules.HasForbiddenCharacters(new string([(char)0xDE00, (char)0xD83D]), multiLine: true));
    }

    [Theory]
    [InlineData("Jane Doe", "Jane Doe")]
    [InlineData("  Jane   Doe  ", "Jane Doe")]
    [InlineData("Jane\u00A0\u2003Doe", "Jane Doe")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void CollapseWhiteSpace_Text_TrimsAndFoldsRuns(string value, string expected)
    {
        Assert.Equal(expected, TextRules.CollapseWhiteSpace(value));
    }

    [Fact]
    public void CollapseWhiteSpace_TabsAndLineBreaks_BecomeOneSpace()
    {
        Assert.Equal("a b c", TextRules.CollapseWhiteSpace("\ta \r\n b\n\n\tc\n"));
    }

    [Theory]
    [InlineData("abc", 3)]
    [InlineData("", 0)]
    [InlineData("e\u0301", 1)]
    [InlineData("Zoe\u0308", 3)]
    [InlineData("\U0001F600", 1)]
    [InlineData("\U0001F44D\U0001F3FD", 1)]
    [InlineData("\U0001F1EC\U0001F1E7", 1)]
    [InlineData("\r\n", 1)]
    public void LengthInTextElements_Text_CountsUserPerceivedCharacters(string value, int expected)
    {
        Assert.Equal(expected, TextRules.LengthInTextElements(value));
    }

    private static string Around(int codeUnit) => "ab" + (char)codeUnit + "cd";
}
