using DataRights.Core.Retention;
using Microsoft.DurableTask;

namespace DataRights.Host.Retention.Durable;

/// <summary>Stores the run with its "started" audit entry and names the region's sources; repeated, it finds the run stored and writes nothing.</summary>
[DurableTask(Name)]
public sealed class StartPurgeRunActivity(PurgeSteps steps) : TaskActivity<PurgeRunInput, PurgeRunStarted>
{
    public const string Name = "StartPurgeRun";

    public override Task<PurgeRunStarted> RunAsync(TaskActivityContext context, PurgeRunInput input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<PurgeRunStarted> CarryOutAsync(PurgeRunInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var region = PurgeRegions.Find(input.Region) ?? throw new InvalidOperationException($"No purge timer for region {input.Region}.");
        var run = await steps.StartRunAsync(region, input.RunId, input.ScheduledFor, input.Actor, input.DryRun, cancellationToken);
        return run.Status == PurgeRun.Completed
            ? new PurgeRunStarted(AlreadyFinished: true, [])
            : new PurgeRunStarted(AlreadyFinished: false, [.. steps.SourcesOf(region).Select(s => s.Key)]);
    }
}
