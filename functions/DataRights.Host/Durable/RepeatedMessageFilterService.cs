using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.History;

namespace DataRights.Host.Durable;

/// <summary>
/// The local task hub's backend as its gRPC sidecar sees it, with messages delivered again taken out of an episode. The
/// Azure Storage backend delivers a control-queue message again once its visibility timeout has passed (20 s locally),
/// and under a heavy burst on Azurite (which can stall for 20 s and more) an orchestration's start, or an activity's
/// result, was delivered a second time after its first delivery had already been written to the history. The sidecar
/// (Microsoft.DurableTask.InProcessTestHost 0.2.3-preview.1) adds every new message to the history (its own source
/// leaves the filtering of duplicates as a to-do), where Durable Functions' dispatcher leaves such repeats out: a second
/// start fails every episode that carries it ("Multiple ExecutionStartedEvent found"), which is put back with a growing
/// backoff for as long as the message lives, holding up whatever comes with it (5 of 1,307 request orchestrations, 4 to
/// 6 failed episodes each, in the intake bench of 2026-12-06). Here, within the execution the history holds, a start
/// of that execution, and a task's, sub-orchestration's or timer's result whose result is already in the history or
/// earlier in the same episode, is left out of the episode's new messages (log 3447); the backend still removes it from
/// its queue when the episode completes. A start of a new execution (a new run after the last one ended) passes, and so
/// does everything else.
/// </summary>
public sealed class RepeatedMessageFilterService(IOrchestrationService inner, ILogger logger) : DelegatingOrchestrationService(inner)
{
    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem?.NewMessages is not { Count: > 0 } messages)
        {
            return workItem!;
        }

        // What the history holds already: its execution's start, and the results it has taken in.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var history = workItem.OrchestrationRuntimeState;
        var execution = history?.ExecutionStartedEvent?.OrchestrationInstance?.ExecutionId;
        foreach (var past in history?.Events ?? [])
        {
            if (KeyOf(past, execution) is { } key)
            {
                seen.Add(key);
            }
        }

        List<TaskMessage> kept = new(messages.Count);
        foreach (var message in messages)
        {
            var ofExecution = message.OrchestrationInstance?.ExecutionId;
            if (KeyOf(message.Event, ofExecution) is { } key && (ofExecution is null || execution is null || ofExecution == execution || message.Event is ExecutionStartedEvent)
                && !seen.Add(key))
            {
                logger.RepeatedMessageLeftOut(workItem.InstanceId, key);
                continue;
            }

            kept.Add(message);
        }

        if (kept.Count < messages.Count)
        {
            workItem.NewMessages = kept;
        }

        return workItem;
    }

    /// <summary>What makes <paramref name="e"/> one of a kind in an execution (<paramref name="execution"/>): a start, or a result of a task, sub-orchestration or timer; null for anything else.</summary>
    private static string? KeyOf(HistoryEvent e, string? execution) => e switch
    {
        ExecutionStartedEvent start => (start.OrchestrationInstance?.ExecutionId ?? execution) is { } id ? "start of execution " + id : null,
        TaskCompletedEvent done => Result("task", done.TaskScheduledId),
        TaskFailedEvent failed => Result("task", failed.TaskScheduledId),
        SubOrchestrationInstanceCompletedEvent done => Result("sub-orchestration", done.TaskScheduledId),
        SubOrchestrationInstanceFailedEvent failed => Result("sub-orchestration", failed.TaskScheduledId),
        TimerFiredEvent fired => Result("timer", fired.TimerId),
        _ => null,
    };

    private static string Result(string of, int id) => string.Create(CultureInfo.InvariantCulture, $"result of {of} #{id}");
}
