using DataRights.Storage.AzureTables.Rest;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Where each kind of row lives. Requests: one partition per request holding the request row, its audit
/// entries and its work items (the outbox), so one state change is one entity-group transaction. Queue: one
/// partition of outstanding work, keyed by due time (plus a marker per item and the dispatch intents).
/// Lookups: one partition of unique keys (fingerprint claims, reference counters, status tokens, open
/// requests). Registry: sources, holds, job runs.
/// </summary>
internal static class TableRows
{
    public const string Request = "request";
    public const string AuditPrefix = "audit_";
    public const string WorkPrefix = "work_";

    public const string QueuePartition = "queue";
    public const string MarkerPrefix = "item_";
    public const string IntentPrefix = "intent_";

    public const string LookupPartition = "lookup";
    public const string FingerprintPrefix = "fingerprint_";
    public const string ReferencePrefix = "reference_";
    public const string TokenPrefix = "token_";
    public const string OpenPrefix = "open_";

    public const string SourcePartition = "source";
    public const string HoldPartition = "hold";
    public const string JobPartition = "job";

    public const string Pending = "pending";
    public const string Leased = "leased";
    public const string Done = "done";
    public const string Dead = "dead";

    public static string RequestPartition(string requestId) => TableKeys.Escape(requestId);

    public static string Audit(long sequence) => AuditPrefix + TableKeys.Number(sequence);

    public static string Work(string itemId) => WorkPrefix + TableKeys.Escape(itemId);

    public static string Marker(string itemId) => MarkerPrefix + TableKeys.Escape(itemId);

    /// <summary>Outstanding work sorts by due time: 19 digits of UTC ticks, then the item.</summary>
    public static string Due(DateTimeOffset due, string itemId) => TableKeys.Number(due.UtcTicks) + "_" + TableKeys.Escape(itemId);

    /// <summary>Every queue row due at or before <paramref name="now"/> (due rows start with digits; markers and intents with letters).</summary>
    public static string DueBy(DateTimeOffset now) =>
        TableKeys.Partition(QueuePartition) + " and RowKey lt " + TableKeys.Literal(TableKeys.Number(now.UtcTicks + 1));

    public static string AnyDue => TableKeys.Partition(QueuePartition) + " and RowKey lt 'A'";

    public static string Intent(string requestId, long version) => IntentPrefix + TableKeys.Escape(requestId) + "_" + TableKeys.Number(version);
}
