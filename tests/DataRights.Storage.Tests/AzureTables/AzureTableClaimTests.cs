using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The Table store's group commit at the lookups partition: submissions that arrive while a claim is being written are
/// claimed together in one transaction, and one that conflicts does not hold the others back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableClaimTests(AzuriteFixture azurite)
{
    /// <summary>What a write of a request's intake fence row carries: the request's first transaction, or a takeover's fence.</summary>
    private const string IntakeRow = "\"RowKey\":\"intake\"";

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Submit_SeveralArrivingTogether_AreClaimedInOneTransaction_WithConsecutiveReferences()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var before = tables.RoundTrips;

        var outcomes = await Together.SubmitAsync(store, [.. Enumerable.Range(0, 8).Select(i => New($"person.{i}@example.com"))]);

        Assert.All(outcomes, o => Assert.True(o.Created));
        Assert.Equal(Enumerable.Range(2, 8).Select(n => $"DR-2026-{n:D6}"), outcomes.Select(o => o.Request.Reference).Order(StringComparer.Ordinal));
        // One claim and one write of the inbox rows for all eight, then each request's own transaction; their work is
        // copied nowhere (three calls each when claimed one by one).
        Assert.Equal(2 + 8, tables.RoundTrips - before);
        Assert.Equal(9, (await store.ListOpenAsync(100, None)).Count);
        foreach (var outcome in outcomes)
        {
            Assert.Equal(2, outcome.Request.Progress.Owed.Count);
        }
    }

    [Fact]
    public async Task Submit_IdenticalSubmissionsArrivingTogether_TheLaterAnswersWithTheFirst_AndTakesNoReference()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var first = New();
        var again = New(at: T0.AddSeconds(1));
        var other = New("other@example.com");

        var outcomes = await Together.SubmitAsync(store, [first, again, other]);

        Assert.True(outcomes[0].Created);
        Assert.False(outcomes[1].Created);
        Assert.Equal(first.Id, outcomes[1].Request.Id);
        Assert.True(outcomes[2].Created);
        Assert.Equal(["DR-2026-000001", "DR-2026-000002"], new[] { outcomes[0], outcomes[2] }.Select(o => o.Request.Reference).Order(StringComparer.Ordinal));
        Assert.Null(await store.GetAsync(again.Id, None));
        Assert.Null(await store.FindByStatusTokenHashAsync(again.StatusTokenHash, None));
        Assert.Equal(2, (await store.ListOpenAsync(10, None)).Count);
    }

    [Fact]
    public async Task Submit_OneConflictingWithAnotherProcesssClaim_AnswersWithItsRequest_AndTheOthersStillGoThrough()
    {
        // Separate store objects share nothing in memory, as separate hosts would.
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var otherProcess = new AzureTableRequestStore(new AzureTableStore(tables.Connection));
        await store.SubmitAsync(New("earlier@example.com"), T0 - Window, Start, None);
        var theirs = (await otherProcess.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var a = New("a@example.com");
        var b = New("b@example.com");

        var outcomes = await Together.SubmitAsync(store, [a, New(at: T0.AddSeconds(1)), b]);

        Assert.True(outcomes[0].Created);
        Assert.False(outcomes[1].Created);
        Assert.Equal(theirs.Id, outcomes[1].Request.Id);
        Assert.True(outcomes[2].Created);
        Assert.Equal("DR-2026-000002", theirs.Reference);
        Assert.Equal(["DR-2026-000003", "DR-2026-000004"], new[] { outcomes[0], outcomes[2] }.Select(o => o.Request.Reference).Order(StringComparer.Ordinal));
        Assert.NotNull(await store.GetAsync(a.Id, None));
        Assert.NotNull(await store.GetAsync(b.Id, None));
        Assert.Equal(4, (await store.ListOpenAsync(10, None)).Count);
    }

    [Fact]
    public async Task Submit_WhoseFingerprintIsClaimedByARequestThatNeverAppeared_TakesTheClaimOverOnceThePatiencePasses()
    {
        // A submission that claimed the fingerprint, then stopped before writing its request (a crash, a refused write).
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var repeat = New(at: T0.AddSeconds(1));
        var claim = new TableEntity(TableRows.LookupPartition, TableRows.FingerprintPrefix + TableKeys.Escape(repeat.Fingerprint))
            .Set("RequestId", "dr_never_written")
            .Set("ReceivedAt", AuditChain.FormatInstant(T0));
        await tables.Client.ExecuteAsync(tables.LookupsTable, TableOperation.Insert(claim), None);

        var outcome = await store.SubmitAsync(repeat, T0 - Window, Start, None);

        Assert.True(outcome.Created);
        Assert.Equal(repeat.Id, outcome.Request.Id);
        var taken = await tables.Client.GetAsync(tables.LookupsTable, TableRows.LookupPartition, claim.RowKey, None);
        Assert.Equal(repeat.Id, taken!.GetString("RequestId"));
    }

    [Fact]
    public async Task Submit_SlowerThanThePatience_WhoseClaimWasTakenOver_WritesNothing_AndIsAnsweredWithTheRequestThatTookItOver()
    {
        // The first submission claims the fingerprint, then its request's write is held back (a stall of the process or
        // of the storage service) until an identical submission has taken the claim over and written its own.
        var slow = await SlowFirstSubmissionAsync(new GatedWrites());
        var took = await slow.Other.SubmitAsync(slow.Repeat, T0 - Window, Start, None);
        slow.Release.SetResult();
        var answered = await slow.Submission.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(took.Created);
        Assert.False(answered.Created);
        Assert.Equal(slow.Repeat.Id, answered.Request.Id);
        Assert.Null(await slow.Other.GetAsync(slow.First.Id, None));
        Assert.Empty(await slow.Other.GetAuditTrailAsync(slow.First.Id, None));
        var lookups = slow.Tables.LookupsTable;
        Assert.Null(await slow.Tables.Client.GetAsync(lookups, TableRows.LookupPartition, TableRows.OpenPrefix + TableKeys.Escape(slow.First.Id), None));
        var claim = await slow.Tables.Client.GetAsync(lookups, TableRows.LookupPartition, TableRows.FingerprintPrefix + TableKeys.Escape(slow.First.Fingerprint), None);
        Assert.Equal(slow.Repeat.Id, claim!.GetString("RequestId"));
    }

    [Fact]
    public async Task Submit_TakingOverAClaim_WhoseRequestIsWrittenJustBefore_IsAnsweredAsARepeatOfIt_AndWritesNothing()
    {
        // The first submission's request is written in the moment between the second finding it missing after the
        // patience and the second fencing it off.
        var fencing = new GatedWrites();
        var slow = await SlowFirstSubmissionAsync(fencing);
        fencing.BodyContaining = "TakenOverBy";
        fencing.Before = async () =>
        {
            slow.Release.SetResult();
            await slow.Submission;
        };
        var repeated = await slow.Other.SubmitAsync(slow.Repeat, T0 - Window, Start, None).WaitAsync(TimeSpan.FromSeconds(60));
        var written = await slow.Submission.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(written.Created);
        Assert.False(repeated.Created);
        Assert.Equal(slow.First.Id, repeated.Request.Id);
        Assert.Null(await slow.Other.GetAsync(slow.Repeat.Id, None));
        Assert.NotNull(await slow.Other.GetAsync(slow.First.Id, None));
    }

    /// <summary>
    /// A first submission whose request's write is held back (until <see cref="SlowSubmission.Release"/>) once it has
    /// claimed the fingerprint, and a store for an identical submission whose writes go through <paramref name="otherWrites"/>.
    /// </summary>
    private async Task<SlowSubmission> SlowFirstSubmissionAsync(GatedWrites otherWrites)
    {
        var connection = azurite.NewConnection();
        var held = new GatedWrites();
        var slowTables = new AzureTableStore(connection with { Transport = new global::Azure.Core.Pipeline.HttpClientTransport(held), MaxRetries = 0 });
        await slowTables.InitializeAsync(None);
        var other = new AzureTableRequestStore(new AzureTableStore(connection with { Transport = new global::Azure.Core.Pipeline.HttpClientTransport(otherWrites), MaxRetries = 0 }));
        var first = New(at: T0);
        var release = new TaskCompletionSource();
        var writing = new TaskCompletionSource();
        held.BodyContaining = IntakeRow;
        held.Before = async () =>
        {
            writing.SetResult();
            await release.Task;
        };

        var submission = new AzureTableRequestStore(slowTables).SubmitAsync(first, T0 - Window, Start, None);
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new SlowSubmission(slowTables, other, first, New(at: T0.AddSeconds(1)), release, submission);
    }

    private sealed record SlowSubmission(
        AzureTableStore Tables, AzureTableRequestStore Other, NewRequest First, NewRequest Repeat, TaskCompletionSource Release, Task<SubmitOutcome> Submission);
}
