using System.Text;
using System.Text.RegularExpressions;
using DataRights.Core.Workflow;

namespace DataRights.Core.Email;

/// <summary>
/// What the pipeline keeps of an email sent about one request, for staff to read: when, to whom, the subject and
/// the plain-text body with every link taken out. Links carry single-use signed tokens (verify, approve, download,
/// task), so a copy at rest holds none: each becomes a placeholder naming what the link was for.
/// </summary>
public sealed partial record SentEmailCopy(
    string RequestId,
    string MessageId,
    DateTimeOffset SentAt,
    EmailAudience Audience,
    string To,
    string Subject,
    string Body)
{
    /// <summary>The copy of <paramref name="message"/> sent at <paramref name="sentAt"/>; null when the message is not about one request (the staff digest, a purge task).</summary>
    public static SentEmailCopy? Of(EmailMessage message, DateTimeOffset sentAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        return IsAboutOneRequest(message.Kind)
            ? new SentEmailCopy(message.RequestId, message.Id, sentAt, AudienceOf(message.Kind), message.To, message.Subject, WithoutLinks(message.TextBody, message.Links))
            : null;
    }

    /// <summary>False for messages that cover many requests or none (their request id is a digest or purge run's).</summary>
    public static bool IsAboutOneRequest(MessageKind kind) => kind is not (MessageKind.StaffDigest or MessageKind.PurgeTask or MessageKind.StaffSubmissionSetAside);

    public static EmailAudience AudienceOf(MessageKind kind) => kind switch
    {
        MessageKind.ApprovalRequest or MessageKind.ApprovalReminder or MessageKind.ApprovalEscalation => EmailAudience.Approvers,
        MessageKind.StaffDeadlineReminder or MessageKind.StaffOverdue or MessageKind.StaffFailure or MessageKind.StaffRecipientTask or MessageKind.StaffDigest or MessageKind.StaffWorkflowStopped
            or MessageKind.StaffInformationUnanswered or MessageKind.StaffSubmissionSetAside => EmailAudience.PrivacyTeam,
        MessageKind.ManualTask or MessageKind.PurgeTask => EmailAudience.SourceOwner,
        MessageKind.RecipientNotice => EmailAudience.DataRecipient,
        _ => EmailAudience.Requester,
    };

    /// <summary>
    /// <paramref name="text"/> with every URL replaced: a line the template wrote as <c>Label: URL</c> becomes
    /// <c>[link: Label — removed from this copy]</c>; any other URL (one named in <paramref name="links"/> or any
    /// <c>http(s)://</c> address) becomes <c>[link removed from this copy]</c>.
    /// </summary>
    public static string WithoutLinks(string text, IReadOnlyList<string> links)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(links);
        var known = links.Where(l => l.Length > 0).OrderByDescending(l => l.Length).ToList();
        var lines = text.Split('\n');
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var ending = line.EndsWith('\r') ? "\r" : string.Empty;
            var content = line[..(line.Length - ending.Length)];
            if (known.FirstOrDefault(l => content.EndsWith(": " + l, StringComparison.Ordinal) && content.Length > l.Length + 2) is { } link)
            {
                content = $"[link: {content[..(content.Length - link.Length - 2)].Trim()} — removed from this copy]";
            }

            foreach (var other in known)
            {
                content = content.Replace(other, Removed, StringComparison.Ordinal);
            }

            result.Append(AnyUrl().Replace(content, Removed)).Append(ending);
            if (i < lines.Length - 1)
            {
                result.Append('\n');
            }
        }

        return result.ToString();
    }

    private const string Removed = "[link removed from this copy]";

    /// <summary>An address up to the last character that is not sentence punctuation (a full stop after a link stays).</summary>
    [GeneratedRegex(@"https?://[^\s""<>]*[^\s""<>.,;:!?)\]]", RegexOptions.IgnoreCase)]
    private static partial Regex AnyUrl();
}
