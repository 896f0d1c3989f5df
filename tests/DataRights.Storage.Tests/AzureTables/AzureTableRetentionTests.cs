using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// What only the Table adapter of the retention bookkeeping has to get right: the follow-ups' due index
/// after a crash or a refused commit, and a retention chain whose rows are edited or cut off behind its back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableRetentionTests(AzuriteFixture azurite)
{
    private static readonly DateOnly Day = new(2033, 4, 1);

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task FollowUp_WhoseSchedulingDiedAfterTheIndex_IsWrittenAndFoundWhenDue()
    {
        var tables = await azurite.NewStoreAsync();
        var (store, request) = await FollowUpStoreWithRequestAsync(tables);
        var followUp = FollowUp(request, Day);
        await store.ScheduleAsync(followUp, None);

        // As if the process had died between the index row and the follow-up's own row.
        await tables.Client.ExecuteAsync(tables.RequestsTable, TableOperation.Delete(TableKeys.Escape(request), "followup_" + TableKeys.Escape(followUp.Id), "*"), None);
        Assert.Empty(await store.ListAsync(request, 10, None));

        Assert.Equal(followUp, Assert.Single(await store.DueAsync(Day, None)));
        Assert.Equal(followUp, Assert.Single(await store.ListAsync(request, 10, None)));
    }

    [Fact]
    public async Task NextFollowUp_OfARefusedRecord_IsNeverTakenAsDue_AndItsIndexRowGoesOnceStale()
    {
        var clock = new FakeTimeProvider(T0);
        var tables = await azurite.NewStoreAsync(clock);
        var (store, requestId) = await FollowUpStoreWithRequestAsync(tables);
        var followUp = FollowUp(requestId, Day);
        await store.ScheduleAsync(followUp, None);
        var request = (await new AzureTableRequestStore(tables).GetAsync(requestId, None))!;
        var (entries, head) = AuditChain.Extend(request.AuditHead, request.Id, [new AuditDraft(T0, "system:retention", "follow_up.erased", null, null)]);

        var recorded = await store.RecordAsync(
            followUp with { State = FollowUpErasure.Done }, request with { Version = request.Version + 1, AuditHead = head! }, request.Version - 1, entries, [FollowUp(requestId, Day.AddDays(1))], None);

        Assert.False(recorded);
        Assert.Equal([followUp], await store.DueAsync(Day.AddDays(1), None));
        Assert.Equal(2, await IndexRowsAsync(tables));
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal([followUp], await store.DueAsync(Day.AddDays(1), None));
        Assert.Equal(1, await IndexRowsAsync(tables));
    }

    [Fact]
    public async Task FinishedFollowUp_LeavesNoIndexRow()
    {
        var tables = await azurite.NewStoreAsync();
        var (store, requestId) = await FollowUpStoreWithRequestAsync(tables);
        var followUp = FollowUp(requestId, Day);
        await store.ScheduleAsync(followUp, None);
        var request = (await new AzureTableRequestStore(tables).GetAsync(requestId, None))!;
        var (entries, head) = AuditChain.Extend(request.AuditHead, request.Id, [new AuditDraft(T0, "system:retention", "follow_up.erased", null, null)]);

        Assert.True(await store.RecordAsync(followUp with { State = FollowUpErasure.Done }, request with { Version = request.Version + 1, AuditHead = head! }, request.Version, entries, [], None));

        Assert.Equal(0, await IndexRowsAsync(tables));
        Assert.Equal(FollowUpErasure.Done, Assert.Single(await store.ListAsync(requestId, 10, None)).State);
    }

    [Fact]
    public async Task RetentionChain_WithAnEntryEdited_OrTheLastOneRemoved_FailsVerification()
    {
        var tables = await azurite.NewStoreAsync();
        var purges = new AzureTablePurgeStore(tables);
        var policies = new AzureTableRetentionPolicyStore(tables);
        var policy = new RetentionPolicy("uk", [new RetentionRule { Category = "telephony.cdr", MaxAge = "P6M", CountsFrom = RetentionEvents.Created, Basis = "Disputes" }]);
        for (var i = 0; i < 3; i++)
        {
            await policies.SaveAsync(policy, "staff:priya", T0.AddMinutes(i), None);
        }

        Assert.True((await purges.VerifyAuditAsync(None)).IsValid);
        var partition = TableKeys.Escape(IPurgeStore.AuditChainId);
        var third = (await tables.Client.GetAsync(tables.RetentionTable, partition, "audit_" + TableKeys.Number(3), None))!;

        await tables.Client.ExecuteAsync(tables.RetentionTable, TableOperation.Delete(partition, third.RowKey, "*"), None);
        var cut = await purges.VerifyAuditAsync(None);
        var second = (await tables.Client.GetAsync(tables.RetentionTable, partition, "audit_" + TableKeys.Number(2), None))!;
        second.Set("Actor", "staff:someone-else");
        await tables.Client.ExecuteAsync(tables.RetentionTable, TableOperation.Upsert(second), None);
        var edited = await purges.VerifyAuditAsync(None);

        Assert.False(cut.IsValid);
        Assert.False(edited.IsValid);
        Assert.Equal(2, edited.FirstBrokenSequence);
    }

    private static async Task<(AzureTableFollowUpErasureStore Store, string RequestId)> FollowUpStoreWithRequestAsync(AzureTableStore tables)
    {
        var request = (await new AzureTableRequestStore(tables).SubmitAsync(New(), T0 - Window, Start, None)).Request;
        return (new AzureTableFollowUpErasureStore(tables), request.Id);
    }

    private static FollowUpErasure FollowUp(string requestId, DateOnly due) =>
        new(FollowUpErasure.IdFor(requestId, "billing", "billing.invoice", due), requestId, "billing", "billing.invoice", due, FollowUpErasure.Pending, T0, T0);

    private static async Task<int> IndexRowsAsync(AzureTableStore tables) =>
        (await tables.Client.QueryAsync(tables.LookupsTable, "PartitionKey eq 'followup'", null, None)).Count;
}
