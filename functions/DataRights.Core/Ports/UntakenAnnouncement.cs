namespace DataRights.Core.Ports;

/// <summary>
/// A commit announced to its request's orchestration whose work the orchestration has not yet taken (see
/// <see cref="IWorkOutbox.ClaimUntakenAnnouncementsAsync"/>): the request, and the version the commit gave it.
/// </summary>
public sealed record UntakenAnnouncement(string RequestId, long Version)
{
    /// <summary>Whether it is made for the first time (a commit left to the relay), not again.</summary>
    public bool First { get; init; }
}
