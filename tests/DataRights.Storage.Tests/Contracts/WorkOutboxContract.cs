using DataRights.Core.Ports;
using DataRights.Core.Requests;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IWorkOutbox"/> must do over its store's work queue: claim unsent items whatever their due
/// time, give a lapsed claim, a lapsed lease or an item never run to the next relay, refuse a lost claim,
/// and lease a delivered item by id (never early) so the queue completes, retries or dead-letters it as usual.
/// </summary>
public abstract class WorkOutboxContract : StoreContract
{
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(1);

    private IWorkOutbox Outbox => Stores.Outbox;

    private IWorkQueue Queue => Stores.Queue;

    [Fact]
    public async Task ClaimUnsent_TakesUnsentItemsWhateverTheirDueTime_OldestFirst_AndNoneTwice()
    {
        var id = await RequestWithItemsAsync(("later", T0.AddDays(10)));

        var first = await Outbox.ClaimUnsentAsync(1, T0, ClaimFor, ResendAfter, None);
        var rest = await Outbox.ClaimUnsentAsync(10, T0, ClaimFor, ResendAfter, None);
        var none = await Outbox.ClaimUnsentAsync(10, T0, ClaimFor, ResendAfter, None);

        var verification = Assert.Single(first);
        Assert.Equal($"{id}:verification:1", verification.Item.Id);
        Assert.Equal(T0, verification.Item.NotBefore);
        Assert.Equal(id, verification.Item.RequestId);
        Assert.Equal(WorkItem.Message, verification.Item.Kind);
        Assert.Equal(0, verification.Attempts);
        Assert.False(string.IsNullOrEmpty(verification.ClaimToken));
        Assert.Equal([$"{id}:later", $"{id}:verification-reminder:1"], rest.Select(c => c.Item.Id).Order(StringComparer.Ordinal));
        Assert.Equal(T0.AddDays(10), rest.Single(c => c.Item.Id == $"{id}:later").Item.NotBefore);
        Assert.Contains("\"tag\":\"later\"", rest.Single(c => c.Item.Id == $"{id}:later").Item.Payload, StringComparison.Ordinal);
        Assert.Empty(none);
    }

