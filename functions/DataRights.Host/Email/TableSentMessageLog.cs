using DataRights.Email.SendGrid.SentLog;
using DataRights.Storage.AzureTables;

namespace DataRights.Host.Email;

/// <summary>
/// The sent-message log on Table storage (<c>DataRights:Storage:Provider</c> <c>azure-tables</c>): shared by every
/// instance, unlike a file in one instance's data folder, so an email step retried on another instance is not sent
/// again, and one delivered again while another instance still sends it waits for that send.
/// </summary>
internal sealed class TableSentMessageLog(AzureTableStore store) : ISentMessageLog
{
    public Task<string?> FindAsync(string messageId) => store.FindSentMessageAsync(messageId, CancellationToken.None);

    public async Task<SendClaim> ClaimAsync(string messageId, DateTimeOffset now, TimeSpan holdFor)
    {
        var claim = await store.ClaimSentMessageAsync(messageId, now, now + holdFor, CancellationToken.None);
        return claim switch
        {
            { Claimed: true } => new SendClaim(messageId, SendClaimStatus.Claimed, claim.HeldUntil) { Token = claim.ETag },
            { Sent: true } => new SendClaim(messageId, SendClaimStatus.Sent, ProviderId: claim.ProviderId),
            _ => new SendClaim(messageId, SendClaimStatus.Held, claim.HeldUntil),
        };
    }

    public async Task<SendClaim?> ExtendAsync(SendClaim claim, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim.Token is { } token && await store.ExtendSentMessageClaimAsync(claim.MessageId, token, until, CancellationToken.None) is { } etag
            ? claim with { HeldUntil = until, Token = etag }
            : null;
    }

    public Task RecordAsync(SendClaim claim, string? providerId)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return store.RecordSentMessageAsync(claim.MessageId, claim.Token, providerId, CancellationToken.None);
    }

    public Task ReleaseAsync(SendClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim.Token is { } token ? store.ReleaseSentMessageClaimAsync(claim.MessageId, token, CancellationToken.None) : Task.CompletedTask;
    }
}
