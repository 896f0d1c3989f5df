using Azure.Data.Tables;
using DataRights.Core.Ports;
using DataRights.Host.Durable;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using DataRights.Testing;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The notes of steps in progress (<see cref="IStepNotes"/>), on the instance's disk (<see cref="StepNotes"/>, the local
/// task hub's) and in the store every instance shares (<see cref="AzureTableStepNotes"/>, the Function App's): each run
/// of the program a new instance over the same notes. A step in progress at three stops is given up; a finished step,
/// or one let go of by a stop in order, does not count; a note no run took for long goes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StepNotesContractTests(AzuriteFixture azurite) : IDisposable
{
    private const string Step = "SearchSource\n{\"requestId\":\"dr_0123456789abcdef01234567\",\"source\":\"crm\"}";
    private readonly string _folder = Directory.CreateTempSubdirectory("datarights-step-notes-contract-").FullName;
    private AzureTableStore? _store;
    private readonly string _scope = "hub" + Guid.NewGuid().ToString("N")[..8];

    private static CancellationToken None => CancellationToken.None;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Kinds => ["disk", "store"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AStepInProgressAtThreeStops_IsGivenUpByTheFourthRun_WithoutBeingNotedAgain_ThenCountsAfresh(string kind)
    {
        for (var stop = 0; stop < 3; stop++)
        {
            Assert.Equal(stop, await (await RunAsync(kind)).TakeAsync(Step, None));
        }

        var fourth = await RunAsync(kind);
        Assert.Equal(3, await fourth.TakeAsync(Step, None));
        Assert.Equal(3, fourth.StopsAllowed);

        // Given up, the fourth run was not added: a fifth still counts three.
        var fifth = await RunAsync(kind);
        Assert.Equal(3, await fifth.TakeAsync(Step, None));

        // Its failure handed back, the note goes, and a later delivery (a staff retry) counts afresh.
        await fifth.FinishedAsync(Step, None);
        Assert.Equal(0, await (await RunAsync(kind)).TakeAsync(Step, None));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ARunTakingItsOwnStepAgain_CountsNoStop_AndAFinishedStepGoes_WhileAnotherStepKeepsItsNote(string kind)
    {
        var run = await RunAsync(kind);
        Assert.Equal(0, await run.TakeAsync(Step, None));
        Assert.Equal(0, await run.TakeAsync(Step, None));
        Assert.Equal(0, await run.TakeAsync(Step + "2", None));
        await run.FinishedAsync(Step, None);

        var next = await RunAsync(kind);
        Assert.Equal(0, await next.TakeAsync(Step, None));
        Assert.Equal(1, await next.TakeAsync(Step + "2", None));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AStepCutOffByAStopInOrder_IsNotCounted_TheCrashesBeforeItStillAre(string kind)
    {
        await (await RunAsync(kind)).TakeAsync(Step, None);
        await (await RunAsync(kind)).TakeAsync(Step, None);
        var stopped = await RunAsync(kind);
        Assert.Equal(2, await stopped.TakeAsync(Step, None));
        Assert.Equal(0, await stopped.TakeAsync("only this run's", None));

        Assert.Equal(2, await stopped.LetGoOfThisRunAsync(None));

        var next = await RunAsync(kind);
        Assert.Equal(2, await next.TakeAsync(Step, None));
        Assert.Equal(0, await next.TakeAsync("only this run's", None));
        Assert.Equal(0, await stopped.LetGoOfThisRunAsync(None));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task NotesNoRunTookSinceTheCutOff_Go_ButNotAStepTheDroppingRunHolds_NorOneTakenSince(string kind)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

        // A worker stopped holding a step never delivered again; the run that drops holds a step as old.
        await (await RunAsync(kind, clock)).TakeAsync("never delivered again", None);
        var dropping = await RunAsync(kind, clock);
        await dropping.TakeAsync("long in progress here", None);
        clock.Advance(TimeSpan.FromDays(8));
        await (await RunAsync(kind, clock)).TakeAsync("taken since", None);

        Assert.Equal(1, await dropping.DropUntakenSinceAsync(clock.GetUtcNow() - TimeSpan.FromDays(7), None));

        // The old note is gone (a step coming back after all counts afresh); the other two still count their runs.
        var next = await RunAsync(kind, clock);
        Assert.Equal(0, await next.TakeAsync("never delivered again", None));
        Assert.Equal(1, await next.TakeAsync("long in progress here", None));
        Assert.Equal(1, await next.TakeAsync("taken since", None));
        Assert.Equal(0, await dropping.DropUntakenSinceAsync(clock.GetUtcNow() - TimeSpan.FromDays(7), None));
    }

    [Fact]
    public async Task RunsTakingOneStepAtOnce_EachCountTheOthersBeforeThem_NoneLost()
    {
        // Four instances' workers handed the same step at the same moment (its message delivered again meanwhile).
        var store = await StoreAsync();
        var runs = Enumerable.Range(0, 4).Select(_ => new AzureTableStepNotes(store, _scope, stopsAllowed: 3)).ToList();
        var counts = await Task.WhenAll(runs.Select(r => r.TakeAsync(Step, None)));

        // The last to write counted three before it, and gave the step up without being noted: a fifth counts three.
        Assert.Equal([0, 1, 2, 3], counts.Order());
        Assert.Equal(3, await (await RunAsync("store")).TakeAsync(Step, None));
    }

    [Fact]
    public async Task NotesInTheStore_AreSharedPerScope_AndHoldOnlyRunIds()
    {
        var store = await StoreAsync();
        var other = new AzureTableStepNotes(store, "another-hub", stopsAllowed: 3);
        await (await RunAsync("store")).TakeAsync(Step, None);

        Assert.Equal(0, await other.TakeAsync(Step, None));
        var table = new TableClient(
            store.Connection.Endpoint, store.LookupsTable, new TableSharedKeyCredential(AzureTableConnection.DevelopmentAccountName, AzureTableConnection.DevelopmentAccountKey));
        var notes = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq 'steps-in-progress:{_scope}'"))
        {
            notes.Add(row);
        }

        // One row, keyed by a hash of the step, holding the run's id: nothing of the step's input (the request, the source).
        var note = Assert.Single(notes);
        Assert.Matches("^[0-9a-f]{64}$", note.RowKey);
        Assert.Matches("^[0-9a-f]{32}$", note.GetString("Runs"));
        Assert.DoesNotContain(((IDictionary<string, object>)note).Values, v => v?.ToString()?.Contains("crm", StringComparison.Ordinal) == true || v?.ToString()?.Contains("dr_", StringComparison.Ordinal) == true);
    }

    private async Task<IStepNotes> RunAsync(string kind, TimeProvider? clock = null) => kind == "disk"
        ? new StepNotes(_folder, stopsAllowed: 3, NullLogger.Instance, clock)
        : new AzureTableStepNotes(await StoreAsync(), _scope, stopsAllowed: 3, clock);

    private async Task<AzureTableStore> StoreAsync() => _store ??= await azurite.NewStoreAsync();
}
