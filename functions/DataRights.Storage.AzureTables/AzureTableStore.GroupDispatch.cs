using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

public sealed partial class AzureTableStore
{
    /// <summary>
    /// The dispatches of requests claimed together: each member, once its request is written, hands in its work (or
    /// leaves, when its write failed), and the last to do so copies them all into the queue partition, as many whole
    /// dispatches (items' rows and intent's removal) per transaction as fit. A refused transaction leaves each of its
    /// dispatches to <see cref="DispatchAsync"/>, alone. Groups do not wait for one another; a group of one is a plain dispatch.
    /// </summary>
    internal sealed class DispatchGroup(AzureTableStore store, int members)
    {
        private readonly List<Dispatch> _handedIn = [];
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _outstanding = members;

        /// <summary>Hands in a member's dispatch; completes when it is in the queue (the last member's call writes the group's).</summary>
        public async Task DispatchAsync(string? intentKey, IReadOnlyList<TableEntity> workRows, CancellationToken cancellationToken)
        {
            lock (_handedIn)
            {
                _handedIn.Add(new Dispatch(intentKey, workRows));
            }

            if (Interlocked.Decrement(ref _outstanding) == 0)
            {
                await WriteAsync();
            }

            await _done.Task.WaitAsync(cancellationToken);
        }

        /// <summary>A member that has nothing to dispatch (its request was not written): the others do not wait for it.</summary>
        public void Leave()
        {
            if (Interlocked.Decrement(ref _outstanding) == 0)
            {
                // Not on the leaving member's thread: it is on its way out with its own failure.
                _ = Task.Run(WriteAsync, CancellationToken.None);
            }
        }

        private async Task WriteAsync()
        {
            try
            {
                var dispatches = _handedIn.Where(d => d.IntentKey is not null || d.WorkRows.Count > 0).ToList();
                await Task.WhenAll(Pack(dispatches).Select(WriteTogetherAsync));
                _done.TrySetResult();
            }
            catch (Exception ex)
            {
                // A refusal of the service or an unreachable one: every member gets it (recovery finishes the copies).
                _done.TrySetException(ex);
            }
        }

        /// <summary>Whole dispatches per transaction, in the order handed in; one too large for a transaction goes alone (in chunks).</summary>
        private static List<List<(Dispatch Dispatch, List<TableOperation> Operations)>> Pack(List<Dispatch> dispatches)
        {
            var transactions = new List<List<(Dispatch, List<TableOperation>)>>();
            var size = 0;
            foreach (var dispatch in dispatches)
            {
                var operations = Operations(dispatch);
                if (transactions.Count == 0 || size + operations.Count > TableGateway.MaxBatchOperations)
                {
                    transactions.Add([]);
                    size = 0;
                }

                transactions[^1].Add((dispatch, operations));
                size += operations.Count;
            }

            return transactions;
        }

        private async Task WriteTogetherAsync(List<(Dispatch Dispatch, List<TableOperation> Operations)> members)
        {
            if (members.Count > 1)
            {
                try
                {
                    var result = await store.Client.SubmitTransactionAsync(store.QueueTable, [.. members.SelectMany(m => m.Operations)], CancellationToken.None);
                    if (result.Succeeded)
                    {
                        return;
                    }
                }
                catch (TableStorageException)
                {
                    // Refused as a whole (say, two dispatches of one item): each goes alone, and a real failure shows there.
                }
            }

            await Task.WhenAll(members.Select(m => store.DispatchAsync(m.Dispatch.IntentKey, m.Dispatch.WorkRows, CancellationToken.None)));
        }

        /// <summary>A dispatch's writes as <see cref="AzureTableStore.DispatchAsync"/> makes them: the items' queue rows, then the intent's removal.</summary>
        private static List<TableOperation> Operations(Dispatch dispatch) =>
        [
            .. dispatch.WorkRows.SelectMany(row => QueueRowsFor(row, handedOver: false)).Select(TableOperation.Insert),
            .. dispatch.IntentKey is null ? [] : new[] { TableOperation.Delete(TableRows.QueuePartition, dispatch.IntentKey, "*") },
        ];

        /// <summary>A member's dispatch: its intent (if it wrote one) and its work rows (none when its orchestration reads them from the request).</summary>
        private sealed record Dispatch(string? IntentKey, IReadOnlyList<TableEntity> WorkRows);
    }
}
