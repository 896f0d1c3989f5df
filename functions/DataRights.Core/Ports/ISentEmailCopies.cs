using DataRights.Core.Email;

namespace DataRights.Core.Ports;

/// <summary>
/// The copies of the emails sent about each request, kept with the request's own records. Keyed by message id:
/// keeping the same message again changes nothing.
/// </summary>
public interface ISentEmailCopies
{
    /// <summary>Keeps the copy; false when a copy of that message was kept already (the first stays).</summary>
    Task<bool> KeepAsync(SentEmailCopy copy, CancellationToken cancellationToken);

    /// <summary>A request's copies, oldest first.</summary>
    Task<IReadOnlyList<SentEmailCopy>> ListAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>One copy of the request's, or null when that request has no copy of that message.</summary>
    Task<SentEmailCopy?> FindAsync(string requestId, string messageId, CancellationToken cancellationToken);
}
