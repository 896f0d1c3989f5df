namespace DataRights.Bench.Measurement;

/// <summary>A lane's slices pooled into one result, with the slices kept to show the spread between rounds.</summary>
internal sealed record LaneResult(Lane Lane, LoadResult Total, IReadOnlyList<LoadResult> Rounds);
