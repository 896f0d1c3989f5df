namespace DataRights.Core.Email;

/// <summary>
/// Another run is sending the same message (<see cref="EmailMessage.Id"/>) right now: the step that asked was delivered
/// again while the first still ran. Nothing was sent. Ask again at <see cref="HeldUntil"/>: by then the other run has
/// recorded the message sent (the next try sends nothing), or it died and its hold has run out (the next try sends).
/// </summary>
public sealed class EmailSendInProgressException : Exception
{
    public EmailSendInProgressException()
    {
    }

    public EmailSendInProgressException(string message)
        : base(message)
    {
    }

    public EmailSendInProgressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EmailSendInProgressException(string messageId, DateTimeOffset heldUntil)
        : base($"Message {messageId} is being sent by another run until {heldUntil:O} at the latest; nothing was sent by this one.")
    {
        HeldUntil = heldUntil;
    }

    /// <summary>When the other run's hold on the message ends, if it has not recorded the message sent by then.</summary>
    public DateTimeOffset HeldUntil { get; }
}
