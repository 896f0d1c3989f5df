using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Verification attempts per address in the registry table: one row per address key (a keyed hash, never the address),
/// holding the window it counts and the count, changed only under its ETag so that concurrent attempts on any instance
/// never count past the limit.
/// </summary>
public sealed class AzureTableVerificationAttempts(AzureTableStore store) : IVerificationAttemptCounter
{
    private const string Partition = "verification-attempts";
    private const int MaxTries = 20;

    public async Task<bool> TryCountAsync(string addressKey, DateTimeOffset windowStart, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(addressKey);
        if (limit <= 0)
        {
            return false;
        }

        var key = TableKeys.Escape(addressKey);
        var window = AuditChain.FormatInstant(windowStart);
        for (var tries = 0; tries < MaxTries; tries++)
        {
            var row = await store.Client.GetAsync(store.RegistryTable, Partition, key, cancellationToken);
            var sameWindow = row is not null && string.Equals(row.GetStringOrNull("WindowStart"), window, StringComparison.Ordinal);
            var counted = sameWindow ? row!.GetInt32("Count") : 0;
            if (counted >= limit)
            {
                return false;
            }

            var next = new TableEntity(Partition, key) { Description = "verification attempts" }
                .Set("WindowStart", window)
                .Set("Count", counted + 1);
            var operation = row is null ? TableOperation.Insert(next) : TableOperation.Replace(next, row.ETag!);
            var result = await store.Client.ExecuteAsync(store.RegistryTable, operation, cancellationToken, 404, 409, 412);
            if (result.Succeeded)
            {
                return true;
            }
        }

        throw new TableStorageException($"Counting a verification attempt: the row kept changing; gave up after {MaxTries} tries.");
    }
}
