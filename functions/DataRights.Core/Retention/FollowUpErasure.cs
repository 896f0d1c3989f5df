namespace DataRights.Core.Retention;

/// <summary>
/// An erasure left to finish: records a source kept back from an erasure request for a legal reason are
/// erased on <see cref="DueOn"/>, the first day after their retention ends, by the region's purge run. It
/// names the request, source and category only; who the person is stays on the request.
/// </summary>
public sealed record FollowUpErasure(
    string Id,
    string RequestId,
    string SourceKey,
    string Category,
    DateOnly DueOn,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Note = null)
{
    public const string Pending = "pending";

    /// <summary>Waiting because a legal hold covers the person or the source; carried out once it is lifted.</summary>
    public const string Held = "held";
    public const string Done = "done";
    public const string Failed = "failed";

    /// <summary>Refuses a record that would write more rows in one transaction than a store promises (the request row, the follow-up, its audit entries and the next follow-ups).</summary>
    public static void EnsureFits(int auditEntries, int nextFollowUps) => Ports.IRequestStore.EnsureFits(1 + auditEntries + nextFollowUps + 1, "follow-up");

    /// <summary>The stable id: one follow-up per request, source, category and day.</summary>
    public static string IdFor(string requestId, string sourceKey, string category, DateOnly dueOn) =>
        $"{requestId}:{sourceKey}:{category}:{dueOn:yyyyMMdd}";
}
