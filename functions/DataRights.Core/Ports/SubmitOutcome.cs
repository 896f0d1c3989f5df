using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// The stored request and whether this submission created it (false: a duplicate); <see cref="HandedOver"/> when its
/// orchestration was told before it was written (it had work), and reads that work from the request.
/// </summary>
public sealed record SubmitOutcome(DataSubjectRequest Request, bool Created, bool HandedOver = false);
