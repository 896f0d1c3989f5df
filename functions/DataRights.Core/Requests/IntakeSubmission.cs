namespace DataRights.Core.Requests;

/// <summary>The raw fields of a submission, as typed by a person or sent by a client.</summary>
public sealed record IntakeSubmission(
    string? Type,
    string? Email,
    string? FullName,
    string? Jurisdiction,
    string? AccountReference,
    string? Details)
{
    /// <summary>Details given to prove who the person is, by data point name, as typed (checked by the host against the configured data points).</summary>
    public IReadOnlyDictionary<string, string>? DataPoints { get; init; }
}
