using System.Collections.Concurrent;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// A submission whose orchestration is told before its request is written (intake): told once it is claimed and before
/// its partition exists, with nothing written for the telling. Where the telling fails, the claim is given back and
/// nothing is written, so the person can send the same request again and it is not taken for a duplicate; a duplicate
/// tells nobody.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableAnnouncedSubmitTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Submit_Announced_IsToldBeforeItsRequestIsWritten_WithItsVersion()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var told = new ConcurrentBag<(string Id, long Version, bool Written)>();
        async Task Announce(DataSubjectRequest request, CancellationToken token) =>
            told.Add((request.Id, request.Version, await store.GetAsync(request.Id, token) is not null));

        var outcome = await store.SubmitAsync(New("told@example.com"), T0 - Window, Start, Announce, None);

        Assert.True(outcome.Created);
        Assert.True(outcome.HandedOver);
        var (id, version, written) = Assert.Single(told);
        Assert.Equal(outcome.Request.Id, id);
        Assert.Equal(outcome.Request.Version, version);
        Assert.False(written);
        Assert.Equal(2, (await store.GetWithOpenWorkAsync(outcome.Request.Id, None))!.OpenWork.Count);
    }

    [Fact]
    public async Task Submit_SeveralAnnouncedTogether_TakeOneClaim_AndTheirOwnWritesOnly()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var before = tables.RoundTrips;

        var outcomes = await Together.SubmitAsync(store, [.. Enumerable.Range(0, 6).Select(i => New($"person.{i}@example.com"))], (_, _) => Task.CompletedTask);

        // One claim, one write of the inbox rows (alongside), each request's own transaction.
        Assert.Equal(2 + 6, tables.RoundTrips - before);
        Assert.All(outcomes, o => Assert.True(o.HandedOver));
    }

    [Fact]
    public async Task Submit_AnnouncementRefused_WritesNothing_AndGivesTheClaimBack_SoTheSameRequestCanBeSentAgain()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var request = New("refused@example.com");
        var refused = new InvalidOperationException("The task hub refused.");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.SubmitAsync(request, T0 - Window, Start, (_, _) => Task.FromException(refused), None));

        Assert.Same(refused, thrown);
        Assert.Null(await store.GetAsync(request.Id, None));
        Assert.Null(await store.FindByStatusTokenHashAsync(request.StatusTokenHash, None));
        Assert.Null(await store.FindAwaitingVerificationAsync(request.Intake.Email, None));
        Assert.DoesNotContain(await store.ListOpenAsync(100, None), r => r.Id == request.Id);
        Assert.Empty(await RowsNamingAsync(tables, tables.LookupsTable, request.Id));
        Assert.Empty(await RowsNamingAsync(tables, tables.InboxTable, request.Id));

        // Sent again (a new submission of the same request): not a duplicate of the one never written, so it is stored.
        var again = New("refused@example.com", at: T0.AddMinutes(1));
        var outcome = await store.SubmitAsync(again, again.ReceivedAt - Window, Start, (_, _) => Task.CompletedTask, None);
        Assert.True(outcome.Created);
        Assert.Equal(again.Id, outcome.Request.Id);
        Assert.Equal(again.Id, (await store.FindAwaitingVerificationAsync(again.Intake.Email, None))!.Id);
    }

    [Fact]
    public async Task Submit_Duplicate_TellsNobody()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var first = await store.SubmitAsync(New("twice@example.com"), T0 - Window, Start, (_, _) => Task.CompletedTask, None);
        var told = 0;

        var again = await store.SubmitAsync(New("twice@example.com"), T0 - Window, Start, (_, _) => Task.FromResult(Interlocked.Increment(ref told)), None);

        Assert.False(again.Created);
        Assert.Equal(first.Request.Id, again.Request.Id);
        Assert.Equal(0, told);
    }

    /// <summary>Rows of <paramref name="table"/> whose keys, property names or text values name <paramref name="requestId"/>.</summary>
    private static async Task<List<string>> RowsNamingAsync(AzureTableStore tables, string table, string requestId) =>
        [.. (await tables.Client.QueryAsync(table, "PartitionKey ge ''", null, None))
            .Where(r => r.RowKey.Contains(requestId, StringComparison.Ordinal)
                || r.Properties.Any(p => p.Key.Contains(requestId, StringComparison.Ordinal) || (p.Value is string v && v.Contains(requestId, StringComparison.Ordinal))))
            .Select(r => r.PartitionKey + "/" + r.RowKey)];
}
