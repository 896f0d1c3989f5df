using System.Text.Json.Serialization;
using DataRights.Core.Retention;

namespace DataRights.Core.Sources;

/// <summary>What one source did for a request: counts per effect, and what it kept and why.</summary>
public sealed record ExecutionOutcome(
    int Erased,
    int Masked,
    int Exported,
    int Corrected,
    IReadOnlyList<RetainedRecords> Retained,
    string? Note = null)
{
    public static ExecutionOutcome Nothing { get; } = new(0, 0, 0, 0, []);

    /// <summary>Records marked restricted (kept, not otherwise used), or released when a restriction is lifted.</summary>
    public int Restricted { get; init; }

    /// <summary>
    /// After an erasure, what a fresh search still found (categories); only retained categories may be left.
    /// Null when the source was not searched again (manual sources, answers by callback).
    /// </summary>
    public IReadOnlyList<string>? RemainingCategories { get; init; }

    /// <summary>
    /// On an erasure step tried again after an interrupted attempt (its answer lost: a crash, a timeout): the
    /// records discovery found that were already gone when this attempt ran, so erased by the interrupted one.
    /// Null on a first attempt, or when it cannot be told.
    /// </summary>
    public int? GoneBeforeThisAttempt { get; init; }

    /// <summary>
    /// On a correction: the details (<see cref="Correction.Field"/>) this source did not change, as it does not hold them
    /// or cannot change them by itself; empty when it made every correction. Null when the source does not say (a manual
    /// source's owner, who corrects by hand): then its recipients are told every correction.
    /// </summary>
    public IReadOnlyList<string>? NotCorrected { get; init; }

    /// <summary>The source accepted the work and will post its outcome to the call's callback.</summary>
    public static ExecutionOutcome Later { get; } = new(0, 0, 0, 0, []) { Deferred = true };

    /// <summary>True only for <see cref="Later"/>: no outcome yet.</summary>
    [JsonIgnore]
    public bool Deferred { get; private init; }
}

/// <summary>
/// Records kept back from erasure, with the legal basis (the reason in plain words) and the date their retention
/// ends. The article of law allowing it follows from <see cref="Ground"/> and the request's jurisdiction
/// (<see cref="ErasureExceptions.Cite"/>).
/// </summary>
public sealed record RetainedRecords(string Category, int Count, string LegalBasis, DateOnly? RetainedUntil)
{
    /// <summary>The exception to erasure relied on (absent from outcomes recorded before it was kept: a legal obligation).</summary>
    public ErasureGround Ground { get; init; }

    /// <summary>The category of records kept back from an erasure because a legal hold stands (no end date: until it is lifted).</summary>
    public const string LegalHoldCategory = "held";

    /// <summary>The category of records a manual source's owner counted as kept, by hand (no category of the registration).</summary>
    public const string CountedByHandCategory = "records";
}
