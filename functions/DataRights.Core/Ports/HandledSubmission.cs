namespace DataRights.Core.Ports;

/// <summary>
/// The record kept when staff remove a request set aside (<see cref="SubmissionSetAside"/>) having handled it by hand,
/// outside DataRights: the evidence that it was answered. It holds what the request was (the right and the jurisdiction
/// as sent, both validated when it came; when it arrived; the date it was due by), why it had been set aside, who
/// handled it, when, and their note of how (where the answer went, a ticket's number). Nothing the person sent beyond
/// the right and the place: their name, address and details go with the submission.
/// </summary>
public sealed record HandledSubmission(
    string SubmissionId,
    DateTimeOffset ReceivedAt,
    string? Type,
    string? Jurisdiction,
    DateOnly? DueOn,
    SubmissionSetAside SetAside,
    DateTimeOffset HandledAt,
    string HandledBy,
    string Note);
