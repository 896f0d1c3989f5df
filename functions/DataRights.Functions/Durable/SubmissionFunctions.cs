using DataRights.Host.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Durable;

/// <summary>
/// A public submission's taking in as Durable Functions: the orchestration the intake function starts once the submission
/// is kept, and its activity, which hands over to the same classes the stand-alone host runs. The activity stores the
/// request and starts its orchestration (or tells the one of a request it repeats), so it binds a Durable client.
/// </summary>
public sealed class SubmissionFunctions(TakeInActivity takeIn)
{
    [Function(SubmissionOrchestrator.Name)]
    public static Task<string> TakeInSubmission([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SubmissionOrchestrator().RunAsync(context, context.GetInput<SubmissionRun>()!);
    }

    [Function(TakeInActivity.Name)]
    public async Task<string> TakeIn([ActivityTrigger] string submissionId, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        using (DurableClientScope.Use(client))
        {
            return await takeIn.CarryOutAsync(submissionId, cancellationToken);
        }
    }
}
