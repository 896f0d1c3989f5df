using DataRights.Core.Ports;
using DataRights.Core.Requests;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IWorkQueue"/> must do with a leased item (leased by id, as a request orchestration's step leases
/// it through <see cref="IWorkOutbox.LeaseDeliveredAsync"/>): complete it once, retry it at a later time, dead-letter it,
/// refuse a lease that lapsed, and count items per request and state.
/// </summary>
public abstract class WorkQueueContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private IWorkQueue Queue => Stores.Queue;

    [Fact]
    public async Task CompleteAndRetry_WithALeaseThatLapsed_ReturnFalse_AndTheNextLeaseCompletes()
    {
        var id = await RequestWithItemsAsync(("job", T0));
        var first = await LeaseByIdAsync($"{id}:job", T0);

        Assert.Equal(DeliveryOutcome.InProgress, (await DeliverAsync($"{id}:job", T0.AddMinutes(4))).Outcome);
        var second = await LeaseByIdAsync($"{id}:job", T0.AddMinutes(6));

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
        var leased = await LeaseByIdAsync($"{id}:verification:1", T0);

        Assert.True(await Queue.CompleteAsync(leased, T0.AddSeconds(1), None));
        Assert.False(await Queue.CompleteAsync(leased, T0.AddSeconds(2), None));

        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await DeliverAsync(leased.Item.Id, T0.AddDays(1))).Outcome);
        var counts = await Queue.CountsAsync(id, None);
        Assert.Equal(1, counts["done"]);
        Assert.Equal(1, counts["pending"]);
        Assert.Equal(0, counts["leased"]);
    }

    [Fact]
    public async Task Retry_PutsTheItemBackUntilNotBefore_AndKeepsCountingAttempts()
    {
        var id = await RequestWithItemsAsync();
        var leased = await LeaseByIdAsync($"{id}:verification:1", T0);

        Assert.True(await Queue.RetryAsync(leased, T0.AddMinutes(10), "source timed out", None));

        Assert.Equal(DeliveryOutcome.NotDueYet, (await DeliverAsync(leased.Item.Id, T0.AddMinutes(9))).Outcome);
        var again = await LeaseByIdAsync(leased.Item.Id, T0.AddMinutes(10));
        Assert.Equal(leased.Item.Payload, again.Item.Payload);
        Assert.Equal(2, again.Attempt);
        Assert.False(await Queue.CompleteAsync(leased, T0.AddMinutes(11), None));
        Assert.True(await Queue.CompleteAsync(again, T0.AddMinutes(11), None));
    }

    [Fact]
    public async Task DeadLetter_TakesTheItemOutForGood()
    {
        var id = await RequestWithItemsAsync();
        var leased = await LeaseByIdAsync($"{id}:verification:1", T0);

        Assert.True(await Queue.DeadLetterAsync(leased, T0.AddMinutes(1), new string('x', 5000), None));

        // Delivered again, it is not leased: it comes back as it was given up, with its last error (capped), so the
        // request can be told of it should the run that gave it up have stopped first.
        var again = await DeliverAsync(leased.Item.Id, T0.AddDays(10));
        Assert.Equal(DeliveryOutcome.DeadLettered, again.Outcome);
        Assert.Equal((leased.Item.Id, leased.Item.Kind, leased.Item.Payload, 1, string.Empty), (again.Lease!.Item.Id, again.Lease.Item.Kind, again.Lease.Item.Payload, again.Lease.Attempt, again.Lease.LeaseToken));
        Assert.Equal(new string('x', 2000), again.Error);
        Assert.False(await Queue.CompleteAsync(leased, T0.AddMinutes(2), None));
        Assert.Equal(1, (await Queue.CountsAsync(id, None))["dead"]);
    }

    [Fact]
    public async Task Counts_ArePerRequestAndState()
    {
        var mine = await RequestWithItemsAsync(("x", T0));
        var other = await RequestWithItemsAsync(("y", T0.AddDays(5)));
        Assert.True(await Queue.CompleteAsync(await LeaseByIdAsync($"{mine}:x", T0), T0, None));
        Assert.True(await Queue.DeadLetterAsync(await LeaseByIdAsync($"{mine}:verification:1", T0), T0, "gone", None));
        await LeaseByIdAsync($"{other}:verification:1", T0);

        var counts = await Queue.CountsAsync(mine, None);

        Assert.Equal("pending 1, leased 0, done 1, dead 1", Describe(counts));
        Assert.Equal("pending 2, leased 1, done 0, dead 0", Describe(await Queue.CountsAsync(other, None)));
        Assert.Equal("pending 0, leased 0, done 0, dead 0", Describe(await Queue.CountsAsync("dr_nobody", None)));
    }

    /// <summary>Delivers an item by id (its request's id is what comes before the first colon, as every item id here is made).</summary>
    private Task<DeliveryLease> DeliverAsync(string itemId, DateTimeOffset now) =>
        Stores.Outbox.LeaseDeliveredAsync(itemId[..itemId.IndexOf(':', StringComparison.Ordinal)], itemId, now, Lease, TimeSpan.Zero, None);

    /// <summary>The item leased by id at <paramref name="now"/> (fails the test when it is not).</summary>
    private async Task<LeasedWorkItem> LeaseByIdAsync(string itemId, DateTimeOffset now)
    {
        var delivery = await DeliverAsync(itemId, now);
        Assert.Equal(DeliveryOutcome.Leased, delivery.Outcome);
        return delivery.Lease!;
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
