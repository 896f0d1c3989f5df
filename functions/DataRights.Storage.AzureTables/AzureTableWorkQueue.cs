using DataRights.Core.Audit;
using DataRights.Core.Ports;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The work queue on Table storage. An item's state lives on its work row in its request's partition: pending (due at
/// <c>NotBefore</c>), leased (with the lease's token and end, leased by id through <see cref="AzureTableWorkOutbox"/>),
/// done or dead. Every change is one write of that row conditional on its ETag: the one the lease last wrote (kept in
/// the process, so no read first), or, when the row changed since, the one read while the lease's token still held it:
/// two deliveries can never both complete or retry the same item.
/// </summary>
public sealed class AzureTableWorkQueue(AzureTableStore store) : IWorkQueue
{
    public Task<bool> CompleteAsync(LeasedWorkItem item, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(item, TableRows.Done, now, null, cancellationToken);

    public async Task<bool> RetryAsync(LeasedWorkItem item, DateTimeOffset notBefore, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(error);
        return await store.ChangeHeldWorkRowAsync(
            item,
            work => work
                .Set("State", TableRows.Pending)
                .Set("NotBefore", AuditChain.FormatInstant(notBefore))
                .Set("LeaseToken", null)
                .Set("LeaseUntil", null)
                .Set("LastError", Truncate(error)),
            cancellationToken);
    }

    public Task<bool> DeadLetterAsync(LeasedWorkItem item, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        FinishAsync(item, TableRows.Dead, now, error, cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(string requestId, CancellationToken cancellationToken)
    {
        var work = await store.WorkRowsOfAsync(requestId, cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { [TableRows.Pending] = 0, [TableRows.Leased] = 0, [TableRows.Done] = 0, [TableRows.Dead] = 0 };
        foreach (var state in work.Select(row => row.GetString("State")))
        {
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        return counts;
    }

    /// <summary>Done or dead: the final state goes on the work row, if the lease still holds it.</summary>
    private async Task<bool> FinishAsync(LeasedWorkItem item, string state, DateTimeOffset now, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await store.ChangeHeldWorkRowAsync(
            item,
            work =>
            {
                var finished = AzureTableStore.Finished(work, state, now);
                return error is null ? finished : finished.Set("LastError", Truncate(error));
            },
            cancellationToken);
    }

    private static string Truncate(string error) => error.Length > 2000 ? error[..2000] : error;
}
