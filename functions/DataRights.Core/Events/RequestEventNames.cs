using DataRights.Core.Requests;

namespace DataRights.Core.Events;

/// <summary>
/// The changes of a request published to the firm's other systems, and the CloudEvents type of each
/// (<c>org.datarights.request.completed</c>). The steps in between (discovering, awaiting approval or information,
/// executing, failed) are the pipeline's own business and are not published.
/// </summary>
public static class RequestEventNames
{
    public const string Received = "received";
    public const string Verified = "verified";
    public const string Approved = "approved";
    public const string Completed = "completed";
    public const string Rejected = "rejected";
    public const string Expired = "expired";
    public const string Overdue = "overdue";

    /// <summary>The CloudEvents type prefix of request events.</summary>
    public const string TypePrefix = "org.datarights.request.";

    /// <summary>The CloudEvents type of a finished purge run's report.</summary>
    public const string PurgeFinishedType = "org.datarights.purge.finished";

    /// <summary>The event a move from <paramref name="from"/> to <paramref name="to"/> publishes, if any.</summary>
    public static string? ForMove(RequestStatus from, RequestStatus to) => to switch
    {
        RequestStatus.Verified => Verified,
        RequestStatus.Executing when from == RequestStatus.AwaitingApproval => Approved,
        RequestStatus.Completed => Completed,
        RequestStatus.Rejected => Rejected,
        RequestStatus.Expired => Expired,
        _ => null,
    };

    public static string TypeOf(string name) => TypePrefix + name;
}
