using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IFollowUpErasureStore"/> must do: follow-ups recorded once, found on the day they
/// are due, and finished together with their request's audit trail, or not at all.
/// </summary>
public abstract class FollowUpErasureStoreContract : StoreContract
{
    private static readonly DateOnly Day = new(2033, 4, 1);

    private IFollowUpErasureStore Store => Stores.FollowUps;

    [Fact]
    public async Task Schedule_SameFollowUpTwice_KeepsOne_AsFirstRecorded()
    {
        var request = await SubmitAsync();
        var followUp = FollowUp(request.Id, "billing", "billing.invoice", Day);

        await Store.ScheduleAsync(followUp, None);
        await Store.ScheduleAsync(followUp with { Note = "second" }, None);

        var listed = Assert.Single(await Store.ListAsync(request.Id, 10, None));
        Assert.Equal(followUp, listed);
        Assert.Equal(followUp, Assert.Single(await Store.DueAsync(Day, None)));
    }

    [Fact]
    public async Task Due_ReturnsPendingAndHeldFollowUpsDueByToday_SoonestFirst()
    {
        var request = await SubmitAsync();
        var other = await SubmitAsync("sam.jones@example.com");
        await Store.ScheduleAsync(FollowUp(request.Id, "billing", "billing.invoice", Day), None);
        await Store.ScheduleAsync(FollowUp(other.Id, "billing", "billing.invoice", Day.AddDays(-3)), None);
        await Store.ScheduleAsync(FollowUp(request.Id, "telephony", "telephony.cdr", Day.AddDays(1)), None);
        await Store.ScheduleAsync(FollowUp(other.Id, "support", "support.ticket", Day.AddDays(-1)) with { State = FollowUpErasure.Held }, None);
        await Store.ScheduleAsync(FollowUp(other.Id, "crm", "crm.profile", Day.AddDays(-2)) with { State = FollowUpErasure.Done }, None);

        var due = await Store.DueAsync(Day, None);

        Assert.Equal(
            [(other.Id, "billing", Day.AddDays(-3)), (other.Id, "support", Day.AddDays(-1)), (request.Id, "billing", Day)],
            due.Select(f => (f.RequestId, f.SourceKey, f.DueOn)));
        Assert.Empty(await Store.DueAsync(Day.AddDays(-4), None));
        Assert.Equal(4, (await Store.DueAsync(Day.AddDays(1), None)).Count);
    }

    [Fact]
    public async Task List_AllRequests_NewestDueFirst_UpToMax()
    {
        var request = await SubmitAsync();
        var other = await SubmitAsync("sam.jones@example.com");
        await Store.ScheduleAsync(FollowUp(request.Id, "billing", "billing.invoice", Day), None);
        await Store.ScheduleAsync(FollowUp(other.Id, "billing", "billing.invoice", Day.AddDays(5)), None);
        await Store.ScheduleAsync(FollowUp(request.Id, "telephony", "telephony.cdr", Day.AddDays(2)), None);

        Assert.Equal([Day.AddDays(5), Day.AddDays(2), Day], (await Store.ListAsync(null, 10, None)).Select(f => f.DueOn));
        Assert.Equal([Day.AddDays(5), Day.AddDays(2)], (await Store.ListAsync(null, 2, None)).Select(f => f.DueOn));
        Assert.Equal([Day.AddDays(2), Day], (await Store.ListAsync(request.Id, 10, None)).Select(f => f.DueOn));
    }

