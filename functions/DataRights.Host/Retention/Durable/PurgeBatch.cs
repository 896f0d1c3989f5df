namespace DataRights.Host.Retention.Durable;

/// <summary>One batch of a category's purge: run, source, category and batch number (from 1) identify it, so a batch run twice is applied once.</summary>
public sealed record PurgeBatch(string RunId, string SourceKey, string Category, int Number);
