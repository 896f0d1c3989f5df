using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>What every <see cref="IRequestStore"/> must do (the SQLite store's behaviour, which the workflow relies on).</summary>
public abstract class RequestStoreContract : StoreContract
{
    private IRequestStore Store => Stores.Requests;

    [Fact]
    public async Task Submit_NewRequest_StoresItWithReferenceAuditAndWork()
    {
        var request = New(details: "Please delete my account and call recordings.");

        var outcome = await Store.SubmitAsync(request, T0 - Window, Start, None);
        var loaded = await Store.GetAsync(request.Id, None);

        Assert.True(outcome.Created);
        Assert.Equal("DR-2026-000001", outcome.Request.Reference);
        Assert.Equal(RequestStatus.AwaitingVerification, outcome.Request.Status);
        Assert.Equal(1, outcome.Request.Version);
        Assert.NotNull(loaded);
        AssertSame(outcome.Request, loaded);
        Assert.Equal("kim.lee@example.com", loaded.Email);
        Assert.Equal("Kim Lee", loaded.FullName);
        Assert.Equal("ACC-1002", loaded.AccountReference);
        Assert.Equal("Please delete my account and call recordings.", loaded.Details);
        Assert.Equal(1, loaded.Progress.VerificationEmailsSent);
        var trail = await Store.GetAuditTrailAsync(request.Id, None);
        Assert.Equal([AuditActions.Received, "verification.requested"], trail.Select(e => e.Action));
        Assert.True(AuditChain.Verify(trail, loaded.AuditHead).IsValid);

        // Its work is the request's own (no row of its own), and its open work, soonest first.
        Assert.Equal([$"{request.Id}:verification:1", $"{request.Id}:verification-reminder:1"], (await Store.GetWithOpenWorkAsync(request.Id, None))!.OpenWork.Select(w => w.Id));
    }

    [Fact]
    public async Task Submit_DecisionChangingNothing_StoresTheReceivedRequestWithoutWork()
    {
        var request = New();

        var outcome = await Store.SubmitAsync(request, T0 - Window, Unchanged, None);

        Assert.Equal(RequestStatus.Received, outcome.Request.Status);
        Assert.Single(await Store.GetAuditTrailAsync(request.Id, None));
        Assert.Empty((await Store.GetWithOpenWorkAsync(request.Id, None))!.OpenWork);
    }

    [Fact]
    public async Task Submit_SameFingerprintWithinWindow_ReturnsTheFirstAndStoresNothing()
    {
        var first = await Store.SubmitAsync(New(), T0 - Window, Start, None);
        var again = New(at: T0.AddMinutes(5));

        var outcome = await Store.SubmitAsync(again, again.ReceivedAt - Window, Start, None);

        Assert.False(outcome.Created);
        Assert.Equal(first.Request.Id, outcome.Request.Id);
        Assert.Equal(first.Request.Reference, outcome.Request.Reference);
        Assert.Null(await Store.GetAsync(again.Id, None));
        Assert.Null(await Store.FindByStatusTokenHashAsync(again.StatusTokenHash, None));
        Assert.Single(await Store.ListOpenAsync(10, None));
        Assert.Empty(await Store.GetAuditTrailAsync(again.Id, None));
    }

    [Fact]
    public async Task Submit_SameFingerprintAfterTheWindow_StoresASecondRequest()
    {
        var first = await Store.SubmitAsync(New(), T0 - Window, Start, None);
        var later = New(at: T0.AddMinutes(11));

        var outcome = await Store.SubmitAsync(later, later.ReceivedAt - Window, Start, None);

        Assert.True(outcome.Created);
        Assert.NotEqual(first.Request.Id, outcome.Request.Id);
        Assert.Equal("DR-2026-000002", outcome.Request.Reference);
        Assert.Equal(2, (await Store.ListOpenAsync(10, None)).Count);
    }

    [Fact]
    public async Task Submit_ConcurrentIdenticalSubmissions_StoreOne()
    {
        var submissions = Enumerable.Range(0, 8).Select(_ => New()).ToList();

        var outcomes = await Task.WhenAll(submissions.Select(s => Task.Run(() => Store.SubmitAsync(s, T0 - Window, Start, None))));

        Assert.Single(outcomes, o => o.Created);
        Assert.Single(outcomes.Select(o => o.Request.Id).Distinct());
        Assert.Single(await Store.ListOpenAsync(10, None));
        var stored = await Task.WhenAll(submissions.Select(s => Store.GetAsync(s.Id, None)));
        Assert.Single(stored, r => r is not null);
    }

    [Fact]
    public async Task Submit_References_AreUniqueAndIncreasing()
    {
        var sequential = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            sequential.Add((await Store.SubmitAsync(New($"person.{i}@example.com"), T0 - Window, Start, None)).Request.Reference);
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(10, 8).Select(i =>
            Task.Run(() => Store.SubmitAsync(New($"person.{i}@example.com"), T0 - Window, Start, None))));

        Assert.Equal(["DR-2026-000001", "DR-2026-000002", "DR-2026-000003", "DR-2026-000004"], sequential);
        var references = concurrent.Select(o => o.Request.Reference).ToList();
        Assert.Equal(references.Count, references.Distinct().Count());
        Assert.All(references, r => Assert.True(string.CompareOrdinal(r, sequential[^1]) > 0, $"{r} is not after {sequential[^1]}"));
    }

    [Fact]
    public async Task ListCompleted_GivesOnlyCompletedRequestsOfThatType()
    {
        var done = (await Store.SubmitAsync(New("done@example.com"), T0 - Window, Start, None)).Request;
        await Store.SubmitAsync(New("open@example.com"), T0 - Window, Start, None);
        var (completed, audit) = Advance(done, RequestStatus.Completed, T0.AddHours(2));
        Assert.True(await Store.CommitAsync(completed, done.Version, audit, None));
        var listing = Assert.IsAssignableFrom<IRequestListing>(Store);

        var erasures = await listing.ListCompletedAsync(RequestType.Erasure, 10, None);
        var restrictions = await listing.ListCompletedAsync(RequestType.Restriction, 10, None);

        Assert.Equal([done.Id], erasures.Select(r => r.Id));
        Assert.Equal("done@example.com", erasures[0].Email);
        Assert.Empty(restrictions);
    }

    [Fact]
    public async Task ListReceived_GivesThePeriodsRequestsOpenAndClosedOldestFirst_WithTheirFigures()
    {
        var from = T0;
        var to = T0.AddDays(7);
        await Store.SubmitAsync(New("before@example.com", from.AddTicks(-1)), T0 - Window, Start, None);
        var open = (await Store.SubmitAsync(New("open@example.com", from, new DateOnly(2026, 12, 2)), T0 - Window, Start, None)).Request;
        var rejected = (await Store.SubmitAsync(New("rejected@example.com", from.AddHours(1)), T0 - Window, Start, None)).Request;
        var completed = (await Store.SubmitAsync(New("completed@example.com", from.AddHours(2)), T0 - Window, Start, None)).Request;
        await Store.SubmitAsync(New("after@example.com", to), T0 - Window, Start, None);
        var (refused, refusal) = Advance(rejected, RequestStatus.Rejected, T0.AddDays(1), progress: rejected.Progress with { Rejection = RejectionReason.Excessive });
        Assert.True(await Store.CommitAsync(refused, rejected.Version, refusal, None));
        var extension = new ClockExtension(T0.AddDays(2), "staff:tester", "Complex request.", new DateOnly(2027, 2, 2));
        var (extended, extending) = Advance(completed, RequestStatus.Executing, T0.AddDays(2), progress: completed.Progress with { Extension = extension });
        Assert.True(await Store.CommitAsync(extended with { Deadline = extended.Deadline with { DueOn = extension.NewDueOn } }, completed.Version, extending, None));
        var (done, finishing) = Advance(extended, RequestStatus.Completed, T0.AddDays(3));
        Assert.True(await Store.CommitAsync(done with { Deadline = done.Deadline with { DueOn = extension.NewDueOn } }, extended.Version, finishing, None));

        // A later change to a closed request (its export deleted, say) does not move when it closed.
        var (tidied, tidying) = Advance(done, RequestStatus.Completed, T0.AddDays(20));
        Assert.True(await Store.CommitAsync(tidied with { Deadline = done.Deadline with { DueOn = extension.NewDueOn } }, done.Version, tidying, None));
        var listing = Assert.IsAssignableFrom<IRequestListing>(Store);

        var figures = await listing.ListReceivedAsync(from, to, 10, None);
        var firstTwo = await listing.ListReceivedAsync(from, to, 2, None);

        Assert.Equal([open.Id, rejected.Id, completed.Id], figures.Select(f => f.Id));
        Assert.Equal([open.Id, rejected.Id], firstTwo.Select(f => f.Id));
        Assert.Equal(
            new Core.Metrics.RequestFigures(open.Id, RequestType.Erasure, Jurisdiction.UK, RequestStatus.AwaitingVerification, from, new DateOnly(2026, 11, 2), new DateOnly(2026, 12, 2), null, false, false, false, null),
            figures[0]);
        Assert.Equal((RequestStatus.Rejected, T0.AddDays(1), RejectionReason.Excessive, false), (figures[1].Status, figures[1].ClosedAt, figures[1].Rejection, figures[1].Extended));
        Assert.Equal((RequestStatus.Completed, T0.AddDays(3), new DateOnly(2027, 2, 2), true, (RejectionReason?)null), (figures[2].Status, figures[2].ClosedAt, figures[2].DueOn, figures[2].Extended, figures[2].Rejection));
        Assert.Equal([to], (await listing.ListReceivedAsync(to, to.AddDays(1), 10, None)).Select(f => f.ReceivedAt));
    }

    [Fact]
    public async Task Commit_AtTheExpectedVersion_WritesStateAuditAndWork()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1), auditEntries: 2);

        var committed = await Store.CommitAsync(Owing(updated, "discover-crm", T0.AddHours(1)), stored.Version, audit, None);
        var loaded = await Store.GetAsync(stored.Id, None);

        Assert.True(committed);
        Assert.NotNull(loaded);
        Assert.Equal(RequestStatus.Verified, loaded.Status);
        Assert.Equal(2, loaded.Version);
        Assert.Equal(T0.AddHours(1), loaded.UpdatedAt);
        Assert.Equal(updated.AuditHead, loaded.AuditHead);
        Assert.Equal(4, (await Store.GetAuditTrailAsync(stored.Id, None)).Count);
        Assert.Contains($"{stored.Id}:discover-crm", (await Store.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork.Select(w => w.Id));
    }

    [Fact]
    public async Task Commit_GivenDetails_AreKeptWithTheRequestUntilClearedAndNeverInItsProgress()
    {
        var given = new Core.Verification.GivenDataPoint("postcode", "postcode", "EC1A1AA", "hmac-sha256:0123");
        var stored = (await Store.SubmitAsync(New() with { DataPoints = [given] }, T0 - Window, Start, None)).Request;
        var loaded = await Store.GetAsync(stored.Id, None);
        Assert.Equal([given], loaded!.DataPoints);
        Assert.DoesNotContain("EC1A1AA", Core.Workflow.WorkflowJson.Serialize(loaded.Progress), StringComparison.Ordinal);

        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1), auditEntries: 1);
        Assert.True(await Store.CommitAsync(updated with { DataPoints = null }, stored.Version, audit, None));

        Assert.Null((await Store.GetAsync(stored.Id, None))!.DataPoints);
    }

    [Fact]
    public async Task Commit_WithAStaleVersion_ReturnsFalseAndWritesNothing()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var (winner, winnerAudit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await Store.CommitAsync(winner, stored.Version, winnerAudit, None));
        var (loser, loserAudit) = Advance(stored, RequestStatus.Rejected, T0.AddHours(2), auditEntries: 3);

        var committed = await Store.CommitAsync(Owing(loser, "loser", T0), stored.Version, loserAudit, None);

        Assert.False(committed);
        var loaded = await Store.GetAsync(stored.Id, None);
        Assert.Equal(RequestStatus.Verified, loaded!.Status);
        Assert.Equal(2, loaded.Version);
        var trail = await Store.GetAuditTrailAsync(stored.Id, None);
        Assert.Equal(3, trail.Count);
        Assert.True(AuditChain.Verify(trail, loaded.AuditHead).IsValid);
        Assert.DoesNotContain($"{stored.Id}:loser", (await Store.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork.Select(w => w.Id));
    }

    [Fact]
    public async Task Commit_WithAStaleVersionAndNoAuditEntries_StillReturnsFalseAndQueuesNothing()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var (winner, winnerAudit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await Store.CommitAsync(winner, stored.Version, winnerAudit, None));
        var loser = stored with { Status = RequestStatus.Rejected, Version = 2, UpdatedAt = T0.AddHours(2) };

        var committed = await Store.CommitAsync(Owing(loser, "loser", T0), stored.Version, [], None);

        Assert.False(committed);
        Assert.Equal(RequestStatus.Verified, (await Store.GetAsync(stored.Id, None))!.Status);
        Assert.DoesNotContain($"{stored.Id}:loser", (await Store.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork.Select(w => w.Id));
    }

    [Fact]
    public async Task Commit_ManyAtTheSameVersionAtOnce_OnlyOneWins()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.CommitAsync(
            Owing(stored with { Status = RequestStatus.Verified, Version = 2, UpdatedAt = T0.AddMinutes(i) }, "w" + i, T0), 1, [], None))));

        Assert.Single(results, r => r);
        Assert.Equal(2, (await Store.GetAsync(stored.Id, None))!.Version);
        Assert.Single((await Store.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork, w => w.Id.StartsWith($"{stored.Id}:w", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commit_UnknownRequest_ReturnsFalse()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var ghost = stored with { Id = "dr_ghost" };
        var (updated, audit) = Advance(ghost, RequestStatus.Verified, T0.AddHours(1));

        Assert.False(await Store.CommitAsync(updated, 1, audit, None));
        Assert.Null(await Store.GetAsync("dr_ghost", None));
    }

    [Fact]
    public async Task Commit_ChangesOnlyWorkflowFields_IntakeFieldsStayAsReceived()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1));

        Assert.True(await Store.CommitAsync(updated with { Email = "someone.else@example.com", Reference = "DR-1999-999999" }, 1, audit, None));

        var loaded = await Store.GetAsync(stored.Id, None);
        Assert.Equal("kim.lee@example.com", loaded!.Email);
        Assert.Equal(stored.Reference, loaded.Reference);
        Assert.Equal(RequestStatus.Verified, loaded.Status);
    }

    [Fact]
    public async Task Commit_MoreRowsThanOneTransactionHolds_ThrowsAndWritesNothing()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1), auditEntries: IRequestStore.MaxRowsPerCommit);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitAsync(updated, 1, audit, None));

        Assert.Equal(1, (await Store.GetAsync(stored.Id, None))!.Version);
        Assert.Equal(2, (await Store.GetAuditTrailAsync(stored.Id, None)).Count);
    }

    [Fact]
    public async Task Commit_AtTheLimit_WritesAllRows()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1), auditEntries: IRequestStore.MaxRowsPerCommit - 1);

        Assert.True(await Store.CommitAsync(updated, 1, audit, None));

        Assert.Equal(2 + IRequestStore.MaxRowsPerCommit - 1, (await Store.GetAuditTrailAsync(stored.Id, None)).Count);
    }

    [Fact]
    public async Task GetAuditTrail_ReturnsEntriesOldestFirst_AndTheChainHolds()
    {
        var current = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        foreach (var (status, hours) in new[] { (RequestStatus.Verified, 1), (RequestStatus.Discovering, 2), (RequestStatus.AwaitingApproval, 3) })
        {
            var (updated, audit) = Advance(current, status, T0.AddHours(hours), auditEntries: 2);
            Assert.True(await Store.CommitAsync(updated, current.Version, audit, None));
            current = updated;
        }

        var trail = await Store.GetAuditTrailAsync(current.Id, None);

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), trail.Select(e => e.Sequence));
        Assert.Equal(trail.OrderBy(e => e.At).Select(e => e.Sequence), trail.Select(e => e.Sequence));
        Assert.All(trail, e => Assert.Equal(current.Id, e.RequestId));
        Assert.True(AuditChain.Verify(trail, current.AuditHead).IsValid);
        Assert.Empty(await Store.GetAuditTrailAsync("dr_unknown", None));
    }

    [Fact]
    public async Task ListOpen_DueFirstThenByReceipt_AndLeavesOutFinalRequests()
    {
        var later = (await Store.SubmitAsync(New("a@example.com", T0, new DateOnly(2026, 12, 10)), T0 - Window, Start, None)).Request;
        var soonFirst = (await Store.SubmitAsync(New("b@example.com", T0.AddMinutes(1), new DateOnly(2026, 12, 1)), T0 - Window, Start, None)).Request;
        var soonSecond = (await Store.SubmitAsync(New("c@example.com", T0.AddMinutes(2), new DateOnly(2026, 12, 1)), T0 - Window, Start, None)).Request;
        var closed = (await Store.SubmitAsync(New("d@example.com", T0.AddMinutes(3), new DateOnly(2026, 11, 20)), T0 - Window, Start, None)).Request;
        var (rejected, audit) = Advance(closed, RequestStatus.Rejected, T0.AddHours(1));
        Assert.True(await Store.CommitAsync(rejected, closed.Version, audit, None));

        var all = await Store.ListOpenAsync(10, None);
        var two = await Store.ListOpenAsync(2, None);

        Assert.Equal([soonFirst.Id, soonSecond.Id, later.Id], all.Select(r => r.Id));
        Assert.Equal([soonFirst.Id, soonSecond.Id], two.Select(r => r.Id));
        Assert.Equal(RequestStatus.AwaitingVerification, all[0].Status);
    }

    [Fact]
    public async Task ListOpenPage_WalksEveryOpenRequestOnceInListOrder_AndSaysWhenThereIsMore()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            // Pairs share a due date and an instant of receipt, so the id decides between them.
            var request = New($"p{i}@example.com", T0.AddMinutes(i / 3), new DateOnly(2026, 12, 1).AddDays(i / 2));
            ids.Add((await Store.SubmitAsync(request, T0 - Window, Start, None)).Request.Id);
        }

        var closed = (await Store.SubmitAsync(New("closed@example.com", T0, new DateOnly(2026, 11, 20)), T0 - Window, Start, None)).Request;
        var (rejected, audit) = Advance(closed, RequestStatus.Rejected, T0.AddHours(1));
        Assert.True(await Store.CommitAsync(rejected, closed.Version, audit, None));

        var pages = new List<OpenRequestPage>();
        OpenRequestCursor? after = null;
        do
        {
            var page = await Store.ListOpenPageAsync(3, after, None);
            pages.Add(page);
            after = page.Next;
        }
        while (after is not null && pages.Count < 10);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Items.Count));
        Assert.Null(pages[^1].Next);
        Assert.Equal((await Store.ListOpenAsync(100, None)).Select(r => r.Id), pages.SelectMany(p => p.Items).Select(r => r.Id));
        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.SelectMany(p => p.Items).Select(r => r.Id).Order(StringComparer.Ordinal));
        var exact = await Store.ListOpenPageAsync(7, null, None);
        Assert.Equal(7, exact.Items.Count);
        Assert.Null(exact.Next);
    }

    [Fact]
    public async Task FindAwaitingVerification_FindsOnlyTheAddressesRequestStillWaiting()
    {
        var waiting = (await Store.SubmitAsync(New("wait@example.com"), T0 - Window, Start, None)).Request;
        var done = (await Store.SubmitAsync(New("done@example.com"), T0 - Window, Start, None)).Request;
        var (verified, audit) = Advance(done, RequestStatus.Verified, T0.AddHours(1));
        Assert.True(await Store.CommitAsync(verified, done.Version, audit, None));

        Assert.Equal(waiting.Id, (await Store.FindAwaitingVerificationAsync("wait@example.com", None))?.Id);
        Assert.Null(await Store.FindAwaitingVerificationAsync("done@example.com", None));
        Assert.Null(await Store.FindAwaitingVerificationAsync("nobody@example.com", None));
    }

    [Fact]
    public async Task FindByStatusTokenHash_FindsItsRequest_AndAnUnknownHashNothing()
    {
        var mine = New("mine@example.com");
        var other = New("other@example.com");
        await Store.SubmitAsync(mine, T0 - Window, Start, None);
        await Store.SubmitAsync(other, T0 - Window, Start, None);

        var found = await Store.FindByStatusTokenHashAsync(mine.StatusTokenHash, None);

        Assert.Equal(mine.Id, found?.Id);
        Assert.Null(await Store.FindByStatusTokenHashAsync(new string('a', 64), None));
        Assert.Null(await Store.GetAsync("dr_unknown", None));
    }

    [Fact]
    public async Task Commit_LargeProgress_RoundTrips()
    {
        var stored = (await Store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var nonces = Enumerable.Range(0, 4000).Select(i => $"nonce-{i:D6}-" + new string('n', 30) + "-é😀").ToList();
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1), progress: stored.Progress with { UsedLinkNonces = nonces });

        Assert.True(await Store.CommitAsync(updated, 1, audit, None));
        var loaded = await Store.GetAsync(stored.Id, None);
        var (smaller, audit3) = Advance(loaded!, RequestStatus.Discovering, T0.AddHours(2), progress: loaded!.Progress with { UsedLinkNonces = ["one"] });
        Assert.True(await Store.CommitAsync(smaller, 2, audit3, None));

        Assert.Equal(nonces, loaded.Progress.UsedLinkNonces);
        Assert.Equal(["one"], (await Store.GetAsync(stored.Id, None))!.Progress.UsedLinkNonces);
    }

    private static void AssertSame(DataSubjectRequest expected, DataSubjectRequest actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Reference, actual.Reference);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Jurisdiction, actual.Jurisdiction);
        Assert.Equal(expected.Channel, actual.Channel);
        Assert.Equal(expected.Email, actual.Email);
        Assert.Equal(expected.FullName, actual.FullName);
        Assert.Equal(expected.AccountReference, actual.AccountReference);
        Assert.Equal(expected.Details, actual.Details);
        Assert.Equal(expected.ReceivedAt, actual.ReceivedAt);
        Assert.Equal(expected.Deadline, actual.Deadline);
        Assert.Equal(expected.StatusTokenHash, actual.StatusTokenHash);
        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.AuditHead, actual.AuditHead);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
    }
}
