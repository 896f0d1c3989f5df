namespace DataRights.Host.Retention.Durable;

/// <summary>One source of one run (the plan activity's input).</summary>
public sealed record PurgeSourceStep(string RunId, string SourceKey);
