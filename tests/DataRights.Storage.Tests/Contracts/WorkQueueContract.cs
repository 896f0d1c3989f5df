using DataRights.Core.Ports;
using DataRights.Core.Requests;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IWorkQueue"/> must do: at-least-once delivery under leases, due order, retries at a
/// later time, dead letter, and a lease that lapses giving the item to the next worker.
/// </summary>
public abstract class WorkQueueContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private IWorkQueue Queue => Stores.Queue;

    [Fact]
    public async Task Lease_DueItems_OldestFirstUpToMax_AndNothingNotYetDue()
    {
        var id = await RequestWithItemsAsync(("a", T0.AddMinutes(1)), ("c", T0.AddMinutes(3)), ("b", T0.AddMinutes(2)), ("later", T0.AddHours(1)));
        var now = T0.AddMinutes(5);

        var first = await Queue.LeaseAsync(2, now, Lease, None);
        var rest = await Queue.LeaseAsync(10, now, Lease, None);
        var none = await Queue.LeaseAsync(10, now, Lease, None);

        // The oldest due items are the ones leased; the order within one batch is not promised.
        Assert.Equal([$"{id}:a", $"{id}:verification:1"], first.Select(l => l.Item.Id).Order(StringComparer.Ordinal));
        Assert.Equal([$"{id}:b", $"{id}:c"], rest.Select(l => l.Item.Id).Order(StringComparer.Ordinal));
        Assert.Empty(none);
        Assert.All(first.Concat(rest), l => Assert.Equal(1, l.Attempt));
        Assert.All(first.Concat(rest), l => Assert.Equal(id, l.Item.RequestId));
        var a = first.Single(l => l.Item.Id == $"{id}:a").Item;
        Assert.Equal(WorkItem.Timer, a.Kind);
        Assert.Contains("\"tag\":\"a\"", a.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lease_HeldItem_IsNotLeasedAgainUntilTheLeaseEnds_ThenReturnsToTheNextWorker()
    {
        var id = await RequestWithItemsAsync(("job", T0));
        var first = Assert.Single(await Queue.LeaseAsync(10, T0, Lease, None), l => l.Item.Id == $"{id}:job");

        var whileHeld = await Queue.LeaseAsync(10, T0.AddMinutes(4), Lease, None);
        var afterLapse = await Queue.LeaseAsync(10, T0.AddMinutes(6), Lease, None);

        Assert.DoesNotContain(whileHeld, l => l.Item.Id == first.Item.Id);
        var second = Assert.Single(afterLapse, l => l.Item.Id == first.Item.Id);
        Assert.Equal(2, second.Attempt);
        Assert.NotEqual(first.LeaseToken, second.LeaseToken);
        Assert.False(await Queue.CompleteAsync(first, T0.AddMinutes(7), None));
        Assert.False(await Queue.RetryAsync(first, T0.AddMinutes(8), "late", None));
        Assert.True(await Queue.CompleteAsync(second, T0.AddMinutes(7), None));
    }

    [Fact]
    public async Task Complete_WithTheLease_MarksItDone_AndItIsNeverDeliveredAgain()
    {
        var id = await RequestWithItemsAsync();
        var leased = Assert.Single(await Queue.LeaseAsync(10, T0, Lease, None));

        Assert.True(await Queue.CompleteAsync(leased, T0.AddSeconds(1), None));
        Assert.False(await Queue.CompleteAsync(leased, T0.AddSeconds(2), None));

        Assert.DoesNotContain(await Queue.LeaseAsync(10, T0.AddDays(1), Lease, None), l => l.Item.Id == leased.Item.Id);
        var counts = await Queue.CountsAsync(id, None);
        Assert.Equal(1, counts["done"]);
        Assert.Equal(1, counts["pending"]);
        Assert.Equal(0, counts["leased"]);
    }

    [Fact]
    public async Task Retry_PutsTheItemBackUntilNotBefore_AndKeepsCountingAttempts()
    {
        await RequestWithItemsAsync();
        var leased = Assert.Single(await Queue.LeaseAsync(10, T0, Lease, None));

        Assert.True(await Queue.RetryAsync(leased, T0.AddMinutes(10), "source timed out", None));

        Assert.Empty(await Queue.LeaseAsync(10, T0.AddMinutes(9), Lease, None));
        var again = Assert.Single(await Queue.LeaseAsync(10, T0.AddMinutes(10), Lease, None));
        Assert.Equal(leased.Item.Id, again.Item.Id);
        Assert.Equal(leased.Item.Payload, again.Item.Payload);
        Assert.Equal(2, again.Attempt);
        Assert.False(await Queue.CompleteAsync(leased, T0.AddMinutes(11), None));
        Assert.True(await Queue.CompleteAsync(again, T0.AddMinutes(11), None));
    }

    [Fact]
    public async Task DeadLetter_TakesTheItemOutForGood()
    {
        var id = await RequestWithItemsAsync();
        var leased = Assert.Single(await Queue.LeaseAsync(10, T0, Lease, None));

        Assert.True(await Queue.DeadLetterAsync(leased, T0.AddMinutes(1), new string('x', 5000), None));

        Assert.DoesNotContain(await Queue.LeaseAsync(10, T0.AddDays(10), Lease, None), l => l.Item.Id == leased.Item.Id);
        Assert.False(await Queue.CompleteAsync(leased, T0.AddMinutes(2), None));
        Assert.Equal(1, (await Queue.CountsAsync(id, None))["dead"]);
    }

    [Fact]
    public async Task NextDue_IsTheEarliestPendingTimeOrLeaseEnd_AndNullWhenNothingIsQueued()
    {
        Assert.Null(await Queue.NextDueAsync(None));
        await RequestWithItemsAsync();
        Assert.Equal(T0, await Queue.NextDueAsync(None));

        var leased = Assert.Single(await Queue.LeaseAsync(10, T0, Lease, None));
        Assert.Equal(T0 + Lease, await Queue.NextDueAsync(None));

        Assert.True(await Queue.CompleteAsync(leased, T0, None));
        Assert.Equal(T0.AddDays(3), await Queue.NextDueAsync(None));
    }

    [Fact]
    public async Task Lease_ManyWorkersAtOnce_NoItemGoesToTwo()
    {
        var id = await RequestWithItemsAsync([.. Enumerable.Range(0, 24).Select(i => ($"n{i:D2}", T0.AddSeconds(i)))]);

        var batches = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Queue.LeaseAsync(6, T0.AddMinutes(1), Lease, None))));
        var leased = batches.SelectMany(b => b).ToList();
        leased.AddRange(await Queue.LeaseAsync(100, T0.AddMinutes(1), Lease, None));

        Assert.Equal(25, leased.Count);
        Assert.Equal(25, leased.Select(l => l.Item.Id).Distinct().Count());
        Assert.Equal(25, (await Queue.CountsAsync(id, None))["leased"]);
    }

    [Fact]
    public async Task Counts_ArePerRequestAndState()
    {
        var mine = await RequestWithItemsAsync(("x", T0));
        var other = await RequestWithItemsAsync(("y", T0.AddDays(5)));
        var leased = await Queue.LeaseAsync(10, T0, Lease, None);
        Assert.True(await Queue.CompleteAsync(leased.Single(l => l.Item.Id == $"{mine}:x"), T0, None));
        Assert.True(await Queue.DeadLetterAsync(leased.Single(l => l.Item.Id == $"{mine}:verification:1"), T0, "gone", None));

        var counts = await Queue.CountsAsync(mine, None);

        Assert.Equal("pending 1, leased 0, done 1, dead 1", Describe(counts));
        Assert.Equal("pending 2, leased 1, done 0, dead 0", Describe(await Queue.CountsAsync(other, None)));
        Assert.Equal("pending 0, leased 0, done 0, dead 0", Describe(await Queue.CountsAsync("dr_nobody", None)));
    }

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", new[] { "pending", "leased", "done", "dead" }.Select(s => $"{s} {counts.GetValueOrDefault(s)}"));

    /// <summary>A submitted request (verification email due at T0, reminder at T0 + 3 days) plus <paramref name="items"/> committed with its next state.</summary>
    private async Task<string> RequestWithItemsAsync(params (string Id, DateTimeOffset NotBefore)[] items)
    {
        var email = "person." + Guid.NewGuid().ToString("N") + "@example.com";
        var stored = (await Stores.Requests.SubmitAsync(New(email), T0 - Window, Start, None)).Request;
        if (items.Length > 0)
        {
            var (updated, audit) = Advance(stored, RequestStatus.Verified, T0);
            Assert.True(await Stores.Requests.CommitAsync(updated, stored.Version, audit, [.. items.Select(i => Item(stored.Id, i.Id, i.NotBefore))], None));
        }

        return stored.Id;
    }
}
