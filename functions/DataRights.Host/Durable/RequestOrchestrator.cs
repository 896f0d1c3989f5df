using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// One orchestration per request (instance id <see cref="InstanceId"/>) carries out the work the request's decisions
/// commit: each item waits on a durable timer until it is due, then runs as an activity under a retry policy; items
/// run side by side, so a discovery across twenty sources takes one source's time and one failing source never holds
/// up the others. Work a step's decisions commit comes back in that step's result (with the rest of the request's open
/// work, so nothing a crash interrupted is left out); work decided elsewhere (a person's link, staff, intake) arrives in
/// <see cref="WorkEvent"/> events from the relay (a batch each). The decisions themselves (the
/// statutory clock, what may be erased, the wording) stay in the pure decider, applied when an activity records an
/// outcome. Deterministic: time only from <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, no I/O here.
/// </summary>
[DurableTask(Name)]
public sealed class RequestOrchestrator : TaskOrchestrator<RequestRun, string>
{
    public const string Name = "RequestOrchestration";
    public const string WorkEvent = "work";

    /// <summary>How many times an item may be found not runnable yet before it counts as failed.</summary>
    private const int MaxNotNow = 60;

    /// <summary>The orchestration instance that carries <paramref name="requestId"/>.</summary>
    public static string InstanceId(string requestId) => "request-" + requestId;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, RequestRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: input.Settings.MaxAttempts,
            firstRetryInterval: input.Settings.FirstRetry,
            backoffCoefficient: 2.0,
            maxRetryInterval: input.Settings.MaxRetry));

        var inHand = new Dictionary<string, Task<WorkOutcome>>(StringComparer.Ordinal);
        var waiting = new Dictionary<string, DeliveredWork>(StringComparer.Ordinal);
        var finishedIds = new HashSet<string>(StringComparer.Ordinal);
        string? step = null;
        var settled = false;
        var steps = 0;
        var continuing = false;

        async Task<WorkOutcome> CarryOutAsync(DeliveredWork work)
        {
            var due = work.NotBefore;
            for (var tries = 0; tries < MaxNotNow; tries++)
            {
                if (due > context.CurrentUtcDateTime)
                {
                    waiting[work.Id] = work with { NotBefore = due };
                    await context.CreateTimer(due.UtcDateTime, CancellationToken.None);
                    if (continuing)
                    {
                        // The timer fired in the episode that started the next generation: the next generation runs it.
                        return new WorkOutcome(WorkResult.NotNow, null, Settled: false);
                    }

                    waiting.Remove(work.Id);
                }

                try
                {
                    var outcome = await context.CallActivityAsync<WorkOutcome>(RunWorkItemActivity.Name, new WorkStep(input.RequestId, work.Id), retry);
                    if (outcome.Result != WorkResult.NotNow)
                    {
                        return outcome;
                    }
                }
                catch (TaskFailedException)
                {
                    break;
                }

                due = context.CurrentUtcDateTime + input.Settings.NotNowRetry;
            }

            // Every attempt failed (or it never became runnable): the item is dead-lettered and the request records
            // the failure, which alerts staff.
            return await context.CallActivityAsync<WorkOutcome>(GiveUpWorkItemActivity.Name, new WorkStep(input.RequestId, work.Id), retry);
        }

        void Take(DeliveredWork work)
        {
            // A repeated delivery of an item in hand, or of one this generation finished, changes nothing (the relay resends
            // what it cannot see finished; a repeat and the item's completion can reach the orchestration together).
            if (!inHand.ContainsKey(work.Id) && !finishedIds.Contains(work.Id))
            {
                inHand[work.Id] = CarryOutAsync(work);
            }
        }

        foreach (var work in input.Work)
        {
            Take(work);
        }

        var next = context.WaitForExternalEvent<DeliveredWork[]>(WorkEvent);
        while (true)
        {
            context.SetCustomStatus(new RequestRunStatus(step, inHand.Count - waiting.Count, waiting.Count, waiting.Values.Select(w => (DateTimeOffset?)w.NotBefore).Min(), input.Generation));
            if (inHand.Count == 0 && settled)
            {
                // Nothing in hand and the request closed: done. Later work (an export's deletion, a follow-up) starts it again.
                return step ?? "settled";
            }

            var first = await Task.WhenAny([.. inHand.Values, next]);
            if (first == next)
            {
                foreach (var work in await next)
                {
                    Take(work);
                }

                next = context.WaitForExternalEvent<DeliveredWork[]>(WorkEvent);
                continue;
            }

            var finished = inHand.Where(p => p.Value.IsCompleted).ToList();
            var outcomes = new List<WorkOutcome>(finished.Count);
            foreach (var (id, task) in finished)
            {
                inHand.Remove(id);
                finishedIds.Add(id);
                outcomes.Add(await task);
                steps++;
            }

            // Each step brings back the request's open work: what its decisions committed comes straight from it.
            foreach (var outcome in outcomes)
            {
                step = outcome.RequestStatus ?? step;
                settled = outcome.Settled;
                foreach (var work in outcome.Open ?? [])
                {
                    Take(work);
                }
            }

            if (inHand.Count == 0 && !settled && finished.Count > 0)
            {
                // Steps that ran side by side each saw the others still open: look again now that all are done.
                var now = await context.CallActivityAsync<WorkOutcome>(CheckRequestActivity.Name, input.RequestId, retry);
                step = now.RequestStatus ?? step;
                settled = now.Settled;
                foreach (var work in now.Open ?? [])
                {
                    Take(work);
                }
            }

            // A long-lived request (reminders, follow-ups) starts a new generation once nothing runs but timers,
            // carrying its waiting items, so its history stays small. Events not yet taken carry over too.
            if (steps >= input.Settings.StepsPerGeneration && inHand.Count == waiting.Count && inHand.Count > 0)
            {
                continuing = true;
                context.ContinueAsNew(input with { Work = [.. waiting.Values], Generation = input.Generation + 1 }, preserveUnprocessedEvents: true);
                return "continued";
            }
        }
    }
}
