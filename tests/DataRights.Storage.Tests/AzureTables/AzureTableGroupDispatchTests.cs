using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The Table store's group dispatch: the copies of work into the queue partition of requests claimed together go in one
/// transaction once each is written; one that conflicts, or a member that never hands its work in, holds nobody back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableGroupDispatchTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Submit_SeveralClaimedTogether_CopyTheirWorkInOneTransaction()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var before = tables.RoundTrips;

        var outcomes = await Together.SubmitAsync(store, [.. Enumerable.Range(0, 6).Select(i => New($"person.{i}@example.com"))]);

        // One claim, one write of the intents, one of the inbox rows, each request's own transaction, and one copy into the queue for all six.
        Assert.Equal(3 + 6 + 1, tables.RoundTrips - before);
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
        var (a, aWork, b, bWork) = await TwoCommittedAsync(tables);
        // One of b's items reached the queue already (recovery and the writer overlapping).
        await tables.DispatchAsync(null, [bWork[0]], None);
        var group = new AzureTableStore.DispatchGroup(tables, 2);

        await Task.WhenAll(
            group.DispatchAsync(TableRows.Intent(a.Id, a.Version), aWork, None),
            group.DispatchAsync(TableRows.Intent(b.Id, b.Version), bWork, None));

        Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(a.Id, None))["pending"]);
        Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(b.Id, None))["pending"]);
        Assert.Empty(await IntentsAsync(tables));
    }

    [Fact]
    public async Task Dispatch_AMemberWhoseOrchestrationReadsItsWork_HandsInNothing_AndTheOthersAreCopiedAsPending()
    {
        var tables = await azurite.NewStoreAsync();
        var (a, aWork, b, bWork) = await TwoCommittedAsync(tables);
        var group = new AzureTableStore.DispatchGroup(tables, 2);

        // b's orchestration was told before b was written: b's work stays on its rows, and b hands nothing in.
        await tables.Client.ExecuteAsync(tables.QueueTable, TableOperation.Delete(TableRows.QueuePartition, TableRows.Intent(b.Id, b.Version), "*"), None, 404);
        await Task.WhenAll(
            group.DispatchAsync(TableRows.Intent(a.Id, a.Version), aWork, None),
            group.DispatchAsync(null, [], None));

        var queue = new AzureTableWorkQueue(tables);
        Assert.Equal(2, (await queue.CountsAsync(a.Id, None))["pending"]);
        Assert.Empty(await IntentsAsync(tables));
        var claimed = await new AzureTableWorkOutbox(tables).ClaimUnsentAsync(10, T0, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), None);
        Assert.Equal(2, claimed.Count(c => c.Item.RequestId == a.Id));
        Assert.DoesNotContain(claimed, c => c.Item.RequestId == b.Id);
        Assert.Equal(bWork.Count, (await queue.CountsAsync(b.Id, None))["pending"]);
    }

    [Fact]
    public async Task Dispatch_AMemberThatLeaves_DoesNotHoldTheOthersBack()
    {
        var tables = await azurite.NewStoreAsync();
        var (a, aWork, b, _) = await TwoCommittedAsync(tables);
        var group = new AzureTableStore.DispatchGroup(tables, 3);

        var dispatching = group.DispatchAsync(TableRows.Intent(a.Id, a.Version), aWork, None);
        group.Leave();
        group.Leave();
        await dispatching;

        Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(a.Id, None))["pending"]);
        Assert.Equal([TableRows.Intent(b.Id, b.Version)], (await IntentsAsync(tables)).Select(i => i.RowKey));
    }

    /// <summary>Two requests committed by a writer that died right after: their work in their partitions, their intents in the queue.</summary>
    private static async Task<(DataSubjectRequest A, List<TableEntity> AWork, DataSubjectRequest B, List<TableEntity> BWork)> TwoCommittedAsync(AzureTableStore tables)
    {
        var store = new AzureTableRequestStore(tables);
        tables.DispatchAfterCommit = false;
        var a = (await store.SubmitAsync(New("a@example.com"), T0 - Window, Start, None)).Request;
        var b = (await store.SubmitAsync(New("b@example.com"), T0 - Window, Start, None)).Request;
        tables.DispatchAfterCommit = true;
        return (a, await WorkRowsAsync(tables, a), b, await WorkRowsAsync(tables, b));
    }

    private static Task<List<TableEntity>> WorkRowsAsync(AzureTableStore tables, DataSubjectRequest request) =>
        tables.Client.QueryAsync(tables.RequestsTable, $"{TableKeys.Partition(TableRows.RequestPartition(request.Id))} and {TableKeys.RowKeyPrefix(TableRows.WorkPrefix)}", null, None);

    private static Task<List<TableEntity>> IntentsAsync(AzureTableStore tables) =>
        tables.Client.QueryAsync(tables.QueueTable, $"{TableKeys.Partition(TableRows.QueuePartition)} and {TableKeys.RowKeyPrefix(TableRows.IntentPrefix)}", null, None);
}
