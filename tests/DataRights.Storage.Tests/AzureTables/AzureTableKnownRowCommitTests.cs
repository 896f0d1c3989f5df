using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using Xunit.Abstractions;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// A commit decided on this process's last read (or write) of the request is written on that read's ETag, without
/// querying the request's partition first. When the request changed since, or one of the commit's work items is queued
/// already (a replayed effect), that write is refused, the partition is read, and the commit is decided on it as before:
/// refused when another writer moved the version, written (keeping what it found) otherwise.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableKnownRowCommitTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task ACommitDecidedOnThisProcesssRead_IsOneCallLess_ThanTheSameCommitByAProcessThatDidNotReadTheRequest()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var otherTables = new AzureTableStore(tables.Connection);
        var other = new AzureTableRequestStore(otherTables);
        var mine = (await store.SubmitAsync(New("kim.lee@example.com"), T0 - Window, Start, None)).Request;
        var theirs = (await store.SubmitAsync(New("sam.roe@example.com"), T0 - Window, Start, None)).Request;

        var read = (await store.GetAsync(mine.Id, None))!;
        var (updated, audit) = Advance(read, RequestStatus.Verified, T0);
        var before = tables.RoundTrips;
        Assert.True(await store.CommitAsync(Owing(updated, "job", T0), read.Version, audit, None));
        var known = tables.RoundTrips - before;

        var (theirsUpdated, theirsAudit) = Advance(theirs, RequestStatus.Verified, T0);
        var otherBefore = otherTables.RoundTrips;
        Assert.True(await other.CommitAsync(Owing(theirsUpdated, "job", T0), theirs.Version, theirsAudit, None));
        var unknown = otherTables.RoundTrips - otherBefore;

        output.WriteLine($"Round trips: commit on the known row {known}, commit by a process that had not read it {unknown}");
        Assert.Equal(unknown - 1, known);
        foreach (var (id, version) in new[] { (mine.Id, updated.Version), (theirs.Id, theirsUpdated.Version) })
        {
            var stored = (await store.GetWithOpenWorkAsync(id, None))!;
            Assert.Equal(RequestStatus.Verified, stored.Request.Status);
            Assert.Equal(version, stored.Request.Version);
            Assert.Contains(stored.OpenWork, w => w.Id == $"{id}:job");
        }
    }

    [Fact]
    public async Task ARequestAnotherProcessCommittedSinceTheRead_RefusesTheCommit_AndNothingOfItIsWritten()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var other = new AzureTableRequestStore(new AzureTableStore(tables.Connection));
        var submitted = (await store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var read = (await store.GetAsync(submitted.Id, None))!;

        var (theirs, theirAudit) = Advance((await other.GetAsync(submitted.Id, None))!, RequestStatus.Verified, T0);
        Assert.True(await other.CommitAsync(theirs, read.Version, theirAudit, None));

        var (mine, myAudit) = Advance(read, RequestStatus.Rejected, T0.AddSeconds(1));
        var before = tables.RoundTrips;
        Assert.False(await store.CommitAsync(Owing(mine, "mine", T0), read.Version, myAudit, None));

        // A rejection closes the request, so the closing record is written first; then the write on the known ETag was
        // refused, the partition read: the version had moved on. The record left names a request that is not closed: never listed.
        Assert.Equal(3, tables.RoundTrips - before);
        Assert.DoesNotContain(await store.ListClosedWithRunAsync(None), r => r.Id == submitted.Id);
        var stored = (await store.GetWithOpenWorkAsync(submitted.Id, None))!;
        Assert.Equal(RequestStatus.Verified, stored.Request.Status);
        Assert.Equal(theirs.Version, stored.Request.Version);
        Assert.Equal(theirs.AuditHead, stored.Request.AuditHead);
        Assert.DoesNotContain(stored.OpenWork, w => w.Id == $"{submitted.Id}:mine");
    }

    [Fact]
    public async Task ARequestRowTouchedSinceTheRead_WithoutANewVersion_IsReadAgain_AndTheCommitKeepsTheChange()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var submitted = (await store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var read = (await store.GetAsync(submitted.Id, None))!;
        var row = (await tables.Client.GetAsync(tables.RequestsTable, TableRows.RequestPartition(submitted.Id), TableRows.Request, None))!;
        var touch = new TableEntity(row.PartitionKey, row.RowKey).Set("Touched", true);
        Assert.True((await tables.Client.ExecuteAsync(tables.RequestsTable, TableOperation.Merge(touch, row.ETag!), None)).Succeeded);

        var (updated, audit) = Advance(read, RequestStatus.Verified, T0);
        Assert.True(await store.CommitAsync(updated, read.Version, audit, None));

        var written = (await tables.Client.GetAsync(tables.RequestsTable, TableRows.RequestPartition(submitted.Id), TableRows.Request, None))!;
        Assert.True(written.GetBoolean("Touched"));
        Assert.Equal(updated.Version, written.GetInt64("Version"));
        Assert.Equal(RequestStatus.Verified, (await store.GetAsync(submitted.Id, None))!.Status);
    }
}
