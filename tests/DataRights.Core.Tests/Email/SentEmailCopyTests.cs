using DataRights.Core.Email;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Email;

/// <summary>What a kept copy holds: no link, who it was for in words, and nothing of messages that are not about one request.</summary>
public sealed class SentEmailCopyTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private const string Verify = "https://dsr.example.com/verify/v1.k1.eyJwIjoidmVyaWZ5In0.c2lnbmF0dXJl";
    private const string Status = "https://dsr.example.com/status/st_9f8e7d";

    [Fact]
    public void Of_RequesterMessage_KeepsTheTextWithEachLinkNamedButGone()
    {
        var text = $"Dear Kim,\r\n\r\nPlease confirm.\r\n\r\nConfirm my request: {Verify}\r\n\r\nSee where it stands ({Status}) or write to https://example.org/contact.\r\n";
        var message = new EmailMessage("dr_1:message:verification:1", "dr_1", "kim@example.com", "Please confirm your request DR-1", text, $"<a href=\"{Verify}\">x</a>", [Verify, Status], MessageKind.Verification);

        var copy = SentEmailCopy.Of(message, At);

        Assert.NotNull(copy);
        Assert.Equal(("dr_1", "dr_1:message:verification:1", At, EmailAudience.Requester, "kim@example.com", "Please confirm your request DR-1"),
            (copy.RequestId, copy.MessageId, copy.SentAt, copy.Audience, copy.To, copy.Subject));
        Assert.Equal(
            "Dear Kim,\r\n\r\nPlease confirm.\r\n\r\n[link: Confirm my request — removed from this copy]\r\n\r\n"
            + "See where it stands ([link removed from this copy]) or write to [link removed from this copy].\r\n",
            copy.Body);
        Assert.DoesNotContain("http", copy.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(MessageKind.StaffDigest)]
    [InlineData(MessageKind.PurgeTask)]
    public void Of_MessageNotAboutOneRequest_KeepsNothing(MessageKind kind)
    {
        var message = new EmailMessage("digest:202603020700", "digest", "privacy@example.com", "Daily digest", "Nothing is overdue.", "<p></p>", [], kind);

        Assert.Null(SentEmailCopy.Of(message, At));
    }

    [Theory]
    [InlineData(MessageKind.Verification, EmailAudience.Requester)]
    [InlineData(MessageKind.Completion, EmailAudience.Requester)]
    [InlineData(MessageKind.ExportReady, EmailAudience.Requester)]
    [InlineData(MessageKind.ApprovalRequest, EmailAudience.Approvers)]
    [InlineData(MessageKind.ApprovalEscalation, EmailAudience.Approvers)]
    [InlineData(MessageKind.StaffOverdue, EmailAudience.PrivacyTeam)]
    [InlineData(MessageKind.StaffRecipientTask, EmailAudience.PrivacyTeam)]
    [InlineData(MessageKind.ManualTask, EmailAudience.SourceOwner)]
    [InlineData(MessageKind.RecipientNotice, EmailAudience.DataRecipient)]
    public void AudienceOf_EachKind_IsWhoItGoesTo(MessageKind kind, EmailAudience audience) =>
        Assert.Equal(audience, SentEmailCopy.AudienceOf(kind));

    [Fact]
    public void WithoutLinks_LinkThatIsAPrefixOfAnother_RemovesBothWhole()
    {
        var text = $"Download: {Status}/export\nStatus: {Status}";

        Assert.Equal("[link: Download — removed from this copy]\n[link: Status — removed from this copy]", SentEmailCopy.WithoutLinks(text, [Status, Status + "/export"]));
    }
}