    [Fact]
    public async Task Record_AtTheCurrentVersion_FinishesTheFollowUp_AppendsToTheTrail_AndSchedulesTheNext()
    {
        var request = await SubmitAsync();
        var followUp = FollowUp(request.Id, "billing", "billing.invoice", Day);
        await Store.ScheduleAsync(followUp, None);
        var next = FollowUp(request.Id, "billing", "billing.ledger", Day.AddYears(1));
        var (updated, entries) = Advance(request, "follow_up.erased");

        var recorded = await Store.RecordAsync(followUp with { State = FollowUpErasure.Done, UpdatedAt = T0.AddDays(1) }, updated, request.Version, entries, [next], None);

        Assert.True(recorded);
        var stored = await Stores.Requests.GetAsync(request.Id, None);
        Assert.Equal(updated.Version, stored!.Version);
        Assert.Equal(updated.AuditHead, stored.AuditHead);
        Assert.Equal(request.Status, stored.Status);
        var trail = await Stores.Requests.GetAuditTrailAsync(request.Id, None);
        Assert.Equal("follow_up.erased", trail[^1].Action);
        Assert.True(AuditChain.Verify(trail, stored.AuditHead).IsValid);
        Assert.Empty(await Store.DueAsync(Day, None));
        Assert.Equal(next, Assert.Single(await Store.DueAsync(Day.AddYears(1), None)));
        var listed = await Store.ListAsync(request.Id, 10, None);
        Assert.Equal([(Day.AddYears(1), FollowUpErasure.Pending), (Day, FollowUpErasure.Done)], listed.Select(f => (f.DueOn, f.State)));
    }

    [Fact]
    public async Task Record_Held_KeepsTheFollowUpDue_WithItsNote()
    {
        var request = await SubmitAsync();
        var followUp = FollowUp(request.Id, "billing", "billing.invoice", Day);
        await Store.ScheduleAsync(followUp, None);
        var (updated, entries) = Advance(request, "follow_up.held");

        Assert.True(await Store.RecordAsync(followUp with { State = FollowUpErasure.Held, Note = "Waiting for legal hold LH-7." }, updated, request.Version, entries, [], None));

        var due = Assert.Single(await Store.DueAsync(Day.AddDays(30), None));
        Assert.Equal((FollowUpErasure.Held, "Waiting for legal hold LH-7."), (due.State, due.Note));
    }

    [Fact]
    public async Task Record_AtAStaleVersion_ChangesNothing()
    {
        var request = await SubmitAsync();
        var followUp = FollowUp(request.Id, "billing", "billing.invoice", Day);
        await Store.ScheduleAsync(followUp, None);
        var (moved, movedEntries) = Advance(request, "test.moved");
        Assert.True(await Stores.Requests.CommitAsync(moved, request.Version, movedEntries, None));
        var (updated, entries) = Advance(request, "follow_up.erased");

        var recorded = await Store.RecordAsync(
            followUp with { State = FollowUpErasure.Done }, updated, request.Version, entries, [FollowUp(request.Id, "billing", "billing.ledger", Day.AddYears(1))], None);

        Assert.False(recorded);
        Assert.Equal(moved.Version, (await Stores.Requests.GetAsync(request.Id, None))!.Version);
        Assert.Equal("test.moved", (await Stores.Requests.GetAuditTrailAsync(request.Id, None))[^1].Action);
        Assert.Equal(followUp, Assert.Single(await Store.ListAsync(request.Id, 10, None)));
        Assert.Equal(followUp, Assert.Single(await Store.DueAsync(Day.AddYears(2), None)));
    }

    private async Task<DataSubjectRequest> SubmitAsync(string email = "kim.lee@example.com") =>
        (await Stores.Requests.SubmitAsync(New(email), T0 - Window, Start, None)).Request;

    private static FollowUpErasure FollowUp(string requestId, string source, string category, DateOnly due) =>
        new(FollowUpErasure.IdFor(requestId, source, category, due), requestId, source, category, due, FollowUpErasure.Pending, T0, T0);

    /// <summary>The request with one more audit entry, as the follow-up runner builds it (status unchanged).</summary>
    private static (DataSubjectRequest Updated, IReadOnlyList<AuditEntry> Entries) Advance(DataSubjectRequest request, string action)
    {
        var at = T0.AddDays(1);
        var (entries, head) = AuditChain.Extend(request.AuditHead, request.Id, [new AuditDraft(at, "system:retention", action, null, null)]);
        return (request with { Version = request.Version + 1, AuditHead = head!, UpdatedAt = at }, entries);
    }
}
