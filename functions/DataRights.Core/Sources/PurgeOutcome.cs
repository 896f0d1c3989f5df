namespace DataRights.Core.Sources;

/// <summary>
/// What one purge step did: records found past the cutoff (<see cref="Scanned"/>), removed (in a dry
/// run: would be), and spared for a legal hold; <see cref="Complete"/> once nothing more is due in the
/// category. Held records are counted on the step that completes the category.
/// </summary>
public sealed record PurgeOutcome(int Scanned, int Purged, int Held, bool Complete)
{
    /// <summary>False when the source does not hold the category at all: nothing to report.</summary>
    public bool Applies { get; init; } = true;

    /// <summary>False when the source holds the category but cannot purge it automatically (<see cref="Note"/> says why and what to do).</summary>
    public bool Supported { get; init; } = true;

    public string? Note { get; init; }

    public static PurgeOutcome NotHeld { get; } = new(0, 0, 0, true) { Applies = false };

    public static PurgeOutcome NotSupported(string why) => new(0, 0, 0, true) { Supported = false, Note = why };
}
