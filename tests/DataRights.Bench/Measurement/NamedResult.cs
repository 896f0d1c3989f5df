namespace DataRights.Bench.Measurement;

/// <summary>A measured run with the label it is reported under.</summary>
internal sealed record NamedResult(string Name, LoadResult Result);