    [Fact]
    public async Task WorkAStepCommits_IsNeverTakenByTheRelay_ListedOpen_AndLeasedByIdUntilDone()
    {
        var email = "person." + Guid.NewGuid().ToString("N") + "@example.com";
        var stored = (await Stores.Requests.SubmitAsync(New(email), T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0);
        await SendAllAsync(T0); // the intake's own items, as the relay hands them over

        Assert.True(await Stores.Requests.CommitAsync(
            updated, stored.Version, audit, [Item(stored.Id, "discover-crm", T0), Item(stored.Id, "reminder", T0.AddDays(3))], WorkHandOver.Caller, None));

        // The step that committed them takes them back in its result: the relay never takes them, even long past due.
        Assert.Empty(await Outbox.ClaimUnsentAsync(10, T0, ClaimFor, ResendAfter, None));
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
        Assert.False(lease.Lease!.Relayed);
        Assert.True(await Queue.CompleteAsync(lease.Lease!, T0, None));
        Assert.DoesNotContain($"{stored.Id}:discover-crm", ((await Stores.Requests.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork).Select(w => w.Id));

        // A lease that lapsed (its run died) is taken over by the next run of its orchestration, not by the relay.
        var first = await Outbox.LeaseDeliveredAsync(stored.Id, $"{stored.Id}:reminder", T0.AddDays(3), Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, first.Outcome);
        var lapsed = T0.AddDays(3) + Lease + ResendAfter;
        Assert.DoesNotContain($"{stored.Id}:reminder", (await Outbox.ClaimUnsentAsync(10, lapsed, ClaimFor, ResendAfter, None)).Select(c => c.Item.Id));
        var second = await Outbox.LeaseDeliveredAsync(stored.Id, $"{stored.Id}:reminder", lapsed, Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, second.Outcome);
        Assert.False(await Queue.CompleteAsync(first.Lease!, lapsed, None));
        Assert.True(await Queue.RetryAsync(second.Lease!, lapsed.AddHours(1), "source down", None));
        Assert.DoesNotContain($"{stored.Id}:reminder", (await Outbox.ClaimUnsentAsync(10, lapsed.AddDays(1), ClaimFor, ResendAfter, None)).Select(c => c.Item.Id));
        Assert.Contains($"{stored.Id}:reminder", ((await Stores.Requests.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork).Select(w => w.Id));
    }

    [Fact]
    public async Task WorkAnnouncedToItsOrchestration_IsNotCopied_AndItsAnnouncementIsMadeAgainUntilTaken()
    {
        var stored = (await Stores.Requests.SubmitAsync(New("person." + Guid.NewGuid().ToString("N") + "@example.com"), T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0);
        await Outbox.AnnouncementTakenAsync(stored.Id, stored.Version, None); // the intake's, as the orchestration's first look takes it

        // The announcement is dated by the store's own clock (the machine's here).
        var announcing = TimeProvider.System.GetUtcNow();
        Assert.True(await Stores.Requests.CommitAsync(
            updated, stored.Version, audit, [Item(stored.Id, "discover-crm", T0), Item(stored.Id, "reminder", T0.AddDays(3))], WorkHandOver.Announced, None));
        var announced = TimeProvider.System.GetUtcNow();

        // No item for the relay, ever: the orchestration reads them from the request.
        Assert.Empty(await Outbox.ClaimUnsentAsync(10, T0, ClaimFor, ResendAfter, None));
        Assert.DoesNotContain(
            (await Outbox.ClaimUnsentAsync(10, T0.AddDays(3) + ResendAfter, ClaimFor, ResendAfter, None)).Select(c => c.Item.Id),
            id => id == $"{stored.Id}:discover-crm" || id == $"{stored.Id}:reminder");
        var lease = await Outbox.LeaseDeliveredAsync(stored.Id, $"{stored.Id}:discover-crm", T0, Lease, Tolerance, None);
        Assert.False(lease.Lease!.Relayed);
        Assert.True(await Queue.CompleteAsync(lease.Lease!, T0, None));

        // Not taken (its orchestration ended as the announcement reached it): made again once ResendAfter old, by one relay
        // of two, then not again until ResendAfter after that.
        var ours = (IReadOnlyList<UntakenAnnouncement> claimed) => claimed.Where(a => a.RequestId == stored.Id).ToList();
        Assert.Empty(ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, announcing + ResendAfter - TimeSpan.FromSeconds(1), ResendAfter, None)));
        var twoRelays = await Task.WhenAll(
            Outbox.ClaimUntakenAnnouncementsAsync(100, announced + ResendAfter, ResendAfter, None),
            Outbox.ClaimUntakenAnnouncementsAsync(100, announced + ResendAfter, ResendAfter, None));
        Assert.Equal([new UntakenAnnouncement(stored.Id, updated.Version)], twoRelays.SelectMany(ours));
        Assert.Empty(ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, announced + ResendAfter + ResendAfter - TimeSpan.FromSeconds(1), ResendAfter, None)));
        Assert.Equal([new UntakenAnnouncement(stored.Id, updated.Version)], ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, announced + ResendAfter + ResendAfter, ResendAfter, None)));

        // Taken: never made again.
        await Outbox.AnnouncementTakenAsync(stored.Id, updated.Version, None);
        await Outbox.AnnouncementTakenAsync(stored.Id, updated.Version, None);
        Assert.Empty(ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, announced.AddDays(30), ResendAfter, None)));
    }

    [Fact]
    public async Task WorkLeftToTheRelay_IsNotCopied_AndItsAnnouncementIsMadeOnceItsCommitLands_AtOnce_ThenAgainUntilTaken()
    {
        // Intake with no orchestration to tell: its work too is left to the relay, which announces it once the request is written.
        var submitted = TimeProvider.System.GetUtcNow(); // intents are dated by the store's own clock (the machine's here)
        var stored = (await Stores.Requests.SubmitAsync(New("person." + Guid.NewGuid().ToString("N") + "@example.com"), T0 - Window, Start, None)).Request;
        var ours = (IReadOnlyList<UntakenAnnouncement> claimed) => claimed.Where(a => a.RequestId == stored.Id).ToList();
        Assert.Equal([new UntakenAnnouncement(stored.Id, stored.Version) { First = true }], ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, submitted, ResendAfter, None)));
        await Outbox.AnnouncementTakenAsync(stored.Id, stored.Version, None);

        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0);
        Assert.True(await Stores.Requests.CommitAsync(
            updated, stored.Version, audit, [Item(stored.Id, "discover-crm", T0), Item(stored.Id, "reminder", T0.AddDays(3))], WorkHandOver.Relay, None));
        var committed = TimeProvider.System.GetUtcNow();

        // No item for the relay's queue, ever: the orchestration reads them from the request.
        Assert.DoesNotContain(
            (await Outbox.ClaimUnsentAsync(100, T0.AddDays(3) + ResendAfter, ClaimFor, ResendAfter, None)).Select(c => c.Item.Id),
            id => id.StartsWith(stored.Id, StringComparison.Ordinal));
        Assert.Equal(
            [$"{stored.Id}:discover-crm", $"{stored.Id}:verification:1", $"{stored.Id}:reminder", $"{stored.Id}:verification-reminder:1"],
            (await Stores.Requests.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork.Select(w => w.Id));

        // Announced at once, by one relay of two; given back when it could not be made, it is made at the next claim.
        var twoRelays = await Task.WhenAll(
            Outbox.ClaimUntakenAnnouncementsAsync(100, committed, ResendAfter, None),
            Outbox.ClaimUntakenAnnouncementsAsync(100, committed, ResendAfter, None));
        var first = Assert.Single(twoRelays.SelectMany(ours));
        Assert.Equal(new UntakenAnnouncement(stored.Id, updated.Version) { First = true }, first);
        Assert.Empty(ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, committed, ResendAfter, None)));
        await Outbox.AnnouncementNotMadeAsync(first, None);
        Assert.Equal([first], ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, committed, ResendAfter, None)));

        // Made, and not taken: made again ResendAfter later, then taken and never made again.
        Assert.Empty(ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, committed + ResendAfter - TimeSpan.FromSeconds(1), ResendAfter, None)));
        Assert.Equal(
            [new UntakenAnnouncement(stored.Id, updated.Version)],
            ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, committed + ResendAfter, ResendAfter, None)));
        await Outbox.AnnouncementTakenAsync(stored.Id, updated.Version, None);
        Assert.Empty(ours(await Outbox.ClaimUntakenAnnouncementsAsync(100, committed.AddDays(30), ResendAfter, None)));
    }

    [Fact]
    public async Task ClaimUnsent_ManyRelaysAtOnce_NoItemGoesToTwo()
    {
        await RequestWithItemsAsync([.. Enumerable.Range(0, 16).Select(i => ($"n{i:D2}", T0.AddSeconds(i)))]);

        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Outbox.ClaimUnsentAsync(6, T0, ClaimFor, ResendAfter, None))));
        var claimed = batches.SelectMany(b => b).ToList();
        claimed.AddRange(await Outbox.ClaimUnsentAsync(100, T0, ClaimFor, ResendAfter, None));

        Assert.Equal(18, claimed.Count);
        Assert.Equal(18, claimed.Select(c => c.Item.Id).Distinct().Count());
    }

    [Fact]
    public async Task ClaimUnsent_AClaimThatLapsed_IsClaimedAgain_AndTheOldClaimCanNeitherMarkSentNorRelease()
    {
        await RequestWithItemsAsync();
        var first = await Outbox.ClaimUnsentAsync(10, T0, ClaimFor, ResendAfter, None);

        var whileHeld = await Outbox.ClaimUnsentAsync(10, T0 + ClaimFor - TimeSpan.FromSeconds(1), ClaimFor, ResendAfter, None);
        var afterLapse = await Outbox.ClaimUnsentAsync(10, T0 + ClaimFor, ClaimFor, ResendAfter, None);

        Assert.Equal(2, first.Count);
        Assert.Empty(whileHeld);
        Assert.Equal(first.Select(c => c.Item.Id).Order(StringComparer.Ordinal), afterLapse.Select(c => c.Item.Id).Order(StringComparer.Ordinal));
        Assert.All(afterLapse, c => Assert.NotEqual(first[0].ClaimToken, c.ClaimToken));
        Assert.All(afterLapse, c => Assert.Equal(first.Single(f => f.Item.Id == c.Item.Id).Item.NotBefore, c.Item.NotBefore));
        foreach (var stale in first)
        {
            Assert.False(await Outbox.MarkSentAsync(stale, None));
            Assert.False(await Outbox.ReleaseAsync(stale, None));
        }

        Assert.All(await Task.WhenAll(afterLapse.Select(c => Outbox.MarkSentAsync(c, None))), Assert.True);
    }

    [Fact]
    public async Task MarkSent_WithTheClaim_KeepsTheItemFromTheRelay_UntilResendAfterPastItsDueTime()
    {
        var id = await RequestWithItemsAsync();
        var claimed = await Outbox.ClaimUnsentAsync(10, T0, ClaimFor, ResendAfter, None);

        Assert.All(await Task.WhenAll(claimed.Select(c => Outbox.MarkSentAsync(c, None))), Assert.True);
        Assert.False(await Outbox.MarkSentAsync(claimed[0], None));
        Assert.False(await Outbox.ReleaseAsync(claimed[0], None));

        Assert.Empty(await Outbox.ClaimUnsentAsync(10, T0 + ClaimFor, ClaimFor, ResendAfter, None));
        Assert.Empty(await Outbox.ClaimUnsentAsync(10, T0 + ResendAfter - TimeSpan.FromSeconds(1), ClaimFor, ResendAfter, None));
        var resent = Assert.Single(await Outbox.ClaimUnsentAsync(10, T0 + ResendAfter, ClaimFor, ResendAfter, None));
        Assert.Equal($"{id}:verification:1", resent.Item.Id);
        Assert.Equal(T0, resent.Item.NotBefore);
        Assert.Equal(0, resent.Attempts);
        Assert.True(await Outbox.MarkSentAsync(resent, None));

        // Sent again: not at the next sweep of the same moment, but resendAfter past this sending.
        Assert.Empty(await Outbox.ClaimUnsentAsync(10, T0 + ResendAfter, ClaimFor, ResendAfter, None));
        Assert.Empty(await Outbox.ClaimUnsentAsync(10, T0 + ResendAfter + ResendAfter - TimeSpan.FromSeconds(1), ClaimFor, ResendAfter, None));

        // Sent again each time resendAfter passes while it stays unprocessed; the reminder once it is as late as that.
        var later = await Outbox.ClaimUnsentAsync(10, T0.AddDays(3) + ResendAfter, ClaimFor, ResendAfter, None);
        Assert.Equal([$"{id}:verification-reminder:1", $"{id}:verification:1"], later.Select(c => c.Item.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MarkSent_ItemsAnOrchestrationHas_CountAsSent()
    {
        var id = await RequestWithItemsAsync();
        foreach (var claimed in await Outbox.ClaimUnsentAsync(10, T0, ClaimFor, ResendAfter, None))
        {
            Assert.True(await Outbox.MarkSentAsync(claimed, None));
        }

        var counts = await Queue.CountsAsync(id, None);
        Assert.Equal(2, counts.GetValueOrDefault("sent"));
        Assert.Equal(0, counts.GetValueOrDefault("pending"));
        Assert.Equal(0, counts.GetValueOrDefault("leased"));
    }

    [Fact]
    public async Task Release_WithTheClaim_GivesTheItemBackUnsent_ToBeClaimedAgain()
    {
        await RequestWithItemsAsync();
        var claimed = Assert.Single(await Outbox.ClaimUnsentAsync(1, T0, ClaimFor, ResendAfter, None));

        Assert.True(await Outbox.ReleaseAsync(claimed, None));
        Assert.False(await Outbox.ReleaseAsync(claimed, None));
        Assert.False(await Outbox.MarkSentAsync(claimed, None));

        var again = Assert.Single(await Outbox.ClaimUnsentAsync(1, T0, ClaimFor, ResendAfter, None));
        Assert.Equal(claimed.Item, again.Item);
        Assert.Equal(0, again.Attempts);
        Assert.True(await Outbox.MarkSentAsync(again, None));
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
        await SendAllAsync(T0);

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
        Assert.Empty(await Outbox.ClaimUnsentAsync(10, T0.AddMinutes(1), ClaimFor, ResendAfter, None));

        Assert.True(await Queue.CompleteAsync(lease, T0.AddMinutes(2), None));

        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(3), Lease, Tolerance, None)).Outcome);
        Assert.DoesNotContain(await Outbox.ClaimUnsentAsync(10, T0.AddDays(1), ClaimFor, ResendAfter, None), c => c.Item.Id == verification);
        var counts = await Queue.CountsAsync(id, None);
        Assert.Equal(1, counts.GetValueOrDefault("done"));
        Assert.Equal(0, counts.GetValueOrDefault("leased"));
    }

    [Fact]
    public async Task LeaseDelivered_ThenRetryThroughTheQueue_IsClaimedAgainWithItsAttempts_AndDeliveredAtItsNewTime()
    {
        var id = await RequestWithItemsAsync();
        var verification = $"{id}:verification:1";
        await SendAllAsync(T0);
        var lease = (await Outbox.LeaseDeliveredAsync(id, verification, T0, Lease, Tolerance, None)).Lease!;

        Assert.True(await Queue.RetryAsync(lease, T0.AddMinutes(10), "mail server busy", None));

        var retry = Assert.Single(await Outbox.ClaimUnsentAsync(10, T0.AddMinutes(1), ClaimFor, ResendAfter, None));
        Assert.Equal(verification, retry.Item.Id);
        Assert.Equal(T0.AddMinutes(10), retry.Item.NotBefore);
        Assert.Equal(1, retry.Attempts);
        Assert.True(await Outbox.MarkSentAsync(retry, None));
        Assert.Equal(DeliveryOutcome.NotDueYet, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(2), Lease, Tolerance, None)).Outcome);
        var second = await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(10), Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, second.Outcome);
        Assert.Equal(2, second.Lease!.Attempt);
        Assert.False(await Queue.CompleteAsync(lease, T0.AddMinutes(11), None));
        Assert.True(await Queue.DeadLetterAsync(second.Lease, T0.AddMinutes(11), "gave up", None));
        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await Outbox.LeaseDeliveredAsync(id, verification, T0.AddMinutes(12), Lease, Tolerance, None)).Outcome);
        Assert.Equal(1, (await Queue.CountsAsync(id, None)).GetValueOrDefault("dead"));
    }

    [Fact]
    public async Task LeaseDelivered_NeverEarlierThanTheTolerance_WhetherUnsentClaimedOrSent()
    {
        var id = await RequestWithItemsAsync(("claimed", T0.AddHours(1)), ("sent", T0.AddHours(2)), ("unsent", T0.AddHours(3)));
        var claimed = await Outbox.ClaimUnsentAsync(10, T0, ClaimFor, ResendAfter, None);
        Assert.True(await Outbox.MarkSentAsync(claimed.Single(c => c.Item.Id == $"{id}:sent"), None));
        Assert.True(await Outbox.ReleaseAsync(claimed.Single(c => c.Item.Id == $"{id}:unsent"), None));
        var justOutside = Tolerance + TimeSpan.FromSeconds(1);

        foreach (var (name, due) in new[] { ("claimed", T0.AddHours(1)), ("sent", T0.AddHours(2)), ("unsent", T0.AddHours(3)) })
        {
            Assert.Equal(DeliveryOutcome.NotDueYet, (await Outbox.LeaseDeliveredAsync(id, $"{id}:{name}", T0, Lease, Tolerance, None)).Outcome);
            Assert.Equal(DeliveryOutcome.NotDueYet, (await Outbox.LeaseDeliveredAsync(id, $"{id}:{name}", due - justOutside, Lease, Tolerance, None)).Outcome);
            var early = await Outbox.LeaseDeliveredAsync(id, $"{id}:{name}", due - Tolerance, Lease, Tolerance, None);
            Assert.Equal(DeliveryOutcome.Leased, early.Outcome);
            Assert.Equal(due, early.Lease!.Item.NotBefore);
        }

        // The claim that held one of them is gone with the delivery.
        Assert.False(await Outbox.MarkSentAsync(claimed.Single(c => c.Item.Id == $"{id}:claimed"), None));
    }

    [Fact]
    public async Task LeaseDelivered_ALeaseThatLapsed_IsDeliveredAgain_OrClaimedForResending_AndTheOldLeaseIsLost()
    {
        var id = await RequestWithItemsAsync();
        var verification = $"{id}:verification:1";
        await SendAllAsync(T0);
        var first = (await Outbox.LeaseDeliveredAsync(id, verification, T0, Lease, Tolerance, None)).Lease!;

        Assert.Equal(DeliveryOutcome.InProgress, (await Outbox.LeaseDeliveredAsync(id, verification, T0 + Lease - TimeSpan.FromSeconds(1), Lease, Tolerance, None)).Outcome);
        Assert.Empty(await Outbox.ClaimUnsentAsync(10, T0 + Lease - TimeSpan.FromSeconds(1), ClaimFor, ResendAfter, None));
        var redelivered = await Outbox.LeaseDeliveredAsync(id, verification, T0 + Lease, Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, redelivered.Outcome);
        Assert.Equal(2, redelivered.Lease!.Attempt);
        Assert.NotEqual(first.LeaseToken, redelivered.Lease.LeaseToken);
        Assert.False(await Queue.CompleteAsync(first, T0 + Lease, None));

        // That lease lapses too, with no delivery: the relay claims the item to send it again.
        var reclaimed = Assert.Single(await Outbox.ClaimUnsentAsync(10, T0 + Lease + Lease, ClaimFor, ResendAfter, None));
        Assert.Equal(verification, reclaimed.Item.Id);
        Assert.Equal(2, reclaimed.Attempts);
        Assert.False(await Queue.CompleteAsync(redelivered.Lease, T0 + Lease + Lease, None));
        Assert.True(await Outbox.MarkSentAsync(reclaimed, None));
        var third = await Outbox.LeaseDeliveredAsync(id, verification, T0 + Lease + Lease, Lease, Tolerance, None);
        Assert.Equal(DeliveryOutcome.Leased, third.Outcome);
        Assert.Equal(3, third.Lease!.Attempt);
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
        Assert.Empty(await Outbox.ClaimUnsentAsync(10, pastFirstEnd, ClaimFor, ResendAfter, None));
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

    /// <summary>A request's items handed over at T0, and its verification item leased then for <see cref="StepHold"/>.</summary>
    private async Task<(string Id, string Verification, LeasedWorkItem Lease)> VerificationLeasedForAStepAsync()
    {
        var id = await RequestWithItemsAsync();
        var verification = $"{id}:verification:1";
        await SendAllAsync(T0);
        return (id, verification, (await Outbox.LeaseDeliveredAsync(id, verification, T0, StepHold, Tolerance, None)).Lease!);
    }

    /// <summary>Claims and marks sent every unsent item, as the relay does.</summary>
    private async Task SendAllAsync(DateTimeOffset now)
    {
        foreach (var claimed in await Outbox.ClaimUnsentAsync(100, now, ClaimFor, ResendAfter, None))
        {
            Assert.True(await Outbox.MarkSentAsync(claimed, None));
        }
    }

    /// <summary>
    /// A submitted request (verification email due at T0, reminder at T0 + 3 days) plus <paramref name="items"/> committed
    /// with its next state, all of it copied into the relay's queue, as the version before stored it (the queue's items
    /// stay until they are done).
    /// </summary>
    private async Task<string> RequestWithItemsAsync(params (string Id, DateTimeOffset NotBefore)[] items)
    {
        var email = "person." + Guid.NewGuid().ToString("N") + "@example.com";
        var stored = await SubmitQueuedAsync(Stores.Requests, New(email));
        if (items.Length > 0)
        {
            var (updated, audit) = Advance(stored, RequestStatus.Verified, T0);
            Assert.True(await Stores.Requests.CommitAsync(updated, stored.Version, audit, [.. items.Select(i => Item(stored.Id, i.Id, i.NotBefore))], None));
        }

        return stored.Id;
    }
}
