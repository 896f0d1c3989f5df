namespace DataRights.Email.SendGrid.SentLog;

/// <summary>A process-local log for tests and throw-away runs: forgets everything on restart.</summary>
public sealed class InMemorySentMessageLog : ISentMessageLog
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<string?> FindAsync(string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(messageId, out var entry) && entry.Sent ? entry.ProviderId ?? string.Empty : null);
        }
    }

    public Task<SendClaim> ClaimAsync(string messageId, DateTimeOffset now, TimeSpan holdFor)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        lock (_gate)
        {
            if (_entries.TryGetValue(messageId, out var entry))
            {
                if (entry.Sent)
                {
                    return Task.FromResult(new SendClaim(messageId, SendClaimStatus.Sent, ProviderId: entry.ProviderId ?? string.Empty));
                }

                if (entry.Until > now)
                {
                    return Task.FromResult(new SendClaim(messageId, SendClaimStatus.Held, entry.Until));
                }
            }

            var claimed = new Entry(Sent: false, null, now + holdFor, Guid.NewGuid().ToString("N"));
            _entries[messageId] = claimed;
            return Task.FromResult(new SendClaim(messageId, SendClaimStatus.Claimed, claimed.Until) { Token = claimed.Token });
        }
    }

    public Task<SendClaim?> ExtendAsync(SendClaim claim, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            if (!IsHeldBy(claim, out var entry))
            {
                return Task.FromResult<SendClaim?>(null);
            }

            _entries[claim.MessageId] = entry with { Until = until };
            return Task.FromResult<SendClaim?>(claim with { HeldUntil = until });
        }
    }

    public Task RecordAsync(SendClaim claim, string? providerId)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            if (!_entries.TryGetValue(claim.MessageId, out var entry) || !entry.Sent)
            {
                _entries[claim.MessageId] = new Entry(Sent: true, providerId, DateTimeOffset.MaxValue, string.Empty);
            }
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(SendClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            if (IsHeldBy(claim, out _))
            {
                _entries.Remove(claim.MessageId);
            }
        }

        return Task.CompletedTask;
    }

    private bool IsHeldBy(SendClaim claim, out Entry entry) =>
        _entries.TryGetValue(claim.MessageId, out entry!) && !entry.Sent && string.Equals(entry.Token, claim.Token, StringComparison.Ordinal);

    private sealed record Entry(bool Sent, string? ProviderId, DateTimeOffset Until, string Token);
}
