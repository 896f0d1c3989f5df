namespace DataRights.Core.Email;

/// <summary>Who a message was for, as staff read it on a copy. Persisted by name.</summary>
public enum EmailAudience
{
    /// <summary>The person who made the request.</summary>
    Requester,

    /// <summary>The approvers (or the fallback approver), asked to decide.</summary>
    Approvers,

    /// <summary>The privacy team's shared address: alerts, reminders, tasks to do by hand.</summary>
    PrivacyTeam,

    /// <summary>The owner of a system searched or changed by hand.</summary>
    SourceOwner,

    /// <summary>Someone the data was shared with, told of the change (Art. 19).</summary>
    DataRecipient,
}
