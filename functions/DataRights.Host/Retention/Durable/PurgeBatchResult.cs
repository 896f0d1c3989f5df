namespace DataRights.Host.Retention.Durable;

/// <summary>After a batch: whether the category's line is final (nothing more to do), and what this batch deleted (0 when it had been applied before).</summary>
public sealed record PurgeBatchResult(bool Complete, long Purged);
