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
    string Actor);
