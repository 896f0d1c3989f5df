using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// One orchestration per request (instance id <see cref="InstanceId"/>) carries it along its journey. Where the request
/// stands is decided by the pure decider in Core (the statutory clock, what may be erased, the wording), applied when a
/// step records its outcome; each step's result brings back the latest stage (<see cref="RequestStage"/>) and the work its
/// decisions committed, and this orchestration does what that stage lists, each part in a class of its own:
/// <list type="bullet">
/// <item><description>the work committed (the verification email, the approvers' request, an export, the completion
/// email, Art. 19 notices, events): each item waits on a durable timer until it is due and runs as the activity named
/// for what it does (<see cref="WorkItemSteps"/>: <c>SendEmail</c>, <c>PrepareOrDeleteExport</c>...);</description></item>
/// <item><description>discovery and execution: each round at the sources a fan-out of one activity per source
/// (<see cref="SourceRounds"/>: <c>SearchSource</c>, <c>CarryOutAtSource</c>, <c>Task.WhenAll</c>), each retried on
/// its own, so one failing source never holds up the others;</description></item>
/// <item><description>each wait for a person (to confirm, to approve, to answer a question) and the statutory deadline:
/// durable timers for the reminder, the expiry or escalation, the deadline's reminders and the overdue notice
/// (<see cref="KeptTimers"/>), raced against the events that end the wait and let go of once a later stage no longer
/// lists them;</description></item>
/// <item><description>the decisions made outside it (a person's link, staff), each an event named for it (<c>verified</c>,
/// <c>approved</c>, <c>information-given</c>..., or <see cref="WorkEvent"/>) announcing a commit whose work is read once
/// it has landed; a fresh look at the request when nothing else would bring its open work back; and the run's end once
/// the request is closed with nothing left (<see cref="RequestLooks"/>).</description></item>
/// </list>
/// <para>
/// Time is the program's: a work item's due time is set by the program's clock, so the orchestration keeps the latest
/// time its activities and the announcements reported (<see cref="WorkOutcome.At"/>) and waits on a durable timer for an item
/// due later than that (<see cref="RequestRunState"/>). A step that failed says when to try again (the backoff, on the
/// same clock); an activity that could not run at all is tried again after <see cref="RunSettings.FirstRetry"/>, doubling,
/// up to <see cref="RunSettings.MaxAttempts"/>. A long-lived request continues as new once nothing but timers is in hand.
/// Deterministic: no clock but those reports and the timers, no I/O here.
/// </para>
/// </summary>
[DurableTask(Name)]
public sealed class RequestOrchestrator : TaskOrchestrator<RequestRun, string>
{
    public const string Name = "RequestOrchestration";
    public const string WorkEvent = JourneySteps.WorkEvent;

    /// <summary>Whether <paramref name="status"/> (a request's status in kebab case, as steps report it) is final.</summary>
    private static bool IsClosed(string? status) => Kebab.TryParse<RequestStatus>(status, out var parsed) && RequestLifecycle.IsFinal(parsed);

    /// <summary>
    /// The pause after the <paramref name="tries"/>th failed try of a step that could not run: <paramref name="first"/>,
    /// doubling, at most <paramref name="longest"/> (pure, so orchestrators may use it).
    /// </summary>
    public static TimeSpan PauseAfter(int tries, TimeSpan first, TimeSpan longest) =>
        TimeSpan.FromTicks(Math.Min(longest.Ticks, first.Ticks << Math.Min(tries - 1, 20)));

