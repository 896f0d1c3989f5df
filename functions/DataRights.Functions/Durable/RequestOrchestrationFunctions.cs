using DataRights.Host.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Durable;

/// <summary>
/// The request orchestration and its activities as Durable Functions: each function hands over to the same class the
/// stand-alone host's Durable Task worker runs (the SDK's source generator that would write these is not available).
/// The activities that run a step take a Durable client too: the work the step committed is handed over before they
/// return (<see cref="DurableWorkRelay.RelayAfterAsync"/>), so the next step does not wait for the relay timer.
/// </summary>
public sealed class RequestOrchestrationFunctions(RunWorkItemActivity runWorkItem, GiveUpWorkItemActivity giveUp, CheckRequestActivity check, DurableWorkRelay relay)
{
    [Function(RequestOrchestrator.Name)]
    public static Task<string> RequestOrchestration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RequestOrchestrator().RunAsync(context, context.GetInput<RequestRun>()!);
    }

    [Function(RunWorkItemActivity.Name)]
    public async Task<WorkOutcome> RunWorkItem([ActivityTrigger] WorkStep step, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        var outcome = await runWorkItem.CarryOutAsync(step, cancellationToken);
        await relay.RelayAfterAsync(client, cancellationToken);
        return outcome;
    }

    [Function(GiveUpWorkItemActivity.Name)]
    public async Task<WorkOutcome> GiveUpWorkItem([ActivityTrigger] WorkStep step, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        var outcome = await giveUp.CarryOutAsync(step, cancellationToken);
        await relay.RelayAfterAsync(client, cancellationToken);
        return outcome;
    }

    [Function(CheckRequestActivity.Name)]
    public Task<WorkOutcome> CheckRequest([ActivityTrigger] string requestId, CancellationToken cancellationToken) =>
        check.CarryOutAsync(requestId, cancellationToken);
}
