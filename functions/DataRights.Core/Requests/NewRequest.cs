using DataRights.Core.Deadlines;

namespace DataRights.Core.Requests;

/// <summary>Everything intake knows about a request before the store gives it a reference.</summary>
public sealed record NewRequest(
    string Id,
    ValidatedIntake Intake,
    IntakeChannel Channel,
    DateTimeOffset ReceivedAt,
    Deadline Deadline,
    string StatusTokenHash,
    string Fingerprint,
    string Actor)
{
    /// <summary>Details given with the submission to prove who the person is (values with their keyed hashes), kept until matched.</summary>
    public IReadOnlyList<Verification.GivenDataPoint>? DataPoints { get; init; }
}
