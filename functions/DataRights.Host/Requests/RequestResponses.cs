namespace DataRights.Host.Requests;

/// <summary>The answer to a submission that created a request (202), with its private status link.</summary>
public sealed record IntakeResponse(
    string Id,
    string Reference,
    string Type,
    string Status,
    string Jurisdiction,
    string Regime,
    DateTimeOffset ReceivedAt,
    DateOnly ReceivedOn,
    DateOnly DueDate,
    DateOnly? AcknowledgeBy,
    string StatusUrl,
    string StatusPageUrl,
    bool Duplicate);

/// <summary>
/// The answer to a repeat (200): a request like this one is held, and its link was emailed to the address on it
/// (<paramref name="Emailed"/>), or was recently; never the link itself.
/// </summary>
public sealed record RepeatResponse(bool Duplicate, bool Emailed, string Message);

/// <summary>What a status link shows: progress and dates, no personal data.</summary>
public sealed record StatusResponse(
    string Reference,
    string Type,
    string Status,
    string StatusText,
    DateOnly ReceivedOn,
    DateOnly DueDate,
    DateOnly? AcknowledgeBy,
    string Regime,
    IReadOnlyList<StatusEvent> History);

public sealed record StatusEvent(DateTimeOffset At, string Status, string Text);
