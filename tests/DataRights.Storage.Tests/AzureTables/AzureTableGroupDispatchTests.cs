using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The Table store's group dispatch: copies of committed work into the queue partition that arrive while one is being
/// written go together in one transaction, and one that conflicts does not hold the others back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableGroupDispatchTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Submit_SeveralDispatchingTogether_CopyTheirWorkInOneTransaction()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var gathered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tables.BeforeDispatching = () => gathered.Task;
        var before = tables.RoundTrips;

        var submitting = Together.SubmitAsync(store, [.. Enumerable.Range(0, 6).Select(i => New($"person.{i}@example.com"))]);
        await UntilAsync(() => tables.WaitingToDispatch == 6);
        gathered.SetResult();
        var outcomes = await submitting;

        // One claim, one write of the intents, each request's own transaction, and one copy into the queue for all six.
        Assert.Equal(2 + 6 + 1, tables.RoundTrips - before);
        foreach (var outcome in outcomes)
        {
            Assert.True(outcome.Created);
            Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(outcome.Request.Id, None))["pending"]);
        }

        Assert.Empty(await IntentsAsync(tables));
    }

    [Fact]
    public async Task Dispatch_OneOfTheGroupCopiedAlready_TheOthersStillGoAndEveryIntentIsRemoved()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        // As if each writer had died right after its commit: the work is in the request partitions, the intents are there.
        tables.DispatchAfterCommit = false;
        var a = (await store.SubmitAsync(New("a@example.com"), T0 - Window, Start, None)).Request;
        var b = (await store.SubmitAsync(New("b@example.com"), T0 - Window, Start, None)).Request;
        var aWork = await WorkRowsAsync(tables, a);
        var bWork = await WorkRowsAsync(tables, b);
        // One of b's items reached the queue already (recovery and the writer overlapping).
        await tables.DispatchAsync(null, [bWork[0]], None);
        var gathered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tables.BeforeDispatching = () => gathered.Task;

        var dispatching = new[]
        {
            tables.DispatchTogetherAsync(TableRows.Intent(a.Id, a.Version), aWork, None),
            tables.DispatchTogetherAsync(TableRows.Intent(b.Id, b.Version), bWork, None),
        };
        await UntilAsync(() => tables.WaitingToDispatch == 2);
        gathered.SetResult();
        await Task.WhenAll(dispatching);

        Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(a.Id, None))["pending"]);
        Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(b.Id, None))["pending"]);
        Assert.Empty(await IntentsAsync(tables));
    }

    private static Task<List<TableEntity>> WorkRowsAsync(AzureTableStore tables, DataSubjectRequest request) =>
        tables.Client.QueryAsync(tables.RequestsTable, $"{TableKeys.Partition(TableRows.RequestPartition(request.Id))} and {TableKeys.RowKeyPrefix(TableRows.WorkPrefix)}", null, None);

    private static Task<List<TableEntity>> IntentsAsync(AzureTableStore tables) =>
        tables.Client.QueryAsync(tables.QueueTable, $"{TableKeys.Partition(TableRows.QueuePartition)} and {TableKeys.RowKeyPrefix(TableRows.IntentPrefix)}", null, None);

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), patience.Token);
        }
    }
}
