using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>The stored request and whether this submission created it (false: a duplicate).</summary>
public sealed record SubmitOutcome(DataSubjectRequest Request, bool Created);
