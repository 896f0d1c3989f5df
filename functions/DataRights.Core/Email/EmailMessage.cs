namespace DataRights.Core.Email;

/// <summary>
/// One message ready to send. <see cref="Id"/> is the work item id that produced it: a sender that
/// has seen the id already does not send again.
/// </summary>
public sealed record EmailMessage(
    string Id,
    string RequestId,
    string To,
    string Subject,
    string TextBody,
    string HtmlBody,
    IReadOnlyList<string> Links);
