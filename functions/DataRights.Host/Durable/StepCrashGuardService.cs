using DurableTask.Core;
using DurableTask.Core.History;

namespace DataRights.Host.Durable;

/// <summary>
/// The local task hub's backend, with a step that keeps stopping the program given up instead of run for ever. The
/// Azure Storage backend hands a step a dead process held out again once its visibility timeout has passed, with no
/// limit (DurableTask.AzureStorage 2.11.2 only logs such a message as poison): a step that kills its process every time
/// (the memory run out on a huge export, a connector's native crash) would stop the host at each restart, and every
/// other request with it. So each step handed out is noted (<see cref="StepNotes"/>: its orchestration, activity and
/// input) until it has finished or been put back. A step handed out whose note names
/// <see cref="StepNotes.StopsAllowed"/> earlier runs of the program that never finished it is not run: it fails at once
/// (<see cref="StepStoppedTheProgramException"/>, log 3450). The orchestration gives such a step up at once rather than
/// trying it again: a piece of work is recorded as failed and staff are told (they can ask for it again from the
/// console, which runs it afresh); a source's step is recorded as the source's failure.
/// </summary>
public sealed class StepCrashGuardService(IOrchestrationService inner, StepNotes notes, ILogger logger) : DelegatingOrchestrationService(inner)
{
    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var workItem = await Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
            if (workItem?.TaskMessage?.Event is not TaskScheduledEvent scheduled)
            {
                return workItem!;
            }

            var stops = notes.Take(StepOf(workItem.TaskMessage, scheduled));
            if (!notes.GivesUp(stops))
            {
                return workItem;
            }

            // Not run: the orchestration hears that it failed, and why.
            var instanceId = workItem.TaskMessage.OrchestrationInstance?.InstanceId ?? string.Empty;
            logger.StepStoppedTheProgram(scheduled.Name ?? string.Empty, instanceId, stops);
            var message = StepNotes.GivenUpMessage(stops);
            var failed = new TaskFailedEvent(
                -1, scheduled.EventId, message, null, new FailureDetails(StepStoppedTheProgramException.ErrorType, message, null, null, isNonRetriable: true));
            await Inner.CompleteTaskActivityWorkItemAsync(workItem, new TaskMessage { Event = failed, OrchestrationInstance = workItem.TaskMessage.OrchestrationInstance });
            notes.Finished(StepOf(workItem.TaskMessage, scheduled));
        }
    }

    // The step ran to its end (or was put back) whether or not its completion could be stored: it stopped nothing.
    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        try
        {
            await Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        }
        finally
        {
            Finished(workItem);
        }
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await Inner.AbandonTaskActivityWorkItemAsync(workItem);
        }
        finally
        {
            Finished(workItem);
        }
    }

    private void Finished(TaskActivityWorkItem workItem)
    {
        if (workItem?.TaskMessage?.Event is TaskScheduledEvent scheduled)
        {
            notes.Finished(StepOf(workItem.TaskMessage, scheduled));
        }
    }

    /// <summary>A step's identity: its orchestration, activity and input as serialized (the same step handed out again has the same).</summary>
    public static string StepOf(string? instanceId, string? activity, string? input) =>
        string.Join('\n', instanceId ?? string.Empty, activity ?? string.Empty, input ?? string.Empty);

    private static string StepOf(TaskMessage message, TaskScheduledEvent scheduled) => StepOf(message.OrchestrationInstance?.InstanceId, scheduled.Name, scheduled.Input);
}
