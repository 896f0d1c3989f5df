namespace DataRights.Host.Verification;

/// <summary>A data point as the pages and connectors use it: its name (as sent, <c>dataPoints.postcode</c>), label and identity field.</summary>
public sealed record DataPointDefinition(string Name, string Label, string Field);
