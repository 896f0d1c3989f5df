namespace DataRights.Core.Metrics;

/// <summary>One right's line of the §7102 metrics: received, complied with in whole or in part, denied, median days to respond.</summary>
public sealed record CcpaRightFigures(CcpaRight Right, int Received, int Complied, int Denied, double? MedianDaysToRespond);
