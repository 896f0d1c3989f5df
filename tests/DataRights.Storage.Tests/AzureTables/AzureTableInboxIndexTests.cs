using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The Table store's inbox index: a row per open request in the inbox order, filtered by the service, kept current by
/// the request's commits; the reader reads the requests listed and drops (and repairs) entries that no longer match.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableInboxIndexTests(AzuriteFixture azurite)
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static CancellationToken None => CancellationToken.None;

    private static readonly InboxFilter All = new();

    [Fact]
    public async Task List_OpenRequests_ComeInTheOrderOfTheFullList()
    {
        var (_, store) = await NewAsync();
        var due = new DateOnly(2026, 12, 2);
        await SubmitAsync(store, New("a@example.com", T0.AddHours(2), due));
        await SubmitAsync(store, New("b@example.com", T0.AddHours(1), due));
        await SubmitAsync(store, New("c@example.com", T0.AddHours(3), due.AddDays(-5)));
        await SubmitAsync(store, New("d@example.com", T0.AddHours(1), due.AddDays(9)));

        var page = await store.ListAsync(All, null, 10, None);

        Assert.Equal((await store.ListOpenAsync(10, None)).Select(r => r.Id), page.Entries.Select(e => e.RequestId));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task List_EachFilter_IsAnsweredByTheIndex()
    {
        var (_, store) = await NewAsync();
        var access = await SubmitAsync(store, With(New("access@example.com"), RequestType.Access, Jurisdiction.UK));
        var eu = await SubmitAsync(store, With(New("eu@example.com"), RequestType.Erasure, Jurisdiction.EU));
        var late = await SubmitAsync(store, New("late@example.com", dueOn: new DateOnly(2026, 11, 20)));
        var verified = await SubmitAsync(store, New("verified@example.com"));
        var (moved, audit) = Advance(verified, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await store.CommitAsync(moved, verified.Version, audit, [], None));

        Assert.Equal([verified.Id], await IdsAsync(store, All with { Status = RequestStatus.Verified }));
        Assert.Equal([access.Id], await IdsAsync(store, All with { Type = RequestType.Access }));
        Assert.Equal([eu.Id], await IdsAsync(store, All with { Jurisdiction = Jurisdiction.EU }));
        Assert.Equal([late.Id], await IdsAsync(store, All with { DueBefore = new DateOnly(2026, 11, 21) }));
        Assert.Empty(await IdsAsync(store, All with { DueBefore = new DateOnly(2026, 11, 20) }));
        Assert.Equal([verified.Id], await IdsAsync(store, All with { AnyOfStatuses = [RequestStatus.Verified, RequestStatus.Discovering] }));
        Assert.Equal([eu.Id], await IdsAsync(store, All.WithSearch(eu.Reference.ToLowerInvariant())));
        Assert.Equal(4, (await IdsAsync(store, All.WithSearch("dr-2026-"))).Count);
        Assert.Equal([access.Id], await IdsAsync(store, All.WithSearch("  ACCESS@Example.com ")));
        Assert.Empty(await IdsAsync(store, All.WithSearch("access@example")));
        Assert.Equal([access.Id], await IdsAsync(store, All with { Type = RequestType.Access, Jurisdiction = Jurisdiction.UK, Status = RequestStatus.AwaitingVerification }));
    }

    [Fact]
    public async Task Index_KeepsAKeyedHashOfTheAddress_NeverTheAddress()
    {
        var (tables, store) = await NewAsync();
        await SubmitAsync(store, New("private.person@example.com"));

        var rows = await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition(TableRows.InboxPartition), null, None);

        var row = Assert.Single(rows);
        Assert.DoesNotContain(row.Properties.Values.OfType<string>(), v => v.Contains("example", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(AddressKey("private.person@example.com"), row.GetString("AddressKey"));
    }

    [Fact]
    public async Task List_ByCursor_WalksEveryOpenRequestOnce()
    {
        var (_, store) = await NewAsync();
        for (var i = 0; i < 7; i++)
        {
            await SubmitAsync(store, New($"p{i}@example.com", T0.AddMinutes(i % 3), new DateOnly(2026, 12, 1).AddDays(i % 2)));
        }

        var walked = new List<string>();
        OpenRequestCursor? after = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(All, after, 3, None);
            walked.AddRange(page.Entries.Select(e => e.RequestId));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal((await store.ListOpenAsync(10, None)).Select(r => r.Id), walked);
    }

    [Fact]
    public async Task Commit_ChangingTheDueDate_MovesTheRow()
    {
        var (tables, store) = await NewAsync();
        var first = await SubmitAsync(store, New("first@example.com", dueOn: new DateOnly(2026, 12, 1)));
        var second = await SubmitAsync(store, New("second@example.com", dueOn: new DateOnly(2026, 12, 5)));
        var (extended, audit) = Advance(first, RequestStatus.AwaitingVerification, T0.AddHours(1));
        extended = extended with { Deadline = extended.Deadline with { DueOn = new DateOnly(2027, 2, 1) } };

        Assert.True(await store.CommitAsync(extended, first.Version, audit, [], None));

        Assert.Equal([second.Id, first.Id], (await store.ListAsync(All, null, 10, None)).Entries.Select(e => e.RequestId));
        Assert.Equal(2, (await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition(TableRows.InboxPartition), null, None)).Count);
        Assert.Equal(new DateOnly(2027, 2, 1), (await store.ListAsync(All, null, 10, None)).Entries[^1].DueOn);
    }

    [Fact]
    public async Task Commit_ClosingTheRequest_TakesItOutOfTheIndex()
    {
        var (_, store) = await NewAsync();
        var closed = await SubmitAsync(store, New("closed@example.com"));
        var open = await SubmitAsync(store, New("open@example.com"));
        var (rejected, audit) = Advance(closed, RequestStatus.Rejected, T0.AddHours(1));

        Assert.True(await store.CommitAsync(rejected, closed.Version, audit, [], None));

        Assert.Equal([open.Id], (await store.ListAsync(All, null, 10, None)).Entries.Select(e => e.RequestId));
    }

    [Fact]
    public async Task Reader_EntryLeftBehindByACrash_IsDroppedAndRepaired()
    {
        var (tables, store) = await NewAsync();
        var request = await SubmitAsync(store, New("moved@example.com"));
        var stale = (await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition(TableRows.InboxPartition), null, None)).Single();
        var (verified, audit) = Advance(request, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await store.CommitAsync(verified, request.Version, audit, [], None));

        // As if the process died after the commit, before its index row was written: the row still says "awaiting verification".
        await tables.Client.ExecuteAsync(tables.InboxTable, TableOperation.Upsert(stale), None);
        var waiting = All with { Status = RequestStatus.AwaitingVerification };
        Assert.Single((await store.ListAsync(waiting, null, 10, None)).Entries);

        var read = await InboxReader.ReadAsync(store, store, waiting, null, 10, null, None);

        Assert.Empty(read.Requests);
        Assert.Equal(1, read.Dropped);
        Assert.Empty((await store.ListAsync(waiting, null, 10, None)).Entries);
        Assert.Equal([request.Id], (await InboxReader.ReadAsync(store, store, All with { Status = RequestStatus.Verified }, null, 10, null, None)).Requests.Select(r => r.Id));
    }

    [Fact]
    public async Task Reader_RowUnderAnOldDueDate_IsDroppedAndRemoved()
    {
        var (tables, store) = await NewAsync();
        var request = await SubmitAsync(store, New("due@example.com", dueOn: new DateOnly(2026, 12, 1)));
        var stale = (await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition(TableRows.InboxPartition), null, None)).Single();
        var (extended, audit) = Advance(request, RequestStatus.AwaitingVerification, T0.AddHours(1));
        Assert.True(await store.CommitAsync(extended with { Deadline = extended.Deadline with { DueOn = new DateOnly(2027, 1, 4) } }, request.Version, audit, [], None));
        await tables.Client.ExecuteAsync(tables.InboxTable, TableOperation.Upsert(stale), None);

        var read = await InboxReader.ReadAsync(store, store, All, null, 10, null, None);

        Assert.Equal([request.Id], read.Requests.Select(r => r.Id));
        Assert.Equal(1, read.Dropped);
        Assert.Single((await store.ListAsync(All, null, 10, None)).Entries);
    }

    [Fact]
    public async Task Initialize_RequestsStoredBeforeTheIndex_AreIndexedOnce()
    {
        var (tables, store) = await NewAsync();
        var open = await SubmitAsync(store, New("old@example.com"));
        var row = (await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition(TableRows.InboxPartition), null, None)).Single();
        await tables.Client.ExecuteAsync(tables.InboxTable, TableOperation.Delete(row.PartitionKey, row.RowKey, "*"), None);
        await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.Delete(TableRows.LookupPartition, TableRows.InboxIndexBuilt, "*"), None);

        await new AzureTableStore(tables.Connection) { AddressKey = AddressKey }.InitializeAsync(None);

        Assert.Equal([open.Id], (await store.ListAsync(All, null, 10, None)).Entries.Select(e => e.RequestId));
    }

    [Fact]
    public async Task List_ByCursor_AcrossWindowsOfDueDays_WalksEveryOpenRequestOnceInOrder()
    {
        var (_, store) = await NewAsync(new FakeTimeProvider(T0));
        var today = DateOnly.FromDateTime(T0.UtcDateTime);
        foreach (var (days, i) in new[] { -90, -1, 0, 0, 6, 7, 34, 35, 146, 147, 400, 3700, 3800 }.Select((d, i) => (d, i)))
        {
            await SubmitAsync(store, New($"w{i}@example.com", T0.AddMinutes(i), today.AddDays(days)));
        }

        var walked = new List<string>();
        OpenRequestCursor? after = null;
        do
        {
            var page = await store.ListAsync(All, after, 2, None);
            walked.AddRange(page.Entries.Select(e => e.RequestId));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal((await store.ListOpenAsync(20, None)).Select(r => r.Id), walked);
    }

    [Fact]
    public async Task List_NarrowFilterMatchingFarDown_FindsItPastAFullPageOfOthers()
    {
        var (_, store) = await NewAsync(new FakeTimeProvider(T0));
        var today = DateOnly.FromDateTime(T0.UtcDateTime);
        for (var i = 0; i < 30; i++)
        {
            await SubmitAsync(store, New($"near{i}@example.com", T0.AddMinutes(i), today.AddDays(i % 7)));
        }

        var match = await SubmitAsync(store, With(New("far@example.com", T0, today.AddDays(20)), RequestType.Portability, Jurisdiction.BR));

        var first = await store.ListAsync(All, null, 25, None);
        var narrow = await InboxReader.ReadAsync(store, store, All with { Type = RequestType.Portability }, null, 25, null, None);

        Assert.Equal(25, first.Entries.Count);
        Assert.DoesNotContain(match.Id, first.Entries.Select(e => e.RequestId));
        Assert.False(first.ScannedOut);
        Assert.Equal([match.Id], narrow.Requests.Select(r => r.Id));
    }

    [Fact]
    public async Task Reader_MatchBeyondWhereTheListingStops_OffersToLookFurther_AndLookingFurtherFindsIt()
    {
        var (_, store) = await NewAsync(new FakeTimeProvider(T0));
        var today = DateOnly.FromDateTime(T0.UtcDateTime);
        for (var i = 0; i < 5; i++)
        {
            await SubmitAsync(store, New($"soon{i}@example.com", T0.AddMinutes(i), today.AddDays(i * 10)));
        }

        // Past the windows of the first listing (before today, then 7, 28 and 112 days on).
        var match = await SubmitAsync(store, With(New("later@example.com", T0, today.AddDays(400)), RequestType.Portability, Jurisdiction.BR));
        var filter = All with { Type = RequestType.Portability, Jurisdiction = Jurisdiction.BR };

        var first = await InboxReader.ReadAsync(store, store, filter, null, 25, null, None);
        var further = await InboxReader.ReadAsync(store, store, filter, first.Next, 25, null, None);

        Assert.Empty(first.Requests);
        Assert.True(first.ScannedOut);
        Assert.NotNull(first.Next);
        Assert.True(first.Next.DueOn <= match.Deadline.DueOn, "Looking further starts before the match.");
        Assert.Equal([match.Id], further.Requests.Select(r => r.Id));
        Assert.Null(further.Next);
    }

    private async Task<(AzureTableStore Tables, AzureTableRequestStore Store)> NewAsync(TimeProvider? time = null)
    {
        var tables = new AzureTableStore(azurite.NewConnection(), time) { AddressKey = AddressKey };
        await tables.InitializeAsync(None);
        return (tables, new AzureTableRequestStore(tables));
    }

    private static string AddressKey(string email) => Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(email)));

    private static async Task<DataSubjectRequest> SubmitAsync(AzureTableRequestStore store, NewRequest request) =>
        (await store.SubmitAsync(request, T0 - Window, Start, None)).Request;

    private static NewRequest With(NewRequest request, RequestType type, Jurisdiction jurisdiction)
    {
        var intake = request.Intake with { Type = type, Jurisdiction = jurisdiction };
        return request with { Intake = intake, Fingerprint = RequestFingerprint.Compute(intake) };
    }

    private static async Task<List<string>> IdsAsync(AzureTableRequestStore store, InboxFilter filter) =>
        [.. (await store.ListAsync(filter, null, 50, None)).Entries.Select(e => e.RequestId)];
}
