using DataRights.Core.Audit;
using DataRights.Core.Retention;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IRetentionPolicyStore"/> and <see cref="IPurgeStore"/> must do: policies and purge
/// reports kept with their evidence, every audited change in one hash chain that verifies, whatever the
/// order and concurrency of the writers.
/// </summary>
public abstract class PurgeStoreContract : StoreContract
{
    private IPurgeStore Purges => Stores.Purges;

    [Fact]
    public async Task Policy_SavedTwice_IsReplaced_AndEachSaveIsInTheChain()
    {
        await Stores.RetentionPolicies.SaveAsync(Policy("uk", "P6M"), "staff:priya", T0, None);
        await Stores.RetentionPolicies.SaveAsync(Policy("eu", "P1Y"), "system", T0, None);
        await Stores.RetentionPolicies.SaveAsync(Policy("uk", "P3M"), "staff:sam", T0.AddHours(1), None);

        var uk = await Stores.RetentionPolicies.GetAsync("uk", None);
        var all = await Stores.RetentionPolicies.ListAsync(None);
        var chain = await Purges.AuditTrailAsync(null, None);

        Assert.NotNull(uk);
        Assert.Equal("P3M", uk.Policy.For("telephony.cdr")!.MaxAge);
        Assert.Equal("staff:sam", uk.UpdatedBy);
        Assert.Equal(T0.AddHours(1), uk.UpdatedAt);
        Assert.Equal(["eu", "uk"], all.Select(p => p.Policy.Region));
        Assert.Null(await Stores.RetentionPolicies.GetAsync("us", None));
        Assert.Equal(["retention.policy_saved", "retention.policy_saved", "retention.policy_saved"], chain.Select(e => e.Action));
        Assert.Equal(["staff:priya", "system", "staff:sam"], chain.Select(e => e.Actor));
        Assert.Contains("telephony.cdr=P3M from created", chain[2].Details, StringComparison.Ordinal);
        Assert.True((await Purges.VerifyAuditAsync(None)).IsValid);
    }

    [Fact]
    public async Task Start_SameRunTwice_KeepsTheFirst_AndWritesNothingMore()
    {
        var first = await Purges.StartAsync(Run("uk-20261102"), Started("uk-20261102"), None);
        var again = await Purges.StartAsync(Run("uk-20261102") with { Trigger = "staff", StartedAt = T0.AddHours(2) }, Started("uk-20261102"), None);

        Assert.Equal(first, again);
        Assert.Equal("timer", (await Purges.GetAsync("uk-20261102", None))!.Trigger);
        Assert.Single(await Purges.AuditTrailAsync(null, None));
        Assert.Null(await Purges.GetAsync("uk-20261103", None));
    }

    [Fact]
    public async Task Rows_KeepTheirLastProgress_AndAreListedPerRun_BySourceThenKindThenItem()
    {
        await Purges.StartAsync(Run("uk-1"), Started("uk-1"), None);
        await Purges.StartAsync(Run("uk-10"), Started("uk-10"), None);
        await Purges.SaveRowAsync(Row("uk-1", "telephony", "telephony.cdr") with { Scanned = 500 }, null, None);
        await Purges.SaveRowAsync(Row("uk-1", "telephony", "telephony.cdr") with { Scanned = 1200, Purged = 1100, Held = 100, State = PurgeRow.Done, Note = "Held: 100 (hold LH-1)." }, Final("uk-1"), None);
        await Purges.SaveRowAsync(Row("uk-1", "billing", "follow-up:dr_1:billing:billing.invoice:20261102") with { Kind = PurgeRow.FollowUpKind, RequestId = "dr_1", Cutoff = new DateOnly(2026, 11, 2) }, null, None);
        await Purges.SaveRowAsync(Row("uk-1", "billing", "billing.invoice"), null, None);
        await Purges.SaveRowAsync(Row("uk-1", "telephony", "telephony.recording"), null, None);
        await Purges.SaveRowAsync(Row("uk-10", "telephony", "telephony.cdr") with { Scanned = 7 }, null, None);

        var rows = await Purges.RowsAsync("uk-1", None);

        Assert.Equal(
            ["billing/follow-up:dr_1:billing:billing.invoice:20261102", "billing/billing.invoice", "telephony/telephony.cdr", "telephony/telephony.recording"],
            rows.Select(r => $"{r.SourceKey}/{r.Item}"));
        var cdr = rows[2];
        Assert.Equal((1200L, 1100L, 100L, PurgeRow.Done, "Held: 100 (hold LH-1)."), (cdr.Scanned, cdr.Purged, cdr.Held, cdr.State, cdr.Note));
        Assert.Equal(("dr_1", new DateOnly(2026, 11, 2), PurgeRow.FollowUpKind), (rows[0].RequestId, rows[0].Cutoff, rows[0].Kind));
        Assert.Equal(7, Assert.Single(await Purges.RowsAsync("uk-10", None)).Scanned);
        Assert.Empty(await Purges.RowsAsync("uk-", None));
    }

