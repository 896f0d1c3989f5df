using DataRights.Host.Durable;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// The notes of the steps in progress (<see cref="StepNotes"/>), each run of the program a new instance over the same
/// folder: a stop the program made itself (its drain cut a step off) is not counted against the step, while the stops
/// nobody asked for before it still are.
/// </summary>
public sealed class StepNotesTests : IDisposable
{
    private const string Step = "request-r1\nPrepareOrDeleteExport\n{\"itemId\":\"r1:export\"}";
    private readonly string _folder = Directory.CreateTempSubdirectory("datarights-step-notes-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AStepCutOffByAStopInOrder_IsNotCounted_TheCrashesBeforeItStillAre()
    {
        // Two runs crash with the step in progress; a third takes it and is stopped in order before it finishes.
        Run().Take(Step);
        Run().Take(Step);
        var stopped = Run();
        Assert.Equal(2, stopped.Take(Step));

        Assert.Equal(1, stopped.LetGoOfThisRun());

        // The next run counts the two crashes only, so it runs the step (a third crash would have given it up).
        var next = Run();
        var stops = next.Take(Step);
        Assert.Equal(2, stops);
        Assert.False(next.GivesUp(stops));
    }

    [Fact]
    public void AStepOnlyThisRunTook_LosesItsNote_AndAFinishedStepIsNotLetGoOfAgain()
    {
        var stopped = Run();
        stopped.Take(Step);
        stopped.Take("another step");
        stopped.Finished("another step");

        Assert.Equal(1, stopped.LetGoOfThisRun());

        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Equal(0, Run().Take(Step));
    }

    private StepNotes Run() => new(_folder, stopsAllowed: 3, NullLogger.Instance);
}
