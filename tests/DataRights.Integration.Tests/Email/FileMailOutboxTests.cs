using DataRights.Core.Email;
using DataRights.Core.Workflow;
using DataRights.Host.Email;
using DataRights.Host.Hosting;
using MimeKit;

namespace DataRights.Integration.Tests.Email;

/// <summary>The local outbox writes messages a person can read in the file itself, links included.</summary>
public sealed class FileMailOutboxTests
{
    private const string Link = "http://localhost:7071/verify/v1.k1.eyJwIjoidmVyaWZ5IiwiciI6ImRyXzEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNCJ9.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw";

    [Fact]
    public void Render_TextPart_IsPlainTextWithTheLinkWhole()
    {
        var raw = FileMailOutbox.Render(Message(), new DataRightsOptions(), new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

        Assert.Contains("Content-Transfer-Encoding: 8bit", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("base64", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Open this link to confirm: " + Link, raw, StringComparison.Ordinal);
        Assert.Contains("Zoë Ångström", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ReadBackByAMailReader_GivesTheSameSubjectBodiesAndHeaders()
    {
        var raw = FileMailOutbox.Render(Message(), new DataRightsOptions(), new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw));
        var read = MimeMessage.Load(stream);

        Assert.Equal("Please confirm — request DR-2026-000001", read.Subject);
        Assert.Equal("zoe@example.com", read.To.Mailboxes.Single().Address);
        Assert.Equal("Example Telecom Ltd", read.From.Mailboxes.Single().Name);
        Assert.Contains(Link, read.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"" + Link + "\">", read.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("dr_1", read.Headers["X-DataRights-Request-Id"]);
    }

    [Fact]
    public void Render_SameMessageTwice_IsTheSameFile()
    {
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(FileMailOutbox.Render(Message(), new DataRightsOptions(), at), FileMailOutbox.Render(Message(), new DataRightsOptions(), at));
    }

    [Fact]
    public void Render_LineLongerThanMailAllows_FallsBackToQuotedPrintableAndStillReadsBack()
    {
        var longLine = string.Concat(Enumerable.Repeat("word ", 300));
        var message = Message() with { TextBody = longLine };

        var raw = FileMailOutbox.Render(message, new DataRightsOptions(), DateTimeOffset.UnixEpoch);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw));

        Assert.Contains("Content-Transfer-Encoding: quoted-printable", raw, StringComparison.Ordinal);
        Assert.Equal(longLine, MimeMessage.Load(stream).TextBody!.ReplaceLineEndings(string.Empty));
    }

    private static EmailMessage Message() => new(
        "dr_1_message_verification_1", "dr_1", "zoe@example.com", "Please confirm — request DR-2026-000001",
        "Dear Zoë Ångström,\n\nOpen this link to confirm: " + Link + "\n",
        "<p>Dear Zoë Ångström,</p><p><a href=\"" + Link + "\">Confirm my request</a></p>",
        [Link],
        MessageKind.Verification);
}
