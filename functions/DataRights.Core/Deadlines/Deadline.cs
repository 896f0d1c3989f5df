namespace DataRights.Core.Deadlines;

/// <summary>The statutory dates of one request under its regime.</summary>
public sealed record Deadline(string RegimeKey, DateOnly ReceivedOn, DateOnly DueOn, DateOnly? AcknowledgeBy);