    /// <summary>The orchestration instance that carries <paramref name="requestId"/>.</summary>
    public static string InstanceId(string requestId) => "request-" + requestId;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, RequestRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);

        using var run = new RequestRunState(context, input);
        var work = new WorkItemSteps(run);
        var sources = new SourceRounds(run);
        var timers = new KeptTimers(run);
        var looks = new RequestLooks(run);
        string? step = input.Status;
        var settled = false;
        var ended = false;
        var steps = 0;

        // What the run was handed: the work its start (or the generation before) left open, and a commit announced to it.
        foreach (var item in input.Work)
        {
            work.Take(item);
        }

        looks.Announced(input.CommitVersion);

        // Each decision made outside the orchestration comes as an event named for it (verified, approved...): one wait per name.
        var events = JourneySteps.Events.ToDictionary(name => name, name => context.WaitForExternalEvent<HandedOverWork>(name), StringComparer.Ordinal);
        while (true)
        {
            // What the latest stage lists: the rounds at the sources (discovery's searches, the carrying out), each a
            // fan-out; and the timers its waits keep (a reminder, an expiry, an escalation, the deadline's).
            sources.RunWhatTheStageLists();
            timers.KeepWhatTheStageLists();
            context.SetCustomStatus(Status(run, sources, timers, step));
            if (run.InHand.Count == 0 && settled)
            {
                if (ended)
                {
                    timers.LetGoOfAll();

                    // Nothing in hand, the request closed and its run marked ended: done. Later work (an export's
                    // deletion, a follow-up) starts a new orchestration.
                    return step ?? "settled";
                }

                // Nothing in hand and the request closed: the store marks the run ended, unless work came in since (then
                // it is handed back here), so that a decision made meanwhile starts a new orchestration instead of
                // telling this one as it ends.
                looks.EndTheRun();
                continue;
            }

            // The next thing to happen: a step's end, a source's answer, a timer, or a decision made outside.
            var first = await Task.WhenAny([.. run.InHand.Values, .. sources.Answering, .. timers.Firing, .. events.Values]);
            if (events.FirstOrDefault(e => e.Value == first).Key is { } decided)
            {
                var handedOver = await events[decided];
                run.Saw(handedOver.At);
                foreach (var item in handedOver.Work)
                {
                    work.Take(item);
                }

                looks.Announced(handedOver.CommitVersion);
                ended = false;
                events[decided] = context.WaitForExternalEvent<HandedOverWork>(decided);
                continue;
            }

            timers.TellWhatFired();
            var finished = run.InHand.Where(p => p.Value.IsCompleted).ToList();
            var outcomes = new List<(string Id, WorkOutcome Outcome)>(finished.Count);
            var lookAgain = false;
            foreach (var (id, task) in finished)
            {
                run.InHand.Remove(id);
                var outcome = await task;
                if (run.WasUnknown(outcome))
                {
                    // Not known to be done: a look that lists it open hands it back.
                    lookAgain = true;
                }
                else
                {
                    run.FinishedIds.Add(id);
                }

                outcomes.Add((id, outcome));
                steps += RequestLooks.IsLook(id) ? 0 : sources.Ended(id, out var answered) ? answered : 1;
            }

            // Each step brings back the request's open work: what its decisions committed comes straight from it.
            foreach (var (id, outcome) in outcomes)
            {
                if (RequestLooks.IsLook(id) && outcome.Stage is not null)
                {
                    // The look read the request: what it lists is set again (a kept timer it still lists, now due, at once).
                    timers.TellAgain(run.Unsure);
                    run.Unsure.Clear();
                }

                run.Learn(outcome.Stage);
                step = outcome.RequestStatus ?? step;
                settled = outcome.Settled;
                ended = RequestLooks.IsEnd(id) && outcome.Settled;

                foreach (var item in outcome.Open ?? [])
                {
                    work.Take(item);
                }
            }

            if (lookAgain && !looks.Looking)
            {
                // How a step ended, or where the request stands, could not be found out (the store unreachable): look
                // again after a growing pause, whatever else is in hand (a reminder weeks away), as nothing else would
                // bring this request's open work back to it.
                looks.LookAfterAPause();
            }
            else if (run.InHand.Count == 0 && !settled && finished.Count > 0 && !finished.TrueForAll(f => RequestLooks.IsLook(f.Key)))
            {
                // Steps that ran side by side each saw the others still open: look again now that all are done. A closed
                // request's look is its run's end, which reads it the same way and ends the run only with nothing left
                // (else it hands back what is open): one step where a look and then the end were two.
                if (IsClosed(step))
                {
                    looks.EndTheRun();
                }
                else
                {
                    looks.LookNow();
                }
            }

            // A long-lived request (reminders, follow-ups) starts a new generation once nothing runs but timers,
            // carrying its waiting items, so its history stays small. Events not yet taken carry over too.
            if (steps >= input.Settings.StepsPerGeneration && run.InHand.Count == run.Waiting.Count && (run.InHand.Count > 0 || timers.Count > 0))
            {
                context.ContinueAsNew(
                    input with { Work = [.. run.Waiting.Values], At = run.Now, Generation = input.Generation + 1, CommitVersion = null, Status = step, Stage = run.Stage },
                    preserveUnprocessedEvents: true);

                // Its timers stop waiting now (the next generation waits for the same items): until then, the runtime
                // would keep this generation open.
                run.HandOver();
                timers.LetGoOfAll();

                return "continued";
            }
        }
    }

    /// <summary>
    /// The run's custom status, for operators: the request's status, the steps running and waiting, and the next timer
    /// due (a work item's or a kept timer's), in words.
    /// </summary>
    private static RequestRunStatus Status(RequestRunState run, SourceRounds sources, KeptTimers timers, string? step)
    {
        var nextTimer = run.Waiting.Values
            .Concat(timers.Set.Select(t => new DeliveredWork(t.IdFor(run.Input.RequestId), WorkItem.Timer, t.At)))
            .OrderBy(w => w.NotBefore).ThenBy(w => w.Id, StringComparer.Ordinal).FirstOrDefault();
        return new RequestRunStatus(
            step,
            run.InHand.Count - sources.InHand - run.Waiting.Count + sources.Running,
            run.Waiting.Count + timers.Count,
            nextTimer?.NotBefore,
            run.Input.Generation,
            nextTimer is null ? null : JourneySteps.Describe(nextTimer))
        {
            Timers = [.. timers.Set.Select(t => t.Key["timer:".Length..])],
        };
    }
}
