namespace DataRights.Host.Requests;

/// <summary>The answer to a submission: 202 for a new request, 200 for a repeat of a recent one.</summary>
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
