using Microsoft.DurableTask;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// A source's plan within a run: reports a read-only source's lines, asks a manual source's owner, carries out the
/// follow-up erasures due there (retention ended, hold lifted), and returns the categories left to purge in batches.
/// Lines already final are skipped, so running it again changes nothing.
/// </summary>
[DurableTask(Name)]
public sealed class PlanPurgeSourceActivity(PurgeRunner runner) : TaskActivity<PurgeSourceStep, IReadOnlyList<string>>
{
    public const string Name = "PlanPurgeSource";

    public override Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, PurgeSourceStep input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<IReadOnlyList<string>> CarryOutAsync(PurgeSourceStep input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await runner.OpenSourceAsync(input.RunId, input.SourceKey, cancellationToken) is not { } scope
            || await runner.PlanSourceAsync(scope.Context, scope.Source, scope.Rows, cancellationToken) is not { } plan)
        {
            return [];
        }

        // No lease: the run's instance id keeps a second purge of this occurrence from starting.
        await runner.CarryOutFollowUpsAsync(scope.Context, scope.Source, plan.Connector, plan.PendingFollowUps, scope.Rows, lease: null, cancellationToken);
        return [.. plan.PendingRules.Select(r => r.Category)];
    }
}
