using DataRights.Core.Audit;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The Table store's group commit at the lookups partition: submissions that arrive while a claim is being written are
/// claimed together in one transaction, and one that conflicts does not hold the others back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableClaimTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Submit_SeveralArrivingTogether_AreClaimedInOneTransaction_WithConsecutiveReferences()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var before = tables.RoundTrips;

        var outcomes = await Together.SubmitAsync(store, [.. Enumerable.Range(0, 8).Select(i => New($"person.{i}@example.com"))]);

        Assert.All(outcomes, o => Assert.True(o.Created));
        Assert.Equal(Enumerable.Range(2, 8).Select(n => $"DR-2026-{n:D6}"), outcomes.Select(o => o.Request.Reference).Order(StringComparer.Ordinal));
        // One claim and one write of the inbox rows for all eight, then each request's own transaction; their work is
        // copied nowhere (three calls each when claimed one by one).
        Assert.Equal(2 + 8, tables.RoundTrips - before);
        Assert.Equal(9, (await store.ListOpenAsync(100, None)).Count);
        foreach (var outcome in outcomes)
        {
            Assert.Equal(2, (await new AzureTableWorkQueue(tables).CountsAsync(outcome.Request.Id, None))["pending"]);
        }
    }

    [Fact]
    public async Task Submit_IdenticalSubmissionsArrivingTogether_TheLaterAnswersWithTheFirst_AndTakesNoReference()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var first = New();
        var again = New(at: T0.AddSeconds(1));
        var other = New("other@example.com");

        var outcomes = await Together.SubmitAsync(store, [first, again, other]);

        Assert.True(outcomes[0].Created);
        Assert.False(outcomes[1].Created);
        Assert.Equal(first.Id, outcomes[1].Request.Id);
        Assert.True(outcomes[2].Created);
        Assert.Equal(["DR-2026-000001", "DR-2026-000002"], new[] { outcomes[0], outcomes[2] }.Select(o => o.Request.Reference).Order(StringComparer.Ordinal));
        Assert.Null(await store.GetAsync(again.Id, None));
        Assert.Null(await store.FindByStatusTokenHashAsync(again.StatusTokenHash, None));
        Assert.Equal(2, (await store.ListOpenAsync(10, None)).Count);
    }

    [Fact]
    public async Task Submit_OneConflictingWithAnotherProcesssClaim_AnswersWithItsRequest_AndTheOthersStillGoThrough()
    {
        // Separate store objects share nothing in memory, as separate hosts would.
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var otherProcess = new AzureTableRequestStore(new AzureTableStore(tables.Connection));
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var theirs = (await otherProcess.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var a = New("a@example.com");
        var b = New("b@example.com");

        var outcomes = await Together.SubmitAsync(store, [a, New(at: T0.AddSeconds(1)), b]);

        Assert.True(outcomes[0].Created);
        Assert.False(outcomes[1].Created);
        Assert.Equal(theirs.Id, outcomes[1].Request.Id);
        Assert.True(outcomes[2].Created);
        Assert.Equal("DR-2026-000002", theirs.Reference);
        Assert.Equal(["DR-2026-000003", "DR-2026-000004"], new[] { outcomes[0], outcomes[2] }.Select(o => o.Request.Reference).Order(StringComparer.Ordinal));
        Assert.NotNull(await store.GetAsync(a.Id, None));
        Assert.NotNull(await store.GetAsync(b.Id, None));
        Assert.Equal(4, (await store.ListOpenAsync(10, None)).Count);
    }

    [Fact]
    public async Task Submit_WhoseFingerprintIsClaimedByARequestThatNeverAppeared_TakesTheClaimOverOnceThePatiencePasses()
    {
        // A submission that claimed the fingerprint, then stopped before writing its request (a crash, a refused write).
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var repeat = New(at: T0.AddSeconds(1));
        var claim = new TableEntity(TableRows.LookupPartition, TableRows.FingerprintPrefix + TableKeys.Escape(repeat.Fingerprint))
            .Set("RequestId", "dr_never_written")
            .Set("ReceivedAt", AuditChain.FormatInstant(T0));
        await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.Insert(claim), None);

        var outcome = await store.SubmitAsync(repeat, T0 - Window, Start, None);

        Assert.True(outcome.Created);
        Assert.Equal(repeat.Id, outcome.Request.Id);
        var taken = await tables.Client.GetAsync(tables.LookupsTable, TableRows.LookupPartition, claim.RowKey, None);
        Assert.Equal(repeat.Id, taken!.GetString("RequestId"));
    }
}
