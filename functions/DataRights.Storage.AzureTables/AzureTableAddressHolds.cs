using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// <see cref="IAddressHolds"/> on Table storage: one row per held address in the lookups table, keyed by a hash of the
/// address (never the address), written by an insert that only one holder can win, and deleted on its ETag when the hold
/// ends. A holder that died leaves its row until <see cref="HoldFor"/> has passed on the program's clock; the next
/// submission for the address then takes it over on its ETag. A waiter reads the row again after a growing pause
/// (25 ms, doubling, at most 250 ms) up to <see cref="MaxTries"/> times (about half a minute), then gives up.
/// </summary>
public sealed class AzureTableAddressHolds(AzureTableStore store) : IAddressHolds
{
    private const string Partition = "address-hold";
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a hold lasts if its holder never ends it: longer than any submission's taking in can take.</summary>
    public TimeSpan HoldFor { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many times a waiter looks at a held address before it gives up.</summary>
    public int MaxTries { get; init; } = 140;

    public async Task<IAsyncDisposable> HoldAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var key = KeyOf(email);
        for (var tries = 1; tries <= MaxTries; tries++)
        {
            var now = store.Time.GetUtcNow();
            var row = new TableEntity(Partition, key) { Description = "address hold" }.Set("Until", AuditChain.FormatInstant(now + HoldFor));
            var inserted = await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Insert(row), cancellationToken, 409);
            if (inserted.Succeeded)
            {
                return new Hold(store, key, inserted.ETag);
            }

            var held = await store.Client.GetAsync(store.LookupsTable, Partition, key, cancellationToken);
            if (held is null)
            {
                // Its holder ended the hold meanwhile.
                continue;
            }

            if (AuditChain.ParseInstant(held.GetString("Until")) <= now)
            {
                // Its holder died, or stalled past the hold: taken over on the row as read, so only one waiter wins it.
                var taken = await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Replace(row, held.ETag!), cancellationToken, 404, 412);
                if (taken.Succeeded)
                {
                    return new Hold(store, key, taken.ETag);
                }

                continue;
            }

            await Task.Delay(TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, FirstPause.Ticks << Math.Min(tries - 1, 10))), cancellationToken);
        }

        throw new TableStorageException($"Holding an address for a submission: another holder kept it through {MaxTries} tries; try again later.");
    }

    /// <summary>The row key of <paramref name="email"/>'s hold: a hash of the address as intake compares it (trimmed, case ignored).</summary>
    internal static string KeyOf(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hold-v1\u001f" + email.Trim().ToUpperInvariant())));

    /// <summary>A hold; disposing it deletes its row, unless another holder took it over meanwhile (its ETag changed).</summary>
    private sealed class Hold(AzureTableStore store, string key, string? etag) : IAsyncDisposable
    {
        private int _ended;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0)
            {
                return;
            }

            try
            {
                await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(Partition, key, etag ?? "*"), CancellationToken.None, 404, 412);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store could not be reached: the hold ends by itself after HoldFor, and the next submission takes it over.
            }
        }
    }
}
