namespace DataRights.Core.Requests;

/// <summary>Intake fields after validation and normalisation (trimmed, email lower-cased).</summary>
public sealed record ValidatedIntake(
    RequestType Type,
    string Email,
    string FullName,
    Jurisdiction Jurisdiction,
    string? AccountReference,
    string? Details);
