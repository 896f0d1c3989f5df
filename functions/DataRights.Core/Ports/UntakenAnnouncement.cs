namespace DataRights.Core.Ports;

/// <summary>
/// A commit announced to its request's orchestration whose work the orchestration has not yet taken (see
/// <see cref="IWorkOutbox.ClaimUntakenAnnouncementsAsync"/>): the request, and the version the commit gave it.
/// </summary>
public sealed record UntakenAnnouncement(string RequestId, long Version);
