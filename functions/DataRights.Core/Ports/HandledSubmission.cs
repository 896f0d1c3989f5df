namespace DataRights.Core.Ports;

/// <summary>
/// The record kept when staff remove a request set aside (<see cref="SubmissionSetAside"/>) having handled it by hand,
/// outside DataRights: the evidence that it was answered. It holds what the request was (the right and the jurisdiction
/// as sent, both validated when it came; when it arrived; the date it was due by), why it had been set aside, who
/// recorded its handling and when, what came of it (<see cref="Outcome"/>), the day the person was answered
/// (<see cref="AnsweredOn"/>, on the calendar of the place they are in), and the note of how (where the answer went, a
/// ticket's number). Nothing the person sent beyond the right and the place: their name, address and details go with
/// the submission. The staff metrics and the CCPA figures count it as a request received and answered that day.
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
    string Note,
    HandledOutcome Outcome,
    DateOnly AnsweredOn);