    [Fact]
    public async Task Finish_SetsStatusAndEnd_AndRunsAreListedNewestFirst()
    {
        await Purges.StartAsync(Run("uk-a"), Started("uk-a"), None);
        await Purges.StartAsync(Run("uk-b") with { StartedAt = T0.AddDays(1) }, Started("uk-b"), None);
        await Purges.StartAsync(Run("eu-c") with { Region = "eu", StartedAt = T0.AddDays(2) }, Started("eu-c"), None);

        await Purges.FinishAsync("uk-a", PurgeRun.Incomplete, T0.AddMinutes(3), Finished("uk-a"), None);

        var a = await Purges.GetAsync("uk-a", None);
        Assert.Equal((PurgeRun.Incomplete, T0.AddMinutes(3)), (a!.Status, a.FinishedAt));
        Assert.Equal(("uk", "timer", true, T0), (a.Region, a.Trigger, a.DryRun, a.ScheduledFor));
        Assert.Null((await Purges.GetAsync("uk-b", None))!.FinishedAt);
        Assert.Equal(["eu-c", "uk-b", "uk-a"], (await Purges.ListAsync(10, None)).Select(r => r.Id));
        Assert.Equal(["eu-c", "uk-b"], (await Purges.ListAsync(2, None)).Select(r => r.Id));
    }

    [Fact]
    public async Task AuditTrail_ForOneRun_HoldsOnlyThatRunsEntries_AndTheWholeChainVerifies()
    {
        await Stores.RetentionPolicies.SaveAsync(Policy("uk", "P6M"), "system", T0, None);
        await Purges.StartAsync(Run("uk-1"), Started("uk-1"), None);
        await Purges.StartAsync(Run("uk-2"), Started("uk-2"), None);
        await Purges.SaveRowAsync(Row("uk-1", "telephony", "telephony.cdr") with { State = PurgeRow.Done }, Final("uk-1"), None);
        await Purges.FinishAsync("uk-1", PurgeRun.Completed, T0.AddMinutes(1), Finished("uk-1"), None);

        var one = await Purges.AuditTrailAsync("uk-1", None);
        var all = await Purges.AuditTrailAsync(null, None);
        var verification = await Purges.VerifyAuditAsync(None);

        Assert.Equal(["purge.started", "purge.row_finished", "purge.finished"], one.Select(e => e.Action));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.All(all, e => Assert.Equal(IPurgeStore.AuditChainId, e.RequestId));
        Assert.True(verification.IsValid);
        Assert.Equal(5, verification.EntryCount);
    }

    [Fact]
    public async Task AuditedWrites_FromManyWritersAtOnce_FormOneUnbrokenChain()
    {
        await Purges.StartAsync(Run("uk-1"), Started("uk-1"), None);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Purges.SaveRowAsync(Row("uk-1", "source-" + i, "telephony.cdr") with { State = PurgeRow.Done }, Final("uk-1"), None))));

        var chain = await Purges.AuditTrailAsync(null, None);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), chain.Select(e => e.Sequence));
        Assert.True((await Purges.VerifyAuditAsync(None)).IsValid);
        Assert.Equal(8, (await Purges.RowsAsync("uk-1", None)).Count(r => r.State == PurgeRow.Done));
    }

    [Fact]
    public async Task SaveRowIf_RecordsOneAnswerOfMany_AndNoneForARowInAnotherState()
    {
        await Purges.StartAsync(Run("uk-1"), Started("uk-1"), None);
        var task = Row("uk-1", "sage", "billing.ledger") with { State = PurgeRow.TaskSent };
        await Purges.SaveRowAsync(task, Final("uk-1"), None);

        var answers = await Task.WhenAll(Enumerable.Range(1, 6).Select(n => Task.Run(() =>
            Purges.SaveRowIfAsync(task with { State = PurgeRow.Done, Purged = n }, PurgeRow.TaskSent, Draft("uk-1", "purge.confirmed_by_owner"), None))));
        var missing = await Purges.SaveRowIfAsync(Row("uk-1", "sage", "billing.journal") with { State = PurgeRow.Done }, PurgeRow.TaskSent, Draft("uk-1", "purge.confirmed_by_owner"), None);

        Assert.Single(answers, recorded => recorded);
        Assert.False(missing);
        var row = Assert.Single(await Purges.RowsAsync("uk-1", None));
        Assert.Equal(PurgeRow.Done, row.State);
        Assert.Equal(Array.IndexOf(answers, true) + 1, row.Purged);
        Assert.Single(await Purges.AuditTrailAsync("uk-1", None), e => e.Action == "purge.confirmed_by_owner");
        Assert.True((await Purges.VerifyAuditAsync(None)).IsValid);
    }

    [Fact]
    public async Task EmptyChain_Verifies()
    {
        var verification = await Purges.VerifyAuditAsync(None);

        Assert.True(verification.IsValid);
        Assert.Equal(0, verification.EntryCount);
    }

    private static RetentionPolicy Policy(string region, string maxAge) => new(
        region,
        [
            new RetentionRule { Category = "telephony.cdr", MaxAge = maxAge, CountsFrom = RetentionEvents.Created, Basis = "Billing disputes" },
            new RetentionRule { Category = "support.ticket", MaxAge = "P2Y", CountsFrom = RetentionEvents.LastActivity, Basis = "Support history" },
        ]);

    private static PurgeRun Run(string id) => new(id, "uk", "timer", true, T0, T0, PurgeRun.Running);

    private static PurgeRow Row(string run, string source, string item) => new()
    {
        RunId = run,
        SourceKey = source,
        Item = item,
        Kind = PurgeRow.AgeKind,
        Category = item,
    };

    private static AuditDraft Started(string run) => Draft(run, "purge.started");

    private static AuditDraft Final(string run) => Draft(run, "purge.row_finished");

    private static AuditDraft Finished(string run) => Draft(run, "purge.finished");

    private static AuditDraft Draft(string run, string action) => new(T0, "system:retention", action, null, null, new Dictionary<string, string?> { ["run"] = run });
}
