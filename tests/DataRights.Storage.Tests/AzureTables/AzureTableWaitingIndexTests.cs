using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The Table store's awaiting-verification index: one lookups row per address (keyed by a hash of it), with an entry per
/// request written in the claim's transaction; the reader checks each request itself, so an entry left behind is ignored.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableWaitingIndexTests(AzuriteFixture azurite)
{
    private const string Email = "wait@example.com";

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Submit_WritesTheAddressEntryInTheClaimTransaction_UnderAHashOfTheAddress()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var before = tables.RoundTrips;

        var stored = (await store.SubmitAsync(New(Email), T0 - Window, Start, None)).Request;

        // The claim (the inbox row written beside it) and the request's transaction (its work is copied nowhere): the
        // entry needs no call of its own.
        Assert.Equal(3, tables.RoundTrips - before);
        var rows = await tables.Client.QueryAsync(tables.LookupsTable, TableKeys.Partition(TableRows.LookupPartition), null, None);
        var row = Assert.Single(rows, r => r.RowKey == TableRows.Waiting(Email));
        Assert.DoesNotContain("example", row.RowKey, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(rows.SelectMany(r => r.Properties.Values).OfType<string>(), v => v.Contains(Email, StringComparison.Ordinal));
        Assert.EndsWith(" " + stored.Id, row.GetString(TableRows.WaitingEntry(stored.Id)), StringComparison.Ordinal);
        Assert.Equal(stored.Id, (await store.FindAwaitingVerificationAsync(Email, None))?.Id);
    }

    [Fact]
    public async Task Commit_LeavingVerification_RemovesTheEntry()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New(Email), T0 - Window, Start, None)).Request;
        var (verified, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1));

        Assert.True(await store.CommitAsync(verified, stored.Version, audit, None));

        Assert.Null(await WaitingRowAsync(tables, Email));
        Assert.Null(await store.FindAwaitingVerificationAsync(Email, None));
    }

    [Fact]
    public async Task Commit_BackToAwaitingVerification_PutsTheEntryBack_SoTheRequestIsFoundAgain()
    {
        // The person confirmed, then was asked for their details again (they did not match).
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New(Email), T0 - Window, Start, None)).Request;
        var discovering = await MoveAsync(store, await MoveAsync(store, stored, RequestStatus.Verified), RequestStatus.Discovering);
        Assert.Null(await store.FindAwaitingVerificationAsync(Email, None));

        await MoveAsync(store, discovering, RequestStatus.AwaitingVerification);

        Assert.Equal(stored.Id, (await store.FindAwaitingVerificationAsync(Email, None))?.Id);
    }

    [Fact]
    public async Task FindAwaitingVerification_EntryOfARequestThatMovedOn_IsIgnoredAndPruned()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New(Email), T0 - Window, Start, None)).Request;
        var (verified, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await store.CommitAsync(verified, stored.Version, audit, None));
        // As if the process had died between the commit and the entry's removal.
        await PutEntryAsync(tables, Email, stored);

        Assert.Null(await store.FindAwaitingVerificationAsync(Email, None));
        Assert.Null(await WaitingRowAsync(tables, Email));
    }

    [Fact]
    public async Task FindAwaitingVerification_ClaimWhoseRequestNeverAppeared_IsIgnored_AndPrunedOnceAbandoned()
    {
        var clock = new FakeTimeProvider(T0);
        var tables = await azurite.NewStoreAsync(clock);
        var store = new AzureTableRequestStore(tables);
        var waiting = (await store.SubmitAsync(New(Email, details: "first"), T0 - Window, Start, None)).Request;
        // A claim whose writer died before writing its request: its entry names a request that does not exist.
        var lost = New(Email, details: "lost");
        await PutEntryAsync(tables, Email, lost);

        Assert.Equal(waiting.Id, (await store.FindAwaitingVerificationAsync(Email, None))?.Id);
        Assert.NotNull((await WaitingRowAsync(tables, Email))?.GetStringOrNull(TableRows.WaitingEntry(lost.Id)));

        clock.Advance(tables.AbandonAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(waiting.Id, (await store.FindAwaitingVerificationAsync(Email, None))?.Id);
        var row = await WaitingRowAsync(tables, Email);
        Assert.Null(row?.GetStringOrNull(TableRows.WaitingEntry(lost.Id)));
        Assert.NotNull(row?.GetStringOrNull(TableRows.WaitingEntry(waiting.Id)));
    }

    [Fact]
    public async Task FindAwaitingVerification_RequestsOfOneAddressFromTwoProcesses_FindsTheNewestStillWaiting()
    {
        // Separate store objects share nothing in memory, as separate hosts would.
        var tables = await azurite.NewStoreAsync();
        var one = new AzureTableRequestStore(tables);
        var other = new AzureTableRequestStore(new AzureTableStore(tables.Connection));
        var older = (await one.SubmitAsync(New(Email, details: "by post"), T0 - Window, Start, None)).Request;
        var newer = (await other.SubmitAsync(New(Email, at: T0.AddMinutes(1), details: "by the form"), T0 - Window, Start, None)).Request;

        Assert.Equal(newer.Id, (await one.FindAwaitingVerificationAsync(Email, None))?.Id);
        Assert.Equal(newer.Id, (await other.FindAwaitingVerificationAsync(Email, None))?.Id);

        var (verified, audit) = Advance(newer, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await other.CommitAsync(verified, newer.Version, audit, None));

        Assert.Equal(older.Id, (await one.FindAwaitingVerificationAsync(Email, None))?.Id);
        Assert.Null(await one.FindAwaitingVerificationAsync("someone.else@example.com", None));
    }

    [Fact]
    public async Task Submit_TwoForOneAddressInOneClaim_EntersBoth()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);

        var outcomes = await Together.SubmitAsync(store, [New(Email, details: "one"), New(Email, at: T0.AddSeconds(1), details: "two"), New("other@example.com")]);

        Assert.All(outcomes, o => Assert.True(o.Created));
        var row = await WaitingRowAsync(tables, Email);
        Assert.NotNull(row?.GetStringOrNull(TableRows.WaitingEntry(outcomes[0].Request.Id)));
        Assert.NotNull(row?.GetStringOrNull(TableRows.WaitingEntry(outcomes[1].Request.Id)));
        Assert.Equal(outcomes[1].Request.Id, (await store.FindAwaitingVerificationAsync(Email, None))?.Id);
        Assert.Equal(outcomes[2].Request.Id, (await store.FindAwaitingVerificationAsync("other@example.com", None))?.Id);
    }

    [Fact]
    public async Task Initialize_TablesWithRequestsStoredBeforeTheIndex_IndexesThoseThatMayAwaitVerification()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var waiting = (await store.SubmitAsync(New(Email), T0 - Window, Start, None)).Request;
        var received = (await store.SubmitAsync(New("received@example.com"), T0 - Window, Unchanged, None)).Request;
        // As the tables were before the index: no entries, no marker.
        foreach (var key in new[] { TableRows.Waiting(Email), TableRows.Waiting("received@example.com"), TableRows.WaitingIndexBuilt })
        {
            await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.Delete(TableRows.LookupPartition, key, "*"), None, 404);
        }

        Assert.Null(await store.FindAwaitingVerificationAsync(Email, None));

        await new AzureTableStore(tables.Connection).InitializeAsync(None);

        Assert.Equal(waiting.Id, (await store.FindAwaitingVerificationAsync(Email, None))?.Id);
        Assert.NotNull((await WaitingRowAsync(tables, "received@example.com"))?.GetStringOrNull(TableRows.WaitingEntry(received.Id)));
    }

    /// <summary>Commits <paramref name="current"/> moved on to <paramref name="to"/>, an hour later.</summary>
    private static async Task<DataSubjectRequest> MoveAsync(AzureTableRequestStore store, DataSubjectRequest current, RequestStatus to)
    {
        var (moved, audit) = Advance(current, to, current.UpdatedAt.AddHours(1));
        Assert.True(await store.CommitAsync(moved, current.Version, audit, None));
        return moved;
    }

    private static Task<TableEntity?> WaitingRowAsync(AzureTableStore tables, string email) =>
        tables.Client.GetAsync(tables.LookupsTable, TableRows.LookupPartition, TableRows.Waiting(email), None);

    private static async Task PutEntryAsync(AzureTableStore tables, string email, DataSubjectRequest request) =>
        await PutEntryAsync(tables, email, request.Id, request.ReceivedAt);

    private static async Task PutEntryAsync(AzureTableStore tables, string email, NewRequest request) =>
        await PutEntryAsync(tables, email, request.Id, request.ReceivedAt);

    private static async Task PutEntryAsync(AzureTableStore tables, string email, string id, DateTimeOffset receivedAt)
    {
        var row = new TableEntity(TableRows.LookupPartition, TableRows.Waiting(email)).Set(TableRows.WaitingEntry(id), Core.Audit.AuditChain.FormatInstant(receivedAt) + " " + id);
        await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.UpsertMerge(row), None);
    }
}
