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
        Assert.True(await store.CommitAsync(moved, verified.Version, audit, None));

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

        var rows = await InboxRowsAsync(tables);

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

        Assert.True(await store.CommitAsync(extended, first.Version, audit, None));

        Assert.Equal([second.Id, first.Id], (await store.ListAsync(All, null, 10, None)).Entries.Select(e => e.RequestId));
        Assert.Equal(2, (await InboxRowsAsync(tables)).Count);
        Assert.Equal(new DateOnly(2027, 2, 1), (await store.ListAsync(All, null, 10, None)).Entries[^1].DueOn);
    }

    [Fact]
    public async Task Commit_MovingNeitherStatusNorDueDate_WritesNoRow_SaveTheOneAfterTheFirstWrite_WhichPutsBackARowACrashLeftOut()
    {
        var (tables, store) = await NewAsync();
        var request = await SubmitAsync(store, New("steady@example.com"));

        // As if the process died between the request's first write and its row.
        var row = Assert.Single(await InboxRowsAsync(tables));
        await tables.Client.ExecuteAsync(tables.InboxTable, TableOperation.Delete(row.PartitionKey, row.RowKey, "*"), None);
        var (second, audit) = Advance(request, RequestStatus.AwaitingVerification, T0.AddHours(1));
        Assert.True(await store.CommitAsync(second, request.Version, audit, None));
        var written = Assert.Single(await InboxRowsAsync(tables));

        // A commit that leaves what the row lists as it was leaves the row as it was.
        var (third, thirdAudit) = Advance(second, RequestStatus.AwaitingVerification, T0.AddHours(2));
        Assert.True(await store.CommitAsync(third, second.Version, thirdAudit, None));
        Assert.Equal(written.ETag, Assert.Single(await InboxRowsAsync(tables)).ETag);

        // One that moves the status rewrites it.
        var (verified, verifiedAudit) = Advance(third, RequestStatus.Verified, T0.AddHours(3));
        Assert.True(await store.CommitAsync(verified, third.Version, verifiedAudit, None));
        var listed = Assert.Single((await store.ListAsync(All, null, 10, None)).Entries);
        Assert.Equal((request.Id, RequestStatus.Verified), (listed.RequestId, listed.Status));
    }

    [Fact]
    public async Task Commit_ClosingTheRequest_TakesItOutOfTheIndex()
    {
        var (_, store) = await NewAsync();
        var closed = await SubmitAsync(store, New("closed@example.com"));
        var open = await SubmitAsync(store, New("open@example.com"));
        var (rejected, audit) = Advance(closed, RequestStatus.Rejected, T0.AddHours(1));

        Assert.True(await store.CommitAsync(rejected, closed.Version, audit, None));

        Assert.Equal([open.Id], (await store.ListAsync(All, null, 10, None)).Entries.Select(e => e.RequestId));
    }

    [Fact]
    public async Task Reader_EntryLeftBehindByACrash_IsDroppedAndRepaired()
    {
        var (tables, store) = await NewAsync();
        var request = await SubmitAsync(store, New("moved@example.com"));
        var stale = (await InboxRowsAsync(tables)).Single();
        var (verified, audit) = Advance(request, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await store.CommitAsync(verified, request.Version, audit, None));

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
        var stale = (await InboxRowsAsync(tables)).Single();
        var (extended, audit) = Advance(request, RequestStatus.AwaitingVerification, T0.AddHours(1));
        Assert.True(await store.CommitAsync(extended with { Deadline = extended.Deadline with { DueOn = new DateOnly(2027, 1, 4) } }, request.Version, audit, None));
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
        var row = (await InboxRowsAsync(tables)).Single();
        await tables.Client.ExecuteAsync(tables.InboxTable, TableOperation.Delete(row.PartitionKey, row.RowKey, "*"), None);
        await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.Delete(TableRows.LookupPartition, TableRows.InboxIndexByDueDayBuilt, "*"), None);

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

    [Fact]
    public async Task Index_EachRow_IsInItsDueDaysPartition_KeyedInTheInboxOrder()
    {
        var (tables, store) = await NewAsync();
        var first = await SubmitAsync(store, New("first@example.com", T0.AddHours(2), new DateOnly(2026, 12, 1)));
        var second = await SubmitAsync(store, New("second@example.com", T0.AddHours(1), new DateOnly(2026, 12, 1)));
        var later = await SubmitAsync(store, New("later@example.com", T0, new DateOnly(2026, 12, 5)));

        var rows = await InboxRowsAsync(tables);

        Assert.Equal(
            [("20261201", second.Id), ("20261201", first.Id), ("20261205", later.Id)],
            rows.Select(r => (r.PartitionKey, r.GetString("RequestId"))));
        Assert.All(rows, r => Assert.StartsWith(r.PartitionKey + "_", r.RowKey, StringComparison.Ordinal));
        Assert.Empty(await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition(TableRows.SingleInboxPartition), null, None));
    }

    [Fact]
    public async Task Submit_ClaimedTogetherWithDifferentDueDays_IndexesEachInItsDaysPartition()
    {
        var (tables, store) = await NewAsync();
        var days = new[] { new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 8) };

        var outcomes = await Together.SubmitAsync(store, [.. days.Select((d, i) => New($"together{i}@example.com", T0.AddSeconds(i), d))]);

        var rows = await InboxRowsAsync(tables);
        Assert.Equal(
            outcomes.Select(o => (TableRows.InboxPartition(o.Request.Deadline.DueOn), o.Request.Id)).Order(),
            rows.Select(r => (r.PartitionKey, r.GetString("RequestId"))).Order());
        Assert.Equal(3, rows.Select(r => r.PartitionKey).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal((await store.ListOpenAsync(10, None)).Select(r => r.Id), (await store.ListAsync(All, null, 10, None)).Entries.Select(e => e.RequestId));
    }

    [Fact]
    public async Task List_ByCursorOneAtATime_WalksAcrossTheDaysPartitionsInTheInboxOrder()
    {
        var (tables, store) = await NewAsync(new FakeTimeProvider(T0));
        var today = DateOnly.FromDateTime(T0.UtcDateTime);
        var submitted = new List<DataSubjectRequest>();
        foreach (var (days, minutes) in new[] { (3, 5), (-2, 0), (3, 1), (0, 9), (3, 1), (40, 0), (-2, 7), (1, 3) })
        {
            submitted.Add(await SubmitAsync(store, New($"d{submitted.Count}@example.com", T0.AddMinutes(minutes), today.AddDays(days))));
        }

        var walked = new List<string>();
        OpenRequestCursor? after = null;
        do
        {
            var page = await store.ListAsync(All, after, 1, None);
            walked.AddRange(page.Entries.Select(e => e.RequestId));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(
            submitted.OrderBy(r => r.Deadline.DueOn).ThenBy(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id),
            walked);
        Assert.Equal(5, (await InboxRowsAsync(tables)).Select(r => r.PartitionKey).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Commit_ChangingTheDueDate_MovesTheRowToTheNewDaysPartition()
    {
        var (tables, store) = await NewAsync();
        var request = await SubmitAsync(store, New("moves@example.com", dueOn: new DateOnly(2026, 12, 1)));
        var (extended, audit) = Advance(request, RequestStatus.AwaitingVerification, T0.AddHours(1));
        extended = extended with { Deadline = extended.Deadline with { DueOn = new DateOnly(2027, 2, 1) } };

        Assert.True(await store.CommitAsync(extended, request.Version, audit, None));

        Assert.Empty(await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition("20261201"), null, None));
        var moved = Assert.Single(await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition("20270201"), null, None));
        Assert.Equal(request.Id, moved.GetString("RequestId"));
        Assert.Equal(request.Id, Assert.Single((await store.ListAsync(All, null, 10, None)).Entries).RequestId);
    }

    [Fact]
    public async Task Initialize_IndexInTheEarlierSinglePartition_IsRebuiltByDueDay_AndItsRowsRemoved()
    {
        var (tables, store) = await NewAsync();
        var open = new List<DataSubjectRequest>();
        foreach (var (email, due) in new[] { ("one@example.com", new DateOnly(2026, 12, 4)), ("two@example.com", new DateOnly(2026, 12, 1)), ("three@example.com", new DateOnly(2026, 12, 4)) })
        {
            open.Add(await SubmitAsync(store, New(email, dueOn: due)));
        }

        var closed = await SubmitAsync(store, New("closed@example.com", dueOn: new DateOnly(2026, 12, 2)));
        var closedRow = (await InboxRowsAsync(tables)).Single(r => r.GetString("RequestId") == closed.Id);
        var (rejected, audit) = Advance(closed, RequestStatus.Rejected, T0.AddHours(1));
        Assert.True(await store.CommitAsync(rejected, closed.Version, audit, None));

        // The earlier layout: every row in one partition under the same row key, a row left behind by a crash among
        // them, and more rows than one transaction holds (of requests long gone); the earlier marker, not the new one.
        var rows = await InboxRowsAsync(tables);
        foreach (var row in rows)
        {
            await tables.Client.ExecuteAsync(tables.InboxTable, TableOperation.Delete(row.PartitionKey, row.RowKey, "*"), None);
        }

        var earlier = rows.Append(closedRow).Select(r => InSinglePartition(r, r.RowKey))
            .Concat(Enumerable.Range(0, 150).Select(i => InSinglePartition(closedRow, $"20261102_{i:D19}_gone{i}")))
            .ToList();
        foreach (var chunk in earlier.Select(TableOperation.Upsert).Chunk(100))
        {
            Assert.True((await tables.Client.SubmitTransactionAsync(tables.InboxTable, chunk, None)).Succeeded);
        }

        await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.Delete(TableRows.LookupPartition, TableRows.InboxIndexByDueDayBuilt, "*"), None);
        await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.Upsert(new TableEntity(TableRows.LookupPartition, "inbox-index-built")), None);

        await new AzureTableStore(tables.Connection) { AddressKey = AddressKey }.InitializeAsync(None);

        Assert.Empty(await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition(TableRows.SingleInboxPartition), null, None));
        var rebuilt = await InboxRowsAsync(tables);
        Assert.Equal(
            open.OrderBy(r => r.Deadline.DueOn).ThenBy(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => (TableRows.InboxPartition(r.Deadline.DueOn), r.Id)),
            rebuilt.Select(r => (r.PartitionKey, r.GetString("RequestId"))));
        Assert.Equal(rebuilt.Select(r => r.GetString("RequestId")), (await store.ListAsync(All, null, 10, None)).Entries.Select(e => e.RequestId));
        Assert.Equal([open[1].Id], await IdsAsync(store, All.WithSearch("two@example.com")));
        Assert.NotNull(await tables.Client.GetAsync(tables.LookupsTable, TableRows.LookupPartition, TableRows.InboxIndexByDueDayBuilt, None));

        // Once only: a row written into the earlier partition afterwards (an instance of the earlier version) stays, and no listing reads it.
        await tables.Client.ExecuteAsync(tables.InboxTable, TableOperation.Upsert(InSinglePartition(rebuilt[0], rebuilt[0].RowKey)), None);
        await new AzureTableStore(tables.Connection) { AddressKey = AddressKey }.InitializeAsync(None);

        Assert.Single(await tables.Client.QueryAsync(tables.InboxTable, TableKeys.Partition(TableRows.SingleInboxPartition), null, None));
        Assert.Equal(rebuilt.Select(r => r.GetString("RequestId")), (await store.ListAsync(All, null, 10, None)).Entries.Select(e => e.RequestId));
    }

    /// <summary>A copy of an index row as the earlier layout kept it: in the one partition, under <paramref name="rowKey"/>.</summary>
    private static TableEntity InSinglePartition(TableEntity row, string rowKey)
    {
        var copy = new TableEntity(TableRows.SingleInboxPartition, rowKey);
        foreach (var (name, value) in row.Properties)
        {
            copy.Properties[name] = value;
        }

        return copy;
    }

    private static Task<List<TableEntity>> InboxRowsAsync(AzureTableStore tables) => tables.Client.QueryAsync(tables.InboxTable, string.Empty, null, None);

    /// <summary>
    /// A store whose clock stands at <see cref="T0"/> unless a test gives its own: the index is read in windows of due days
    /// counted from today, so what a listing reads must not depend on the day the test runs.
    /// </summary>
    [Fact]
    public async Task Commit_ChangingTheDueDate_WhoseNewRowCannotBeWritten_KeepsTheOldRow_SoTheRequestIsStillListed()
    {
        // The new day's row is written before the old one goes: a failure between them leaves the request listed under its
        // old due date (a reader repairs that), never missing from the inbox and from the hourly workflow check.
        var failing = new FailingWrites();
        var (tables, store) = await NewAsync(handler: failing);
        var request = await SubmitAsync(store, New("moves.later@example.com", dueOn: new DateOnly(2026, 12, 1)));
        var (extended, audit) = Advance(request, RequestStatus.AwaitingVerification, T0.AddHours(1));
        extended = extended with { Deadline = extended.Deadline with { DueOn = new DateOnly(2027, 2, 1) } };
        failing.FailPathContaining = "PartitionKey='20270201'";

        await Assert.ThrowsAnyAsync<Exception>(() => store.CommitAsync(extended, request.Version, audit, None));
        failing.FailPathContaining = null;

        // The row left under the old date still lists it; a reading of the open list finds that row stale and moves it, and
        // the request is listed from the next reading on (the hourly check's, an hour later).
        Assert.Equal(request.Id, Assert.Single((await store.ListAsync(All, null, 10, None)).Entries).RequestId);
        await store.ListOpenPageAsync(10, null, None);
        Assert.Equal(request.Id, Assert.Single((await store.ListOpenPageAsync(10, null, None)).Items).Id);
        Assert.Equal("20270201", Assert.Single(await InboxRowsAsync(tables)).PartitionKey);
    }

    /// <summary>Fails every write (not a read) whose address contains <see cref="FailPathContaining"/> with a 503.</summary>
    private sealed class FailingWrites : DelegatingHandler
    {
        public FailingWrites()
            : base(new HttpClientHandler())
        {
        }

        public string? FailPathContaining { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.Method != HttpMethod.Get && FailPathContaining is { } fail && Uri.UnescapeDataString(request.RequestUri!.AbsolutePath).Contains(fail, StringComparison.Ordinal)
                ? Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable) { RequestMessage = request })
                : base.SendAsync(request, cancellationToken);
    }

    private async Task<(AzureTableStore Tables, AzureTableRequestStore Store)> NewAsync(TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        var connection = azurite.NewConnection();
        if (handler is not null)
        {
            connection = connection with { Transport = new Azure.Core.Pipeline.HttpClientTransport(handler), MaxRetries = 0 };
        }

        var tables = new AzureTableStore(connection, time ?? new FakeTimeProvider(T0)) { AddressKey = AddressKey };
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
