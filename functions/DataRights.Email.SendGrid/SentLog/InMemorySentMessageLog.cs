using System.Collections.Concurrent;

namespace DataRights.Email.SendGrid.SentLog;

/// <summary>A process-local log for tests and throw-away runs: forgets everything on restart.</summary>
public sealed class InMemorySentMessageLog : ISentMessageLog
{
    private readonly ConcurrentDictionary<string, string> _sent = new(StringComparer.Ordinal);

    public Task<string?> FindAsync(string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return Task.FromResult(_sent.TryGetValue(messageId, out var providerId) ? providerId : null);
    }

    public Task RecordAsync(string messageId, string? providerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        _sent.TryAdd(messageId, providerId ?? string.Empty);
        return Task.CompletedTask;
    }
}
