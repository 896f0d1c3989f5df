using Microsoft.DurableTask;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// A source's plan within a run: reports a read-only source's lines, asks a manual source's owner, carries out the
/// follow-up erasures due there (retention ended, hold lifted), and returns the categories left to purge in batches.
/// Lines already final are skipped, so running it again changes nothing.
/// </summary>
[DurableTask(Name)]
public sealed class PlanPurgeSourceActivity(PurgeSteps steps) : TaskActivity<PurgeSourceStep, IReadOnlyList<string>>
{
    public const string Name = "PlanPurgeSource";

    public override Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, PurgeSourceStep input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<IReadOnlyList<string>> CarryOutAsync(PurgeSourceStep input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await steps.OpenSourceAsync(input.RunId, input.SourceKey, cancellationToken) is not { } scope
            || await steps.PlanSourceAsync(scope.Context, scope.Source, scope.Rows, cancellationToken) is not { } plan)
        {
            return [];
        }

        await steps.CarryOutFollowUpsAsync(scope.Context, scope.Source, plan.Connector, plan.PendingFollowUps, scope.Rows, cancellationToken);
        return [.. plan.PendingRules.Select(r => r.Category)];
    }
}
