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

    /// <summary>The stable id: one follow-up per request, source, category and day.</summary>
    public static string IdFor(string requestId, string sourceKey, string category, DateOnly dueOn) =>
        $"{requestId}:{sourceKey}:{category}:{dueOn:yyyyMMdd}";
}
