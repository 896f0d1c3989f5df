using DataRights.Host.Durable;
using DataRights.Host.Requests;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Durable;

/// <summary>
/// A public submission's taking in as Azure Functions: the queue trigger that reads the submission the intake function
/// put on the submission queue, keeps it and starts its orchestration; that orchestration; and its activity, which hands
/// over to the same classes the stand-alone host runs. The activity stores the request and starts its orchestration (or
/// tells the one of a request it repeats), so it binds a Durable client, as the queue trigger does.
/// </summary>
public sealed class SubmissionFunctions(TakeInActivity takeIn, SubmissionTakeIns takeIns, ActivityStepGuard guard)
{
    /// <summary>The queue trigger's function name.</summary>
    public const string KeepName = "KeepSubmission";

    /// <summary>The submission queue, as an app setting the Functions host resolves (<see cref="DurableOptions.SubmissionQueue"/>).</summary>
    public const string QueueSetting = "%" + DurableOptions.Section + ":SubmissionQueue%";

    /// <summary>
    /// Keeps a queued submission and starts its taking in. A failure throws, so the Functions host reads the message again
    /// (host.json <c>extensions.queues</c>) and, after its last try, puts it on the poison queue, which the hourly
    /// workflow check empties; a message that is not a submission goes there too.
    /// </summary>
    [Function(KeepName)]
    public async Task<string> Keep([QueueTrigger(QueueSetting)] string message, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        var received = SubmissionQueue.Read(message)
            ?? throw new InvalidOperationException("The queue message is not a submission; after its tries it is put on the poison queue.");
        using (DurableClientScope.Use(client))
        {
            return await takeIns.HandOverAsync(received, cancellationToken);
        }
    }

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
            // A taking in that keeps stopping the worker is left to the hourly check, which sets it aside there.
            return await guard.RunAsync(TakeInActivity.Name, submissionId, submissionId, () => takeIn.CarryOutAsync(submissionId, cancellationToken));
        }
    }
}
