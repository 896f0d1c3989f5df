using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Verification attempts per address in the registry table: one row per address key (a keyed hash, never the address),
/// holding the times of its latest attempts (at most the limit's number, as the older ones no longer count), changed only
/// under its ETag so that concurrent attempts on any instance never count past the limit. A row of the earlier layout
/// (a fixed window's start and count, before 2026-12-05) holds no times and counts as none.
/// </summary>
public sealed class AzureTableVerificationAttempts(AzureTableStore store) : IVerificationAttemptCounter
{
    private const string Partition = "verification-attempts";
    private const int MaxTries = 20;

    public async Task<DateTimeOffset?> TryCountAsync(string addressKey, DateTimeOffset now, TimeSpan window, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(addressKey);
        if (limit <= 0)
        {
            return now + window;
        }

        var key = TableKeys.Escape(addressKey);
        for (var tries = 0; tries < MaxTries; tries++)
        {
            var row = await store.Client.GetAsync(store.RegistryTable, Partition, key, cancellationToken);
            var counted = Times(row?.GetStringOrNull("Attempts")).Where(at => at > now - window && at <= now).Order().ToList();
            if (counted.Count >= limit)
            {
                return counted[^limit] + window;
            }

            var kept = counted.Skip(counted.Count - (limit - 1)).Append(now);
            var next = new TableEntity(Partition, key) { Description = "verification attempts" }
                .Set("Attempts", string.Join(' ', kept.Select(AuditChain.FormatInstant)));
            var operation = row is null ? TableOperation.Insert(next) : TableOperation.Replace(next, row.ETag!);
            var result = await store.Client.ExecuteAsync(store.RegistryTable, operation, cancellationToken, 404, 409, 412);
            if (result.Succeeded)
            {
                return null;
            }
        }

        throw new TableStorageException($"Counting a verification attempt: the row kept changing; gave up after {MaxTries} tries.");
    }

    private static IEnumerable<DateTimeOffset> Times(string? stored) =>
        (stored ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : (DateTimeOffset?)null)
            .OfType<DateTimeOffset>();
}
