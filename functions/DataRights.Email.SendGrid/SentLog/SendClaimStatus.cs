namespace DataRights.Email.SendGrid.SentLog;

/// <summary>What a claim on a message id found (<see cref="ISentMessageLog.ClaimAsync"/>).</summary>
public enum SendClaimStatus
{
    /// <summary>This run holds the message: it may send it.</summary>
    Claimed,

    /// <summary>The message was sent before: nothing to send.</summary>
    Sent,

    /// <summary>Another run holds the message now: nothing to send until its hold ends.</summary>
    Held,
}
