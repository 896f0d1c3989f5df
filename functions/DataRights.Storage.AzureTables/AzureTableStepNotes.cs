using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Notes of steps in progress (<see cref="IStepNotes"/>) in the lookups table, where every instance of the program on the
/// storage account sees them: on Azure a step a dead worker held is handed out again to whichever instance asks first, so
/// notes on one instance's disk would let it stop up to <see cref="StopsAllowed"/> workers on each. Partition
/// <c>steps-in-progress:{scope}</c> (the task hub's name), one row per step, keyed by a hash of its text and listing the
/// ids of the runs that took it and have not finished it, and when it was last written (<paramref name="time"/>, the
/// program's clock), nothing else. A step no run holds costs one insert to take and one delete to finish; a note others
/// changed meanwhile is read and written again under its ETag.
/// </summary>
public sealed class AzureTableStepNotes(AzureTableStore store, string scope, int stopsAllowed, TimeProvider? time = null) : IStepNotes
{
    private const int Tries = 5;
    private const string RunsColumn = "Runs";
    private const string TakenColumn = "Taken";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly string _partition = "steps-in-progress:" + TableKeys.Escape(scope);

    /// <summary>This run of the program.</summary>
    private readonly string _run = Guid.NewGuid().ToString("N");

    /// <summary>The notes this run is on and has not let go of (the steps it has in progress).</summary>
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);

    public int StopsAllowed => stopsAllowed;

    public async Task<int> TakeAsync(string step, CancellationToken cancellationToken)
    {
        var key = KeyOf(step);
        for (var attempt = 1; attempt <= Tries; attempt++)
        {
            // The usual case: nobody holds the step.
            if ((await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Insert(Row(key, [_run])), cancellationToken, 409)).Succeeded)
            {
                _held[key] = 0;
                return 0;
            }

            if (await store.Client.GetAsync(store.LookupsTable, _partition, key, cancellationToken) is not { } noted)
            {
                continue;
            }

            var runs = RunsOf(noted);
            var stops = runs.Count(r => r != _run);
            if (stops >= stopsAllowed || runs.Contains(_run))
            {
                if (stops < stopsAllowed)
                {
                    _held[key] = 0;
                }

                return stops;
            }

            if ((await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Replace(Row(key, [.. runs, _run]), noted.ETag!), cancellationToken, 404, 412)).Succeeded)
            {
                _held[key] = 0;
                return stops;
            }
        }

        throw new TableStorageException($"The note of a step in progress changed under each of {Tries} tries to add this run to it.");
    }

    public async Task FinishedAsync(string step, CancellationToken cancellationToken)
    {
        var key = KeyOf(step);
        _held.TryRemove(key, out _);
        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(_partition, key, "*"), cancellationToken, 404);
    }

    public async Task<int> LetGoOfThisRunAsync(CancellationToken cancellationToken)
    {
        var let = 0;
        foreach (var key in _held.Keys.Order(StringComparer.Ordinal))
        {
            _held.TryRemove(key, out _);
            for (var attempt = 1; attempt <= Tries; attempt++)
            {
                if (await store.Client.GetAsync(store.LookupsTable, _partition, key, cancellationToken) is not { } noted)
                {
                    break;
                }

                var others = RunsOf(noted).Where(r => r != _run).ToList();
                var written = others.Count == 0
                    ? await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(_partition, key, noted.ETag!), cancellationToken, 404, 412)
                    : await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Replace(Row(key, others), noted.ETag!), cancellationToken, 404, 412);
                if (written.Succeeded || written.NotFound)
                {
                    let++;
                    break;
                }
            }
        }

        return let;
    }

    public async Task<int> DropUntakenSinceAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {_partition} and Taken lt {before.UtcTicks}");
        var dropped = 0;
        foreach (var noted in await store.Client.QueryAsync(store.LookupsTable, filter, null, cancellationToken, [TakenColumn]))
        {
            // Taken again since the query (its ETag moved) or by this run: it stays.
            if (!_held.ContainsKey(noted.RowKey)
                && (await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(_partition, noted.RowKey, noted.ETag!), cancellationToken, 404, 412)).Succeeded)
            {
                dropped++;
            }
        }

        return dropped;
    }

    private TableEntity Row(string key, IReadOnlyList<string> runs) =>
        new TableEntity(_partition, key) { Description = "step in progress" }.Set(RunsColumn, string.Join(',', runs)).Set(TakenColumn, _time.GetUtcNow().UtcTicks);

    private static List<string> RunsOf(TableEntity noted) =>
        [.. noted.GetString(RunsColumn).Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    private static string KeyOf(string step) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(step)));
}
