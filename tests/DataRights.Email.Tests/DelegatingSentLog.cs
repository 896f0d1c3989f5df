using DataRights.Email.SendGrid.SentLog;

namespace DataRights.Email.Tests;

/// <summary>A sent log that passes every call to <paramref name="inner"/>; tests override the calls they make fail.</summary>
internal abstract class DelegatingSentLog(ISentMessageLog inner) : ISentMessageLog
{
    public virtual Task<string?> FindAsync(string messageId) => inner.FindAsync(messageId);

    public virtual Task<SendClaim> ClaimAsync(string messageId, DateTimeOffset now, TimeSpan holdFor) => inner.ClaimAsync(messageId, now, holdFor);

    public virtual Task<SendClaim?> ExtendAsync(SendClaim claim, DateTimeOffset until) => inner.ExtendAsync(claim, until);

    public virtual Task RecordAsync(SendClaim claim, string? providerId) => inner.RecordAsync(claim, providerId);

    public virtual Task ReleaseAsync(SendClaim claim) => inner.ReleaseAsync(claim);
}
