using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Where each kind of row lives. Requests: one partition per request holding the request row (with the work the
/// request owes, in its progress), its audit entries and its follow-up erasures, so one state change is one
/// entity-group transaction.
/// Lookups: one partition of unique keys (fingerprint claims, reference counters, status tokens, open
/// requests, the requests per address that may await verification; and the follow-up erasures' due index). Registry: sources, holds, job runs. Retention: policies,
/// purge runs and the retention audit chain (<see cref="RetentionPartition"/>). Inbox: the staff inbox's index of open
/// requests, a partition per due day (<see cref="InboxPartition"/>).
/// </summary>
internal static class TableRows
{
    public const string Request = "request";
    public const string AuditPrefix = "audit_";
    public const string FollowUpPrefix = "followup_";

    /// <summary>
    /// A request partition's fence: written with the request (its first transaction), or instead of it by a submission
    /// that took over its fingerprint's claim (it never appeared in time), so only one of the two can be written.
    /// </summary>
    public const string Intake = "intake";

    public const string LookupPartition = "lookup";
    public const string FingerprintPrefix = "fingerprint_";
    public const string ReferencePrefix = "reference_";
    public const string TokenPrefix = "token_";
    public const string OpenPrefix = "open_";
    public const string WaitingPrefix = "waiting_";

    /// <summary>A closed request whose orchestration run may not have ended (<c>closing_{id}</c>).</summary>
    public const string ClosingPrefix = "closing_";

    /// <summary>Starts the name of each request's property in its address's waiting row.</summary>
    public const string WaitingEntryPrefix = "R_";

    /// <summary>Set once every request stored before the awaiting-verification index existed has its entry in it.</summary>
    public const string WaitingIndexBuilt = "waiting-index-built";

    /// <summary>
    /// Set once every open request has its row in the inbox index's partitions by due day (and the rows of the index's
    /// earlier single partition are gone).
    /// </summary>
    public const string InboxIndexByDueDayBuilt = "inbox-index-by-due-day-built";

    /// <summary>The inbox index's earlier single partition, read only to remove its rows once the index is rebuilt by due day.</summary>
    public const string SingleInboxPartition = "open";

    /// <summary>The due index of follow-up erasures (in the lookups table), keyed by due day then id.</summary>
    public const string FollowUpPartition = "followup";

    public const string SourcePartition = "source";
    public const string HoldPartition = "hold";
    public const string JobPartition = "job";

    public static string RequestPartition(string requestId) => TableKeys.Escape(requestId);

    /// <summary>
    /// The inbox index's partition of requests due on <paramref name="dueOn"/> (in the Inbox table): yyyyMMdd, so the
    /// partitions sort by day, and a row key that starts with its partition's key keeps the inbox order across them.
    /// </summary>
    public static string InboxPartition(DateOnly dueOn) => dueOn.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    public static string Audit(long sequence) => AuditPrefix + TableKeys.Number(sequence);

    /// <summary>
    /// The row listing the requests of an address that may await verification: keyed by a SHA-256 of the address (as
    /// intake normalised it), never the address itself; one property per request (<see cref="WaitingEntry"/>).
    /// </summary>
    public static string Waiting(string email) =>
        WaitingPrefix + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("v1\u001f" + email)));

    /// <summary>A request's property in its address's waiting row: letters and digits kept, anything else as _xxxx (a valid, unambiguous property name).</summary>
    public static string WaitingEntry(string requestId)
    {
        var name = new System.Text.StringBuilder(WaitingEntryPrefix, WaitingEntryPrefix.Length + requestId.Length + 8);
        foreach (var c in requestId)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                name.Append(c);
            }
            else
            {
                name.Append('_').Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return name.ToString();
    }
}
