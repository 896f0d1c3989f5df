namespace DataRights.Core.Events;

/// <summary>
/// One event as it leaves the pipeline: a CloudEvents 1.0 document in structured JSON (<see cref="Body"/>), its
/// <see cref="Id"/> (the message id, so a resend is a duplicate) and <see cref="Type"/> and <see cref="Source"/> (for
/// subscribers' filters). Ids, references, statuses and dates only: never personal data.
/// </summary>
public sealed record OutgoingEvent(string Id, string Type, string Source, string Subject, string Body)
{
    /// <summary>The content type of a structured-mode CloudEvent in JSON.</summary>
    public const string ContentType = "application/cloudevents+json; charset=utf-8";
}
