using DataRights.Core.Ports;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// After a step could not be carried out (its activity failed on every try, it never became runnable, or it kept
/// stopping the program: <see cref="WorkStep.StoppedTheProgram"/>): the request
/// records the failure and owes the work no more (staff are alerted and can retry from the console). Repeated, it finds
/// the work no longer owed and changes nothing.
/// </summary>
[DurableTask(Name)]
public sealed class GiveUpWorkItemActivity(IRequestStore store, WorkItemRunner runner, RequestStanding standing) : TaskActivity<WorkStep, WorkOutcome>
{
    public const string Name = "GiveUpWorkItem";

    /// <summary>What the request records, and staff are told, of work given up because it kept stopping the program.</summary>
    public const string StoppedTheProgramError = "This was in progress each time the program stopped without finishing it, so it was not tried again.";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, WorkStep input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(WorkStep input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var step = OrchestrationStep.For(input.RequestId);
        if ((await store.GetAsync(input.RequestId, cancellationToken))?.Progress.OwedOf(input.ItemId) is not { } owed)
        {
            return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
        }

        var item = new WorkAttempt(owed.For(input.RequestId), Math.Max(1, input.Attempt));
        await runner.GiveUpAsync(
            item,
            input.StoppedTheProgram ? StoppedTheProgramError : owed.Kind + " failed on every attempt",
            cancellationToken);
        return await standing.AfterAsync(input.RequestId, WorkResult.GaveUp, cancellationToken);
    }
}
