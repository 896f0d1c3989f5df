using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The Table store's record of closed requests whose orchestration run has not ended (what the hourly workflow check
/// reads besides the open list): written before the commit that closes a request, or that gives a closed request whose
/// run ended new work; listed while the run goes on; dropped once the run has ended and the row is old enough that no
/// commit can still be under way for it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableClosingRecordTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task ClosingCommit_RecordsTheRequest_ListedWhileItsRunGoesOn_DroppedOnceEndedAndOld_RecordedAgainForANewRun()
    {
        var clock = new FakeTimeProvider(T0);
        var tables = await azurite.NewStoreAsync(clock);
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New("closing@example.com"), T0 - Window, Start, None)).Request;
        var (verified, verifying) = Advance(stored, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await store.CommitAsync(verified, stored.Version, verifying, None));

        // An open request is not recorded: the open list covers it.
        Assert.Null(await ClosingRowAsync(tables, stored.Id));
        Assert.Empty(await store.ListClosedWithRunAsync(None));

        // The commit that closes it, with work left (an export's deletion), records it first.
        var (closed, closing) = Advance(verified, RequestStatus.Completed, T0.AddHours(2));
        Assert.True(await store.CommitAsync(Owing(closed, "export-delete", T0.AddDays(7)), verified.Version, closing, None));
        var recorded = await ClosingRowAsync(tables, stored.Id);
        Assert.NotNull(recorded);
        Assert.Equal([stored.Id], (await store.ListClosedWithRunAsync(None)).Select(r => r.Id));

        // A later commit while the run goes on writes no new record.
        var (noted, noting) = Advance(closed, RequestStatus.Completed, T0.AddHours(3));
        Assert.True(await store.CommitAsync(noted, closed.Version, noting, None));
        Assert.Equal(recorded.ETag, (await ClosingRowAsync(tables, stored.Id))?.ETag);

        // Its work done and its run ended: no longer listed, and its record is kept while it is young (a commit for a
        // new run may be under way), then dropped.
        Assert.NotEmpty((await store.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork);
        Assert.False((await store.EndRunAsync(stored.Id, None))!.Request.RunEnded);
        var (carriedOut, carryingOut) = Advance(noted, RequestStatus.Completed, T0.AddHours(4), progress: noted.Progress with { Owed = [] });
        Assert.True(await store.CommitAsync(carriedOut, noted.Version, carryingOut, None));

        var ended = (await store.EndRunAsync(stored.Id, None))!.Request;
        Assert.True(ended.RunEnded);
        Assert.Empty(await store.ListClosedWithRunAsync(None));
        Assert.NotNull(await ClosingRowAsync(tables, stored.Id));
        clock.Advance(tables.AbandonAfter + TimeSpan.FromMinutes(1));
        Assert.Empty(await store.ListClosedWithRunAsync(None));
        Assert.Null(await ClosingRowAsync(tables, stored.Id));

        // A decision gives the closed request new work (a follow-up erasure, say): a new run, recorded again.
        var (followUp, following) = Advance(ended, RequestStatus.Completed, clock.GetUtcNow());
        Assert.True(await store.CommitAsync(Owing(followUp with { RunEnded = false }, "follow-up", clock.GetUtcNow()), ended.Version, following, None));
        Assert.NotNull(await ClosingRowAsync(tables, stored.Id));
        Assert.Equal([stored.Id], (await store.ListClosedWithRunAsync(None)).Select(r => r.Id));
    }

    [Fact]
    public async Task RecordOfACommitThatNeverLanded_IsNotListed_AndIsDroppedOnceOld()
    {
        var clock = new FakeTimeProvider(T0);
        var tables = await azurite.NewStoreAsync(clock);
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New("never.closed@example.com"), T0 - Window, Start, None)).Request;

        // As if the writer had died between the record and its closing commit: the request is still open.
        var row = new TableEntity(TableRows.LookupPartition, TableRows.ClosingPrefix + TableKeys.Escape(stored.Id))
            .Set("RequestId", stored.Id)
            .Set("IndexedAt", Core.Audit.AuditChain.FormatInstant(clock.GetUtcNow()));
        await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.Upsert(row), None);

        Assert.Empty(await store.ListClosedWithRunAsync(None));
        Assert.NotNull(await ClosingRowAsync(tables, stored.Id));
        clock.Advance(tables.AbandonAfter + TimeSpan.FromMinutes(1));
        Assert.Empty(await store.ListClosedWithRunAsync(None));
        Assert.Null(await ClosingRowAsync(tables, stored.Id));
    }

    private static Task<TableEntity?> ClosingRowAsync(AzureTableStore tables, string requestId) =>
        tables.Client.GetAsync(tables.LookupsTable, TableRows.LookupPartition, TableRows.ClosingPrefix + TableKeys.Escape(requestId), None);
}
