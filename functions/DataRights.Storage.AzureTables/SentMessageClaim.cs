namespace DataRights.Storage.AzureTables;

/// <summary>
/// What a claim on a message id in the sent-message log came to: <paramref name="Claimed"/> by this run (its row's
/// <paramref name="ETag"/>), or not, because the message was <paramref name="Sent"/> before (the provider's id, empty when
/// it gave none) or another run holds it until <paramref name="HeldUntil"/>.
/// </summary>
public sealed record SentMessageClaim(bool Claimed, string? ETag, bool Sent, string? ProviderId, DateTimeOffset HeldUntil);
