using DataRights.Host.Sources;

namespace DataRights.Integration.Tests.Connectors;

public sealed class SqlPlaceholdersTests
{
    [Fact]
    public void ToPositional_RepeatedName_KeepsOnePosition()
    {
        var (text, order) = SqlPlaceholders.ToPositional("UPDATE t SET a = $value WHERE email = $email OR old = $value");

        Assert.Equal("UPDATE t SET a = $1 WHERE email = $2 OR old = $1", text);
        Assert.Equal(["$value", "$email"], order);
    }

    [Theory]
    [InlineData("SELECT id AS record_key FROM t WHERE note = '$email' AND email = $email", "SELECT id AS record_key FROM t WHERE note = '$email' AND email = $1")]
    [InlineData("SELECT \"$email\" FROM t WHERE email = $email", "SELECT \"$email\" FROM t WHERE email = $1")]
    [InlineData("SELECT 'it''s $name' FROM t WHERE email = $email", "SELECT 'it''s $name' FROM t WHERE email = $1")]
    [InlineData("SELECT E'\\' $name' FROM t WHERE email = $email", "SELECT E'\\' $name' FROM t WHERE email = $1")]
    [InlineData("SELECT $q$ $email $q$ FROM t WHERE email = $email", "SELECT $q$ $email $q$ FROM t WHERE email = $1")]
    public void ToPositional_PlaceholderInQuotedText_IsLeftAlone(string sql, string expected) =>
        Assert.Equal(expected, SqlPlaceholders.ToPositional(sql).Text);

    [Fact]
    public void ToPositional_UnknownOrLongerName_IsNotAPlaceholder()
    {
        var (text, order) = SqlPlaceholders.ToPositional("SELECT $emails, $secret FROM t WHERE a = $email");

        Assert.Equal("SELECT $emails, $secret FROM t WHERE a = $1", text);
        Assert.Equal(["$email"], order);
    }

    [Fact]
    public void Used_SqliteStatement_ListsEachAllowedNameOnce() =>
        Assert.Equal(["$mask", "$record_key"], SqlPlaceholders.Used("UPDATE t SET email = $mask, name = $mask WHERE id = $record_key"));
}
