namespace DataRights.Core.Verification;

/// <summary>
/// The check of a request that needs more than control of the email address: what was asked, what was given (names
/// and keyed hashes, never values), the declaration, how many matched, and the outcome.
/// </summary>
public sealed record IdentityCheck
{
    /// <summary>How many details had to match.</summary>
    public int Required { get; init; }

    /// <summary>How many times the requester gave their details for this request.</summary>
    public int Attempts { get; init; }

    /// <summary>The names of the data points given last.</summary>
    public IReadOnlyList<string> Given { get; init; } = [];

    /// <summary>How many of them matched our records anywhere; null until discovery has finished.</summary>
    public int? Matched { get; init; }

    public SignedDeclaration? Declaration { get; init; }

    public IdentityCheckOutcome Outcome { get; init; }

    /// <summary>Why staff verified the person by hand.</summary>
    public string? StaffReason { get; init; }

    /// <summary>How many times every source was searched again, because one could not be searched when the details fell short.</summary>
    public int SearchedAgain { get; init; }

    /// <summary>When the person was last asked for their details again: the start of that round, from which it expires.</summary>
    public DateTimeOffset? AskedAgainAt { get; init; }
}
