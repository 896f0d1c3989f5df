namespace DataRights.Email.SendGrid.SentLog;

/// <summary>
/// A claim on <paramref name="MessageId"/> and what it found: held until <paramref name="HeldUntil"/> (by this run when
/// <see cref="SendClaimStatus.Claimed"/>, by another when <see cref="SendClaimStatus.Held"/>), or sent before with the
/// provider's id (<paramref name="ProviderId"/>, empty when it gave none).
/// </summary>
public sealed record SendClaim(string MessageId, SendClaimStatus Status, DateTimeOffset? HeldUntil = null, string? ProviderId = null)
{
    /// <summary>What tells this run's claim from a later one on the same message (the log's own, such as a row's ETag).</summary>
    public string? Token { get; init; }
}
