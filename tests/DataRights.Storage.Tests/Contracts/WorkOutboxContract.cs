using DataRights.Core.Ports;
using DataRights.Core.Requests;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IWorkOutbox"/> must do over its store's work: list a commit's work open on its request (where its
/// orchestration reads it), end a closed request's run so a decision read before cannot commit, and lease a delivered item by id (never early) so the queue completes, retries or
/// dead-letters it as usual, with a lapsed lease taken over by the next delivery.
/// </summary>
public abstract class WorkOutboxContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(1);

    private IWorkOutbox Outbox => Stores.Outbox;

    private IWorkQueue Queue => Stores.Queue;

    [Fact]
    public async Task WorkACommitWrites_IsListedOpenOnItsRequest_AndLeasedByIdUntilDone()
    {
        var email = "person." + Guid.NewGuid().ToString("N") + "@example.com";
        var stored = (await Stores.Requests.SubmitAsync(New(email), T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0);

        Assert.True(await Stores.Requests.CommitAsync(
            updated, stored.Version, audit, [Item(stored.Id, "discover-crm", T0), Item(stored.Id, "reminder", T0.AddDays(3))], None));

        // Its orchestration (the step that committed them, or told before the commit) reads them from the request.
        var standing = await Stores.Requests.GetWithOpenWorkAsync(stored.Id, None);
        Assert.Equal(updated.Version, standing!.Request.Version);
        Assert.Equal(RequestStatus.Verified, standing.Request.Status);
        Assert.Null(await Stores.Requests.GetWithOpenWorkAsync("dr_" + Guid.NewGuid().ToString("N")[..20], None));
        var open = standing.OpenWork;
        // Earliest due first, then by id.
        Assert.Equal([$"{stored.Id}:discover-crm", $"{stored.Id}:verification:1", $"{stored.Id}:reminder", $"{stored.Id}:verification-reminder:1"], open.Select(w => w.Id));
        Assert.Equal(T0.AddDays(3), open.Single(w => w.Id == $"{stored.Id}:reminder").NotBefore);

        var lease = await Outbox.LeaseDeliveredAsync(stored.Id, $"{stored.Id}:discover-crm", T0, Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, lease.Outcome);
        Assert.True(await Queue.CompleteAsync(lease.Lease!, T0, None));
        Assert.DoesNotContain($"{stored.Id}:discover-crm", ((await Stores.Requests.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork).Select(w => w.Id));

        // A lease that lapsed (its run died) is taken over by the next run of its orchestration.
        var first = await Outbox.LeaseDeliveredAsync(stored.Id, $"{stored.Id}:reminder", T0.AddDays(3), Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, first.Outcome);
        var lapsed = T0.AddDays(3) + Lease + Lease;
        var second = await Outbox.LeaseDeliveredAsync(stored.Id, $"{stored.Id}:reminder", lapsed, Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, second.Outcome);
        Assert.False(await Queue.CompleteAsync(first.Lease!, lapsed, None));
        Assert.True(await Queue.RetryAsync(second.Lease!, lapsed.AddHours(1), "source down", None));
        Assert.Contains($"{stored.Id}:reminder", ((await Stores.Requests.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork).Select(w => w.Id));
    }

    [Fact]
    public async Task EndRun_OfAClosedRequestWithNothingOpen_MarksItEnded_AndMovesItsVersionOn_SoADecisionReadBeforeCannotCommit()
    {
        var stored = (await Stores.Requests.SubmitAsync(New("person." + Guid.NewGuid().ToString("N") + "@example.com"), T0 - Window, Start, None)).Request;

        // Open, with work open: the run goes on, nothing written.
        var open = await Stores.Requests.EndRunAsync(stored.Id, None);
        Assert.False(open!.Request.RunEnded);
        Assert.Equal(stored.Version, open.Request.Version);
        Assert.Null(await Stores.Requests.EndRunAsync("dr_" + Guid.NewGuid().ToString("N")[..20], None));
        foreach (var item in open.OpenWork)
        {
            var lease = await Outbox.LeaseDeliveredAsync(stored.Id, item.Id, item.NotBefore, Lease, Tolerance, None);
            Assert.True(await Queue.CompleteAsync(lease.Lease!, item.NotBefore, None));
        }

        // Open with nothing left (waiting for a person): still not ended.
        Assert.False((await Stores.Requests.EndRunAsync(stored.Id, None))!.Request.RunEnded);
        var (closed, audit) = Advance(stored, RequestStatus.Rejected, T0);
        Assert.True(await Stores.Requests.CommitAsync(closed, stored.Version, audit, [], None));

        // Closed with nothing left: ended, its version moved on; a second end changes nothing.
        var ended = await Stores.Requests.EndRunAsync(stored.Id, None);
        Assert.True(ended!.Request.RunEnded);
        Assert.Equal(closed.Version + 1, ended.Request.Version);
        Assert.Empty(ended.OpenWork);
        var read = await Stores.Requests.GetAsync(stored.Id, None);
        Assert.True(read!.RunEnded);
        Assert.Equal(ended.Request.Version, read.Version);
        Assert.Equal(closed.AuditHead, read.AuditHead);
        Assert.Equal(ended.Request.Version, (await Stores.Requests.EndRunAsync(stored.Id, None))!.Request.Version);

        // A decision read before the end (announced to the orchestration as it ended) cannot commit at its version.
        var (late, lateAudit) = Advance(closed, RequestStatus.Rejected, T0.AddMinutes(1));
        Assert.False(await Stores.Requests.CommitAsync(late, closed.Version, lateAudit, [Item(stored.Id, "status-link", T0)], None));

        // Made again on the request as it stands (a new orchestration started for it): its work clears the mark, and the run does not end while it is open.
        var (redone, redoneAudit) = Advance(read, RequestStatus.Rejected, T0.AddMinutes(1));
        Assert.True(await Stores.Requests.CommitAsync(redone with { RunEnded = false }, read.Version, redoneAudit, [Item(stored.Id, "status-link", T0)], None));
        var reopened = await Stores.Requests.EndRunAsync(stored.Id, None);
        Assert.False(reopened!.Request.RunEnded);
        Assert.Equal(redone.Version, reopened.Request.Version);
        Assert.Equal([$"{stored.Id}:status-link"], reopened.OpenWork.Select(w => w.Id));
    }

    [Fact]
    public async Task LeaseDelivered_UnknownId_IsNotFound()
    {
        var id = await RequestWithItemsAsync();

        Assert.Equal(DeliveryOutcome.NotFound, (await Outbox.LeaseDeliveredAsync(id, $"{id}:no-such-item", T0, Lease, Tolerance, None)).Outcome);
        Assert.Equal(DeliveryOutcome.NotFound, (await Outbox.LeaseDeliveredAsync("dr_nobody", "dr_nobody:verification:1", T0, Lease, Tolerance, None)).Outcome);
        Assert.Equal(DeliveryOutcome.NotFound, (await Outbox.LeaseDeliveredAsync(id, "no-request-prefix", T0, Lease, Tolerance, None)).Outcome);
    }

    [Fact]
    public async Task LeaseDelivered_ADueItem_IsLeasedAsTheQueueLeases_AndCompletedThroughTheQueue()
    {
        var id = await RequestWithItemsAsync();
        var verification = $"{id}:verification:1";

        var delivery = await Outbox.LeaseDeliveredAsync(id, verification, T0.AddSeconds(5), Lease, Tolerance, None);

        Assert.Equal(DeliveryOutcome.Leased, delivery.Outcome);
        var lease = delivery.Lease!;
        Assert.Equal(verification, lease.Item.Id);
        Assert.Equal(id, lease.Item.RequestId);
        Assert.Equal(WorkItem.Message, lease.Item.Kind);
        Assert.Equal(T0, lease.Item.NotBefore);
        Assert.Contains("verification", lease.Item.Payload, StringComparison.Ordinal);
        Assert.Equal(1, lease.Attempt);
        Assert.Equal(1, (await Queue.CountsAsync(id, None)).GetValueOrDefault("leased"));
        Assert.Equal(DeliveryOutcome.InProgress, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(1), Lease, Tolerance, None)).Outcome);

        Assert.True(await Queue.CompleteAsync(lease, T0.AddMinutes(2), None));

        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(3), Lease, Tolerance, None)).Outcome);
        var counts = await Queue.CountsAsync(id, None);
        Assert.Equal(1, counts.GetValueOrDefault("done"));
        Assert.Equal(0, counts.GetValueOrDefault("leased"));
    }

    [Fact]
    public async Task LeaseDelivered_ThenRetryThroughTheQueue_IsDeliveredAtItsNewTime_WithItsAttempts()
    {
        var id = await RequestWithItemsAsync();
        var verification = $"{id}:verification:1";
        var lease = (await Outbox.LeaseDeliveredAsync(id, verification, T0, Lease, Tolerance, None)).Lease!;

        Assert.True(await Queue.RetryAsync(lease, T0.AddMinutes(10), "mail server busy", None));

        var retry = Assert.Single((await Stores.Requests.GetWithOpenWorkAsync(id, None))!.OpenWork, w => w.Id == verification);
        Assert.Equal(T0.AddMinutes(10), retry.NotBefore);
        Assert.Equal(DeliveryOutcome.NotDueYet, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(2), Lease, Tolerance, None)).Outcome);
        var second = await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(10), Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, second.Outcome);
        Assert.Equal(2, second.Lease!.Attempt);
        Assert.False(await Queue.CompleteAsync(lease, T0.AddMinutes(11), None));
        Assert.True(await Queue.DeadLetterAsync(second.Lease, T0.AddMinutes(11), "gave up", None));
        Assert.Equal(DeliveryOutcome.DeadLettered, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(12), Lease, Tolerance, None)).Outcome);
        Assert.Equal(1, (await Queue.CountsAsync(id, None)).GetValueOrDefault("dead"));
    }

    [Fact]
    public async Task LeaseDelivered_NeverEarlierThanTheTolerance()
    {
        var id = await RequestWithItemsAsync(("first", T0.AddHours(1)), ("second", T0.AddHours(2)), ("third", T0.AddHours(3)));
        var justOutside = Tolerance + TimeSpan.FromSeconds(1);

        foreach (var (name, due) in new[] { ("first", T0.AddHours(1)), ("second", T0.AddHours(2)), ("third", T0.AddHours(3)) })
        {
            Assert.Equal(DeliveryOutcome.NotDueYet, (await Outbox.LeaseDeliveredAsync(id, $"{id}:{name}", T0, Lease, Tolerance, None)).Outcome);
            Assert.Equal(DeliveryOutcome.NotDueYet, (await Outbox.LeaseDeliveredAsync(id, $"{id}:{name}", due - justOutside, Lease, Tolerance, None)).Outcome);
            var early = await Outbox.LeaseDeliveredAsync(id, $"{id}:{name}", due - Tolerance, Lease, Tolerance, None);
            Assert.Equal(DeliveryOutcome.Leased, early.Outcome);
            Assert.Equal(due, early.Lease!.Item.NotBefore);
        }
    }

    [Fact]
    public async Task LeaseDelivered_ALeaseThatLapsed_IsDeliveredAgain_AndTheOldLeaseIsLost()
    {
        var id = await RequestWithItemsAsync();
        var verification = $"{id}:verification:1";
        var first = (await Outbox.LeaseDeliveredAsync(id, verification, T0, Lease, Tolerance, None)).Lease!;

        Assert.Equal(DeliveryOutcome.InProgress, (await Outbox.LeaseDeliveredAsync(id, verification, T0 + Lease - TimeSpan.FromSeconds(1), Lease, Tolerance, None)).Outcome);
        var redelivered = await Outbox.LeaseDeliveredAsync(id, verification, T0 + Lease, Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, redelivered.Outcome);
        Assert.Equal(2, redelivered.Lease!.Attempt);
        Assert.NotEqual(first.LeaseToken, redelivered.Lease.LeaseToken);
        Assert.False(await Queue.CompleteAsync(first, T0 + Lease, None));

        // That lease lapses too: the next delivery takes it over, and the second holder can no longer finish it.
        var third = await Outbox.LeaseDeliveredAsync(id, verification, T0 + Lease + Lease, Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, third.Outcome);
        Assert.Equal(3, third.Lease!.Attempt);
        Assert.False(await Queue.CompleteAsync(redelivered.Lease, T0 + Lease + Lease, None));
        Assert.True(await Queue.CompleteAsync(third.Lease, T0 + Lease + Lease, None));
    }

    [Fact]
    public async Task ExtendLease_WhileHeld_KeepsTheItemInProgressPastTheFirstEnd_AndTheSameLeaseCompletesIt()
    {
        var (id, verification, lease) = await VerificationLeasedForAStepAsync();
        var step = StepHold;

        Assert.True(await Outbox.ExtendLeaseAsync(lease, T0.AddSeconds(10) + step, None));
        Assert.True(await Outbox.ExtendLeaseAsync(lease, T0.AddSeconds(20) + step, None));

        var pastFirstEnd = T0 + step + TimeSpan.FromSeconds(10);
        Assert.Equal(DeliveryOutcome.InProgress, (await Outbox.LeaseDeliveredAsync(id, verification, pastFirstEnd, step, Tolerance, None)).Outcome);
        Assert.Equal(DeliveryOutcome.InProgress, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddSeconds(20) + step - TimeSpan.FromSeconds(1), step, Tolerance, None)).Outcome);
        Assert.Equal(1, (await Queue.CountsAsync(id, None)).GetValueOrDefault("leased"));

        Assert.True(await Queue.CompleteAsync(lease, pastFirstEnd, None));

        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await Outbox.LeaseDeliveredAsync(id, verification, pastFirstEnd, step, Tolerance, None)).Outcome);
        Assert.Equal(1, (await Queue.CountsAsync(id, None)).GetValueOrDefault("done"));
    }

    [Fact]
    public async Task ExtendLease_ThenRetryThroughTheQueue_FindsTheItem_AndItIsDeliveredAgainAtItsNewTime()
    {
        var (id, verification, lease) = await VerificationLeasedForAStepAsync();
        var step = StepHold;
        Assert.True(await Outbox.ExtendLeaseAsync(lease, T0.AddSeconds(10) + step, None));

        Assert.True(await Queue.RetryAsync(lease, T0.AddMinutes(10), "mail server busy", None));

        Assert.False(await Outbox.ExtendLeaseAsync(lease, T0.AddSeconds(20) + step, None));
        Assert.Equal(DeliveryOutcome.NotDueYet, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(1), step, Tolerance, None)).Outcome);
        var again = await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(10), step, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, again.Outcome);
        Assert.Equal(2, again.Lease!.Attempt);
        Assert.True(await Outbox.ExtendLeaseAsync(again.Lease, T0.AddMinutes(10) + step + step, None));
        Assert.True(await Queue.DeadLetterAsync(again.Lease, T0.AddMinutes(11), "gave up", None));
        Assert.Equal(1, (await Queue.CountsAsync(id, None)).GetValueOrDefault("dead"));
    }

    [Fact]
    public async Task ExtendLease_OnceTheExtendedEndPasses_AnotherDeliveryLeasesTheItem_AndTheOldLeaseCanNeitherExtendNorComplete()
    {
        var (id, verification, first) = await VerificationLeasedForAStepAsync();
        var step = StepHold;
        var extendedEnd = T0.AddSeconds(10) + step;
        Assert.True(await Outbox.ExtendLeaseAsync(first, extendedEnd, None));

        Assert.Equal(DeliveryOutcome.InProgress, (await Outbox.LeaseDeliveredAsync(id, verification, extendedEnd - TimeSpan.FromSeconds(1), step, Tolerance, None)).Outcome);
        var takeover = await Outbox.LeaseDeliveredAsync(id, verification, extendedEnd, step, Tolerance, None);

        Assert.Equal(DeliveryOutcome.Leased, takeover.Outcome);
        Assert.Equal(2, takeover.Lease!.Attempt);
        Assert.False(await Outbox.ExtendLeaseAsync(first, extendedEnd + step, None));
        Assert.False(await Queue.CompleteAsync(first, extendedEnd, None));

        // The stale extension changed nothing: the new lease still holds the item up to where it was set.
        Assert.Equal(DeliveryOutcome.InProgress, (await Outbox.LeaseDeliveredAsync(id, verification, extendedEnd + step - TimeSpan.FromSeconds(1), step, Tolerance, None)).Outcome);
        Assert.True(await Queue.CompleteAsync(takeover.Lease, extendedEnd + TimeSpan.FromSeconds(1), None));
        Assert.Equal(1, (await Queue.CountsAsync(id, None)).GetValueOrDefault("done"));
    }

    [Fact]
    public async Task ExtendLease_AFinishedItem_ReturnsFalse_AndItStaysFinished()
    {
        var (id, verification, lease) = await VerificationLeasedForAStepAsync();
        var step = StepHold;
        Assert.True(await Queue.CompleteAsync(lease, T0.AddSeconds(5), None));

        Assert.False(await Outbox.ExtendLeaseAsync(lease, T0.AddSeconds(10) + step, None));

        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddSeconds(10), step, Tolerance, None)).Outcome);
        var counts = await Queue.CountsAsync(id, None);
        Assert.Equal(1, counts.GetValueOrDefault("done"));
        Assert.Equal(0, counts.GetValueOrDefault("leased"));
    }

    /// <summary>How long a Durable step holds its item in the lease-extension tests.</summary>
    private static readonly TimeSpan StepHold = TimeSpan.FromSeconds(30);

    /// <summary>A request's verification item leased at T0 for <see cref="StepHold"/>.</summary>
    private async Task<(string Id, string Verification, LeasedWorkItem Lease)> VerificationLeasedForAStepAsync()
    {
        var id = await RequestWithItemsAsync();
        var verification = $"{id}:verification:1";
        return (id, verification, (await Outbox.LeaseDeliveredAsync(id, verification, T0, StepHold, Tolerance, None)).Lease!);
    }

    /// <summary>A submitted request (verification email due at T0, its reminder email at T0 + 3 days) plus <paramref name="items"/> committed with its next state.</summary>
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
