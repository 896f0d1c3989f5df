namespace DataRights.Host.Requests;

/// <summary>What staff entering a request get back (201): the request, with its private status link.</summary>
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
/// The answer to every valid public submission (202), the same whatever became of it: a new request, a repeat of one
/// the address has waiting, or a submission past the address's limit. Nothing in it depends on the address.
/// </summary>
public sealed record SubmissionReceived(string Status, string Message)
{
    public static SubmissionReceived Answer { get; } = new("received", IntakeProblems.CheckYourEmail);
}

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
