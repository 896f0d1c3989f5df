namespace DataRights.Core.Requests;

/// <summary>Where a request is in its lifecycle. Persisted as its wire name (see <see cref="WireNames"/>).</summary>
public enum RequestStatus
{
    Received,
    AwaitingVerification,
    Verified,
    Discovering,
    AwaitingApproval,
    AwaitingInformation,
    Executing,
    Completed,
    Rejected,
    Expired,
    Failed,
}
