using DataRights.Core.Ports;
using DataRights.Host.Requests;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Hands kept submissions to their taking in: each one's orchestration (<see cref="SubmissionOrchestrator"/>) started as it
/// is answered, through the flow's Durable client (the Function App's binding) or the host's own; and, from the hourly
/// workflow check, any submission still kept <see cref="LeftOverAfter"/> after it arrived with no taking in under way
/// (every try failed, or the process stopped between keeping it and starting its orchestration) taken in there.
/// </summary>
public sealed class SubmissionTakeIns(
    IServiceProvider services,
    ISubmissionInbox inbox,
    IOptions<WorkflowOptions> workflow,
    TimeProvider time,
    ILogger<SubmissionTakeIns> logger)
{
    /// <summary>How long a submission may stay kept before the workflow check takes it in itself.</summary>
    public static readonly TimeSpan LeftOverAfter = TimeSpan.FromMinutes(10);

    /// <summary>How many left-over submissions one check takes in.</summary>
    private const int PerCheck = 500;

    /// <summary>
    /// Starts the taking in of the kept submission <paramref name="submissionId"/>; throws
    /// <see cref="OrchestrationUnavailableException"/> when the task hub cannot start it.
    /// </summary>
    public async Task StartAsync(string submissionId, CancellationToken cancellationToken)
    {
        var client = DurableClientScope.Current ?? services.GetService<DurableTaskClient>()
            ?? throw new OrchestrationUnavailableException("No Durable client in this flow to start the submission's taking in; nothing was kept.");
        var o = workflow.Value;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                SubmissionOrchestrator.Name,
                new SubmissionRun(submissionId, o.MaxAttempts, o.RetryBaseDelay, o.RetryMaxDelay, time.GetUtcNow()),
                new StartOrchestrationOptions(SubmissionOrchestrator.InstanceId(submissionId)),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new OrchestrationUnavailableException("The task hub did not start the submission's taking in; nothing was kept.", ex);
        }
    }

    /// <summary>
    /// Takes in the submissions kept for longer than <see cref="LeftOverAfter"/> whose orchestration is not running (one
    /// still trying is left to it); returns how many were taken in. One that fails is logged and left for the next check.
    /// </summary>
    public async Task<int> TakeInLeftOverAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        var taken = 0;
        foreach (var submission in await inbox.ListAsync(now - LeftOverAfter, PerCheck, cancellationToken))
        {
            try
            {
                var instance = await client.GetInstanceAsync(SubmissionOrchestrator.InstanceId(submission.Id), getInputsAndOutputs: false, cancellationToken);
                if (instance?.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running)
                {
                    continue;
                }

                logger.SubmissionLeftOver(submission.Id, (int)(now - submission.ReceivedAt).TotalMinutes);
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IntakeService>().TakeInAsync(submission.Id, cancellationToken);
                taken++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.SubmissionTakeInFailed(submission.Id, ex.GetType().Name);
            }
        }

        return taken;
    }
}
