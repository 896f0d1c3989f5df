using DataRights.Core.Retention;
using DataRights.Host.Retention;

namespace DataRights.Integration.Tests.Retention;

public sealed class PurgeCsvTests
{
    [Theory]
    [InlineData("telephony.cdr", "telephony.cdr")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("", "")]
    public void Field_IsQuotedWhenNeededAndNeverAFormula(string value, string expected) => Assert.Equal(expected, PurgeCsv.Field(value));

    [Fact]
    public void Write_OneLinePerRow_WithHeaderAndCrLf()
    {
        var run = new PurgeRun("pr_x", "eu-west", "system:timer", false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, PurgeRun.Completed);
        PurgeRow[] rows =
        [
            new() { RunId = "pr_x", SourceKey = "billing", Item = "billing.invoice", Kind = PurgeRow.AgeKind, Category = "billing.invoice", State = PurgeRow.Failed, Errors = 1, Note = "=cmd|' /C calc'!A0, boom" },
        ];

        var csv = PurgeCsv.Write(run, rows);

        var lines = csv.Split("\r\n");
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        Assert.Equal("pr_x,eu-west,false,billing,billing.invoice,age,failed,,,0,0,0,0,1,0,\"'=cmd|' /C calc'!A0, boom\"", lines[1]);
    }
}
