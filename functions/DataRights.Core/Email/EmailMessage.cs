using DataRights.Core.Workflow;

namespace DataRights.Core.Email;

/// <summary>
/// One message ready to send. <see cref="Id"/> is the work item id that produced it: a sender that
/// has seen the id already does not send again. <see cref="Kind"/> says which message it is, and so who
/// it is for and whether it is about one request (<see cref="SentEmailCopy"/>).
/// </summary>
public sealed record EmailMessage(
    string Id,
    string RequestId,
    string To,
    string Subject,
    string TextBody,
    string HtmlBody,
    IReadOnlyList<string> Links,
    MessageKind Kind);
