using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The Table store's list of open requests (the staff API's list, the digest, the console's sources page) reads the inbox
/// index a page at a time: the calls a page costs follow the page's size, not how many requests are open.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableOpenListTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Page_CostsTheIndexQueriesAndARead_PerRequestShown_HoweverManyAreOpen()
    {
        var (tables, store) = await NewAsync();
        var due = new DateOnly(2026, 12, 10);
        async Task<long> CallsForAPageOfFiveAsync()
        {
            var before = tables.RoundTrips;
            var page = await store.ListOpenPageAsync(5, null, None);
            Assert.Equal(5, page.Items.Count);
            Assert.NotNull(page.Next);
            return tables.RoundTrips - before;
        }

        for (var i = 0; i < 10; i++)
        {
            await SubmitAsync(store, New($"open{i}@example.com", T0.AddMinutes(i), due.AddDays(i % 7)));
        }

        var withTen = await CallsForAPageOfFiveAsync();
        for (var i = 10; i < 30; i++)
        {
            await SubmitAsync(store, New($"open{i}@example.com", T0.AddMinutes(i), due.AddDays(i % 7)));
        }

        // Reading every open request, as the list did before the index, costs a query and a read per request (31 here).
        Assert.Equal(withTen, await CallsForAPageOfFiveAsync());
        Assert.InRange(withTen, 1L + 5, 5L + 5);

        var all = new List<DataSubjectRequest>();
        for (OpenRequestCursor? next = null; ;)
        {
            var more = await store.ListOpenPageAsync(5, next, None);
            all.AddRange(more.Items);
            if ((next = more.Next) is null)
            {
                break;
            }
        }

        Assert.Equal(30, all.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.OrderBy(r => r.Deadline.DueOn).ThenBy(r => r.ReceivedAt).Select(r => r.Id), all.Select(r => r.Id));
    }

    [Fact]
    public async Task Page_WithAnEntryLeftBehindByACrash_IsStillFilled_AndTheEntryRemoved()
    {
        var (tables, store) = await NewAsync();
        var closed = await SubmitAsync(store, New("closed@example.com", T0, new DateOnly(2026, 12, 1)));
        var stale = (await tables.Client.QueryAsync(tables.InboxTable, string.Empty, null, None)).Single();
        var open = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            open.Add((await SubmitAsync(store, New($"still{i}@example.com", T0.AddMinutes(i + 1), new DateOnly(2026, 12, 2)))).Id);
        }

        var (rejected, audit) = Advance(closed, RequestStatus.Rejected, T0.AddHours(1));
        Assert.True(await store.CommitAsync(rejected, closed.Version, audit, None));

        // As if the process died after the closing commit, before its index row was removed: the row heads the list.
        await tables.Client.ExecuteAsync(tables.InboxTable, TableOperation.Upsert(stale), None);

        var page = await store.ListOpenPageAsync(3, null, None);

        Assert.Equal(open, page.Items.Select(r => r.Id));
        Assert.Null(page.Next);
        Assert.Equal(3, (await tables.Client.QueryAsync(tables.InboxTable, string.Empty, null, None)).Count);
    }

    /// <summary>
    /// A store whose clock stands at <see cref="T0"/>: the index is read in windows of due days counted from today, so the
    /// calls a page costs must not depend on the day the test runs.
    /// </summary>
    private async Task<(AzureTableStore Tables, AzureTableRequestStore Store)> NewAsync()
    {
        var tables = await azurite.NewStoreAsync(new FakeTimeProvider(T0));
        return (tables, new AzureTableRequestStore(tables));
    }

    private static async Task<DataSubjectRequest> SubmitAsync(AzureTableRequestStore store, NewRequest request) =>
        (await store.SubmitAsync(request, T0 - Window, Start, None)).Request;
}
