namespace DataRights.Core.Events;

/// <summary>
/// The facts of one change of a request, as the decision that made it saw them, so the event published later says
/// what was true then. <see cref="Event"/> is one of <see cref="RequestEventNames"/>. No personal data: no names,
/// addresses, notes or account references.
/// </summary>
public sealed record RequestEventData(
    string Event,
    string RequestId,
    string Reference,
    string RequestType,
    string Status,
    string? PreviousStatus,
    string Jurisdiction,
    DateOnly DueOn,
    bool Overdue,
    DateTimeOffset At);
