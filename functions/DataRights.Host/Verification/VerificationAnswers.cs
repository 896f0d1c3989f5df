namespace DataRights.Host.Verification;

/// <summary>What the verification page's form gave: the details typed (by data point), the name the declaration was signed with, and problems by field.</summary>
public sealed record VerificationAnswers(
    IReadOnlyList<(DataPointDefinition Point, string Typed)> Given,
    string? SignedAs,
    IReadOnlyDictionary<string, string[]> Errors);
