using System.Collections.Concurrent;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// A submission whose orchestration is told before its request is written (intake with a Durable client): told once it
/// is claimed and before its partition exists, it writes no intent and no copy of its work, so the relay has nothing to
/// take. Where the telling fails, the relay's intent is written, and the relay announces it once the request is written
/// (its work is not copied either); a duplicate tells nobody.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableAnnouncedSubmitTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Submit_Announced_ToldBeforeItsRequestIsWritten_WritesNoIntent_AndCopiesNoWork()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var told = new ConcurrentBag<(string Id, long Version, bool Written)>();
        async Task<bool> Announce(DataSubjectRequest request, CancellationToken token)
        {
            told.Add((request.Id, request.Version, await store.GetAsync(request.Id, token) is not null));
            return true;
        }

        var outcome = await store.SubmitAsync(New("told@example.com"), T0 - Window, Start, Announce, None);

        Assert.True(outcome.Created);
        Assert.True(outcome.HandedOver);
        var (id, version, written) = Assert.Single(told);
        Assert.Equal(outcome.Request.Id, id);
        Assert.Equal(outcome.Request.Version, version);
        Assert.False(written);
        Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(outcome.Request.Id, None))[TableRows.Pending]);
        Assert.Empty(await OtherQueueRowsAsync(tables));
        Assert.Empty(await IntentsAsync(tables));

        // Nothing for the relay, however late: the announcement (a message of the task hub) is the orchestration's to read.
        var late = TimeProvider.System.GetUtcNow().AddDays(1);
        Assert.Empty(await new AzureTableWorkOutbox(tables).ClaimUntakenAnnouncementsAsync(10, late, TimeSpan.FromMinutes(15), None));
    }

    [Fact]
    public async Task Submit_SeveralAnnouncedTogether_WriteNoIntents_AndCopyNothing()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var before = tables.RoundTrips;

        var outcomes = await Together.SubmitAsync(store, [.. Enumerable.Range(0, 6).Select(i => New($"person.{i}@example.com"))], (_, _) => Task.FromResult(true));

        // One claim, one write of the inbox rows (alongside), each request's own transaction; no intent, no copy into the queue.
        Assert.Equal(2 + 6, tables.RoundTrips - before);
        Assert.All(outcomes, o => Assert.True(o.HandedOver));
        var intent = Assert.Single(await IntentsAsync(tables)); // the earlier submission's, told nobody: left to the relay
        Assert.True(intent.GetBoolean("Relay"));
        Assert.Empty(await OtherQueueRowsAsync(tables));
    }

    [Fact]
    public async Task Submit_AnnouncementRefused_IsLeftToTheRelay_WhichAnnouncesItAtOnce_AndCopiesNothing()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var outbox = new AzureTableWorkOutbox(tables);

        var outcome = await store.SubmitAsync(New("untold@example.com"), T0 - Window, Start, (_, _) => Task.FromResult(false), None);

        Assert.True(outcome.Created);
        Assert.False(outcome.HandedOver);
        Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(outcome.Request.Id, None))[TableRows.Pending]);
        Assert.Empty(await OtherQueueRowsAsync(tables));
        var intent = Assert.Single(await IntentsAsync(tables));
        Assert.True(intent.GetBoolean("Relay"));
        Assert.Equal(
            [new DataRights.Core.Ports.UntakenAnnouncement(outcome.Request.Id, outcome.Request.Version) { First = true }],
            await outbox.ClaimUntakenAnnouncementsAsync(10, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(15), None));
    }

    [Fact]
    public async Task Submit_Duplicate_TellsNobody()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var first = await store.SubmitAsync(New("twice@example.com"), T0 - Window, Start, (_, _) => Task.FromResult(true), None);
        var told = 0;

        var again = await store.SubmitAsync(New("twice@example.com"), T0 - Window, Start, (_, _) => Task.FromResult(Interlocked.Increment(ref told) > 0), None);

        Assert.False(again.Created);
        Assert.Equal(first.Request.Id, again.Request.Id);
        Assert.Equal(0, told);
    }

    /// <summary>Rows of the queue partition other than commits' intents (there should be none: work is copied nowhere).</summary>
    private static async Task<List<TableEntity>> OtherQueueRowsAsync(AzureTableStore tables) =>
        [.. (await tables.Client.QueryAsync(tables.QueueTable, TableKeys.Partition(TableRows.QueuePartition), null, None))
            .Where(r => !r.RowKey.StartsWith(TableRows.IntentPrefix, StringComparison.Ordinal))];

    private static Task<List<TableEntity>> IntentsAsync(AzureTableStore tables) =>
        tables.Client.QueryAsync(tables.QueueTable, $"{TableKeys.Partition(TableRows.QueuePartition)} and {TableKeys.RowKeyPrefix(TableRows.IntentPrefix)}", null, None);
}
