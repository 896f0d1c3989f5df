using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// The stored request and whether this submission created it (false: a duplicate); <see cref="HandedOver"/> when its
/// orchestration was told before it was written, so its work is read from the request rather than relayed.
/// </summary>
public sealed record SubmitOutcome(DataSubjectRequest Request, bool Created, bool HandedOver = false);
