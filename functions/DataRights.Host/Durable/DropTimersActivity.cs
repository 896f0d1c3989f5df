using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// Marks done together, before they are due, the timers of a request it has moved past
/// (<see cref="TimerWork.IsSpent(string, DataSubjectRequest)"/>: the verification reminder and expiry once the person
/// confirmed, an approval round's reminder and escalation once it was decided or a question asked, a question's reminder
/// and notice once answered; at the close, every timer but a restriction's lift), so the request's orchestration waits
/// only for what can still happen, its status names that, and it ends once its real work after the close is done instead
/// of waiting weeks for timers the decider would ignore. One step for all of them: the request is read once, the items
/// are marked done in one write (<see cref="IWorkOutbox.DropUnheldAsync"/>), and the step says where the request stands
/// from that one read. It changes nothing but the
/// items: the decider records nothing for such a timer either. The rule is applied again to the request as stored, so
/// a timer the request still has a use for (the orchestration's view was behind the store's), or an item held by
/// another run, is left as it is, not listed as dropped, and its timer runs when due.
/// </summary>
[DurableTask(Name)]
public sealed class DropTimersActivity(
    IRequestStore store,
    IWorkOutbox outbox,
    TimeProvider time,
    ILogger<DropTimersActivity> logger) : TaskActivity<TimersToDrop, TimersDropped>
{
    public const string Name = "DropTimers";

    public override Task<TimersDropped> RunAsync(TaskActivityContext context, TimersToDrop input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<TimersDropped> CarryOutAsync(TimersToDrop input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ids = input.ItemIds.Where(TimerWork.EndsWithTheRequest).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0 || await store.GetAsync(input.RequestId, cancellationToken) is not { } request)
        {
            return new TimersDropped([], new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: time.GetUtcNow()));
        }

        ids = [.. ids.Where(id => TimerWork.IsSpent(id, request))];
        if (ids.Count == 0)
        {
            return new TimersDropped([], new WorkOutcome(WorkResult.NotNow, Kebab.Of(request.Status), Settled: false, At: time.GetUtcNow(), Stage: RequestStage.Of(request)));
        }

        var dropped = await outbox.DropUnheldAsync(input.RequestId, ids, time.GetUtcNow(), cancellationToken);
        foreach (var id in dropped)
        {
            logger.TimerDropped(id);
        }

        // Where the request stands is what was read above: dropping timers commits nothing, so the orchestration has
        // every other item already. It is not called settled: a closed request's run ends through its last step, which
        // reads the request's partition then.
        var outcome = new WorkOutcome(
            dropped.Count > 0 ? WorkResult.Done : WorkResult.NotNow, Kebab.Of(request.Status), Settled: false, At: time.GetUtcNow(), Stage: RequestStage.Of(request));
        return new TimersDropped(dropped, outcome);
    }
}
