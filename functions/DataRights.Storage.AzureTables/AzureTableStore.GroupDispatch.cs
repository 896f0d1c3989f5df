using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Dispatches that arrive while one is being written wait, and then go into the queue partition together: as many
/// whole dispatches (their items' rows and their intent's removal) as fit one transaction. A transaction that is
/// refused (an item there already, an intent gone) leaves each of its dispatches to <see cref="DispatchAsync"/>, alone.
/// Alone, a dispatch is written at once, as before.
/// </summary>
public sealed partial class AzureTableStore
{
    private readonly Lock _dispatchTurn = new();
    private readonly List<WaitingDispatch> _dispatches = [];
    private bool _dispatching;

    /// <summary>Tests only: awaited before each group of waiting dispatches is taken, so a test can let several gather.</summary>
    internal Func<Task>? BeforeDispatching { get; set; }

    /// <summary>Dispatches waiting for the next transaction.</summary>
    internal int WaitingToDispatch
    {
        get
        {
            lock (_dispatchTurn)
            {
                return _dispatches.Count;
            }
        }
    }

    /// <summary><see cref="DispatchAsync"/>, in one transaction with the dispatches of other writers that arrive meanwhile.</summary>
    internal Task DispatchTogetherAsync(string? intentKey, IReadOnlyList<TableEntity> workRows, CancellationToken cancellationToken)
    {
        if (workRows.Count == 0 && intentKey is null)
        {
            return Task.CompletedTask;
        }

        var dispatch = new WaitingDispatch(intentKey, workRows);
        bool lead;
        lock (_dispatchTurn)
        {
            _dispatches.Add(dispatch);
            lead = !_dispatching;
            _dispatching = true;
        }

        if (lead)
        {
            // Not on the caller's token: the transaction it writes serves every dispatch in it.
            _ = Task.Run(DispatchWaitingAsync, CancellationToken.None);
        }

        return dispatch.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task DispatchWaitingAsync()
    {
        while (true)
        {
            if (BeforeDispatching is { } gather)
            {
                await gather();
            }

            List<WaitingDispatch> group;
            lock (_dispatchTurn)
            {
                if (_dispatches.Count == 0)
                {
                    _dispatching = false;
                    return;
                }

                group = [.. _dispatches];
                _dispatches.Clear();
            }

            // Whole dispatches per transaction, in arrival order; one too large for a transaction goes alone (in chunks).
            var transactions = new List<List<WaitingDispatch>>();
            foreach (var dispatch in group)
            {
                if (dispatch.Operations.Count > TableGateway.MaxBatchOperations)
                {
                    transactions.Add([dispatch]);
                }
                else if (transactions.Count > 0 && transactions[^1] is var last && last.Sum(d => d.Operations.Count) + dispatch.Operations.Count <= TableGateway.MaxBatchOperations)
                {
                    last.Add(dispatch);
                }
                else
                {
                    transactions.Add([dispatch]);
                }
            }

            await Task.WhenAll(transactions.Select(WriteTogetherAsync));
        }
    }

    private async Task WriteTogetherAsync(List<WaitingDispatch> members)
    {
        if (members.Count > 1)
        {
            try
            {
                var result = await Client.SubmitTransactionAsync(QueueTable, [.. members.SelectMany(m => m.Operations)], CancellationToken.None);
                if (result.Succeeded)
                {
                    members.ForEach(m => m.Done.TrySetResult());
                    return;
                }
            }
            catch (TableStorageException)
            {
                // Refused as a whole (say, two dispatches of one item): each goes alone, and a real failure shows there.
            }
        }

        await Task.WhenAll(members.Select(async m =>
        {
            try
            {
                await DispatchAsync(m.IntentKey, m.WorkRows, CancellationToken.None);
                m.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                // The caller gets it; its intent stays for recovery to finish the copy.
                m.Done.TrySetException(ex);
            }
        }));
    }

    /// <summary>A dispatch waiting for its transaction: its items' queue rows and its intent's removal.</summary>
    private sealed class WaitingDispatch(string? intentKey, IReadOnlyList<TableEntity> workRows)
    {
        public string? IntentKey { get; } = intentKey;

        public IReadOnlyList<TableEntity> WorkRows { get; } = workRows;

        public List<TableOperation> Operations { get; } =
        [
            .. workRows.SelectMany(QueueRowsFor).Select(TableOperation.Insert),
            .. intentKey is null ? [] : new[] { TableOperation.Delete(TableRows.QueuePartition, intentKey, "*") },
        ];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
