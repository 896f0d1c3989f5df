namespace DataRights.Core.Sources;

/// <summary>
/// One call to a source for one request: who to look for, the request's opaque id (for the source's
/// own correlation, never personal data), and, for sources that answer later, the signed address
/// to post the answer to. Handed to connectors only, never logged or queued.
/// </summary>
public sealed record SourceCall(SubjectIdentity Subject, string RequestId = "", Uri? Callback = null)
{
    /// <summary>The step this call is (<c>discover.crm.1</c>), so a source that is sent commands can name each one for deduplication; empty outside a request.</summary>
    public string Step { get; init; } = string.Empty;

    /// <summary>A call with no request behind it (connection tests, benchmarks, contract tests).</summary>
    public static SourceCall For(SubjectIdentity subject) => new(subject);
}
