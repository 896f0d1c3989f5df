using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// One orchestration per request (instance id <see cref="InstanceId"/>) carries out the work the request's decisions
/// commit: each item waits on a durable timer until it is due, then runs as the activity named for what it does
/// (<see cref="JourneySteps"/>: <c>SendEmail</c>, <c>PrepareOrDeleteExport</c>, <c>PublishEvent</c>...); items run
/// side by side, so a discovery across twenty sources takes one source's time and one failing source never holds up the
/// others. Work a
/// step's decisions commit comes back in that step's result (with the rest of the request's open work, so nothing a
/// crash interrupted is left out); a decision made elsewhere (a person's link, staff) announces its commit in an event
/// named for it (<c>verified</c>, <c>approved</c>, <c>information-given</c>..., or <see cref="WorkEvent"/>) before making it,
/// and the orchestration reads the work from the request once the commit
/// has landed (<see cref="AwaitCommitActivity"/>); a decision that cannot announce its commit does not make it. Work a
/// step commits has nothing else tracking it: when nothing is left in hand and the request is not settled, the
/// orchestration looks at the request again (<see cref="CheckRequestActivity"/>), and a look that cannot be taken is taken
/// again after a growing pause.
/// The timers the request keeps (each wait for a person's reminder and end, the statutory deadline's reminders and
/// overdue notice, a restriction's lift) are not work items but this orchestration's own timers, set from the latest
/// stage the steps report (<see cref="RequestStage.Timers"/>), raced against the events that end their waits, and
/// cancelled, with no step, once a later stage no longer lists them; one that fires runs as
/// <see cref="PlannedTimerDueActivity"/>, under the name of what it does. Each source's search and the carrying out at
/// it are not work items either but steps run from the same stage (<see cref="RequestStage.Steps"/>): a fan-out per round,
/// one <see cref="RunSourceStepActivity"/> per source (<c>SearchSource</c>, <c>CarryOutAtSource</c>) awaited together
/// (<c>Task.WhenAll</c>), each retried on its own, attempts counted here. When the request is
/// closed with nothing left, its last step (<see cref="EndRunActivity"/>)
/// marks the run ended in the store unless work came in since, so a decision that announced its commit to this
/// orchestration as it ended is refused at its version, made again, and starts a new one. The decisions themselves (the
/// statutory clock, what may be erased, the wording) stay in the pure decider, applied when an activity records an outcome.
/// <para>
/// Time is the program's: a work item's due time is set by the program's clock, so the orchestration keeps the latest
/// time its activities and the announcements reported (<see cref="WorkOutcome.At"/>) and waits on a durable timer for an item
/// due later than that. A step that failed says when to try again (the work queue's backoff, on the same clock); an
/// activity that could not run at all is tried again after <see cref="RunSettings.FirstRetry"/>, doubling, up to
/// <see cref="RunSettings.MaxAttempts"/>. Deterministic: no clock but those reports and the timers, no I/O here.
/// </para>
/// </summary>
[DurableTask(Name)]
public sealed class RequestOrchestrator : TaskOrchestrator<RequestRun, string>
{
    public const string Name = "RequestOrchestration";
    public const string WorkEvent = JourneySteps.WorkEvent;

    /// <summary>How many times an item may be found not runnable yet before it counts as failed.</summary>
    private const int MaxNotNow = 60;

    /// <summary>How a wait for a work item's due time ended.</summary>
    private enum Waited
    {
        /// <summary>The item is due.</summary>
        Due,

        /// <summary>The orchestration went on to its next generation meanwhile, which carries the item.</summary>
        NextGeneration,
    }

    /// <summary>The prefix of a fan-out's key in hand (<c>round:discover:1:1</c>: the kind of step, its round, a count).</summary>
    private const string RoundPrefix = "round:";

    private static string StepKey(PendingSourceStep pending) => "step:" + pending.Tag;

    /// <summary>
    /// Whether a step failed because it kept stopping the program (the local task hub, or the Function App's step functions,
    /// no longer run it: <see cref="StepNotes"/>): it is given up at once, not tried again.
    /// </summary>
    private static bool StoppedTheProgram(TaskFailedException failure) => StepStoppedTheProgramException.Is(failure.FailureDetails);

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

        var inHand = new Dictionary<string, Task<WorkOutcome>>(StringComparer.Ordinal);
        var waiting = new Dictionary<string, DeliveredWork>(StringComparer.Ordinal);
        var finishedIds = new HashSet<string>(StringComparer.Ordinal);

        // The source steps running in a fan-out (keyed "step:{tag}"), how many sources each fan-out in hand holds (keyed
        // as in hand), and how many fan-outs this generation started.
        var runningSteps = new HashSet<string>(StringComparer.Ordinal);
        var roundSizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var fanOuts = 0;

        // Each source's step of a fan-out, awaited beside what is in hand only so that the run's status counts what still runs.
        var answering = new Dictionary<string, Task>(StringComparer.Ordinal);
        string? step = input.Status;

        // Where the request stands on its journey, as the latest version any step saw (outcomes arrive in any order).
        var stage = input.Stage;
        void Learn(RequestStage? seen)
        {
            if (seen is not null && (stage is null || seen.Version > stage.Version))
            {
                stage = seen;
            }
        }

        // The timers the request keeps and waits for (a wait's reminder and end, the deadline's reminders and overdue
        // notice): not work items but timers of this orchestration, set from the latest stage and let go of, without a
        // step, once a later stage no longer lists them (the person confirmed, a due date moved, the close). Keyed
        // "planned:{kind}:{tag}".
        var planned = new Dictionary<string, (PlannedTimer Timer, Task Fired, CancellationTokenSource Cancel)>(StringComparer.Ordinal);

        // Those this generation has told the request of (a stage read before the telling landed may still list one).
        var plannedDue = new HashSet<string>(StringComparer.Ordinal);

        var settled = false;
        var ended = false;
        var steps = 0;
        var continuing = false;
        var now = input.At;

        // Every wait of this generation stops when it continues as new: the runtime ends a generation only once none of
        // its timers is open, so one left waiting (an overdue notice weeks away) would hold back the next generation, and
        // every decision announced meanwhile, until it fired.
        using var generation = new CancellationTokenSource();

        // The outcomes made up here because the orchestration could not find out how a step ended (its activity, then its
        // give-up, failed on every try, or an announced commit could not be read): the request is looked at again after
        // a pause, whatever else is in hand, and such an item is taken again when a look lists it open.
        var unknowns = new HashSet<WorkOutcome>(ReferenceEqualityComparer.Instance);

        // The source steps and kept timers among them: each is run (or told) again once a look has read the request.
        var unsure = new HashSet<string>(StringComparer.Ordinal);

        // The work items whose step kept stopping the program (it was run no more): given up at once.
        var stopped = new HashSet<string>(StringComparer.Ordinal);
        WorkOutcome Unknown()
        {
            var unknown = new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: now);
            unknowns.Add(unknown);
            return unknown;
        }

        void Saw(DateTimeOffset at) => now = at > now ? at : now;

        // Waits until the program's clock reaches due (the item counted as waiting meanwhile); NextGeneration when the
        // orchestration went on to its next generation meanwhile.
        async Task<Waited> WaitUntilAsync(DeliveredWork work, DateTimeOffset due)
        {
            if (due <= now)
            {
                return Waited.Due;
            }

            waiting[work.Id] = work with { NotBefore = due };
            try
            {
                await context.CreateTimer(due.UtcDateTime, generation.Token);
            }
            catch (OperationCanceledException) when (continuing)
            {
                // The orchestration went on to its next generation, which waits for the item again.
                return Waited.NextGeneration;
            }

            if (continuing)
            {
                // The timer fired in the episode that started the next generation: the next generation runs it.
                return Waited.NextGeneration;
            }

            waiting.Remove(work.Id);
            Saw(due);
            return Waited.Due;
        }

        // An activity, tried again after a growing pause while it cannot run at all (its store unreachable); null when every try
        // failed, or at once when it kept stopping the program (then noted in stopped).
        async Task<WorkOutcome?> CallAsync(DeliveredWork work, string activity, bool stoppedTheProgram = false)
        {
            for (var tries = 1; ; tries++)
            {
                try
                {
                    var outcome = await context.CallActivityAsync<WorkOutcome>(
                        activity, new WorkStep(input.RequestId, work.Id, work.Attempt) { StoppedTheProgram = stoppedTheProgram });
                    Saw(outcome.At);
                    return outcome;
                }
                catch (TaskFailedException failure) when (StoppedTheProgram(failure))
                {
                    stopped.Add(work.Id);
                    return null;
                }
                catch (TaskFailedException) when (tries < input.Settings.MaxAttempts)
                {
                    if (await WaitUntilAsync(work, now + Pause(tries)) == Waited.NextGeneration)
                    {
                        return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: now);
                    }
                }
                catch (TaskFailedException)
                {
                    return null;
                }
            }
        }

        // Waits on a durable timer (which pauseFor may cancel) until the program's clock reaches due; false when the
        // orchestration went on to its next generation meanwhile.
        async Task<bool> PauseUntilAsync(DateTimeOffset due, CancellationToken pauseFor)
        {
            try
            {
                await context.CreateTimer(due.UtcDateTime, pauseFor);
            }
            catch (OperationCanceledException) when (continuing)
            {
                return false;
            }

            Saw(due);
            return true;
        }

        // What a step left to the next generation comes to here.
        WorkOutcome Continued() => new(WorkResult.NotNow, null, Settled: false, At: now);

        // A step's activity (a kept timer's telling, a source's step) tried until it runs; every try failing, its outcome
        // is unknown and key waits for the look at the request that follows (see KeepPlanned, KeepSteps).
        async Task<WorkOutcome> TriedOrUnsureAsync(string key, string activity, object step)
        {
            if (await TriedAsync<WorkOutcome>(activity, step, outcome => outcome.At, generation.Token) is { } outcome)
            {
                return outcome;
            }

            if (continuing)
            {
                return Continued();
            }

            unsure.Add(key);
            return Unknown();
        }

        // An activity that reports the program's time (at), tried again after a growing pause (on a timer that pauseFor
        // may cancel) while it cannot run at all; null when every try failed, or when the pause was cancelled because the
        // orchestration went on to its next generation. A step that kept stopping the program is not tried again: its
        // failure is thrown.
        async Task<T?> TriedAsync<T>(string activity, object step, Func<T, DateTimeOffset> at, CancellationToken pauseFor)
            where T : class
        {
            for (var tries = 1; ; tries++)
            {
                try
                {
                    var result = await context.CallActivityAsync<T>(activity, step);
                    Saw(at(result));
                    return result;
                }
                catch (TaskFailedException failure) when (tries < input.Settings.MaxAttempts && !StoppedTheProgram(failure))
                {
                    if (!await PauseUntilAsync(now + Pause(tries), pauseFor))
                    {
                        return null;
                    }
                }
                catch (TaskFailedException failure) when (!StoppedTheProgram(failure))
                {
                    return null;
                }
            }
        }

        async Task<WorkOutcome> CarryOutAsync(DeliveredWork work)
        {
            var due = work.NotBefore;
            for (var notNow = 0; notNow < MaxNotNow;)
            {
                // The attempt it is at goes with it (to the next generation too, while it waits to be tried again).
                if (await WaitUntilAsync(work, due) == Waited.NextGeneration)
                {
                    return Continued();
                }

                // The step runs as the activity named for what it does (SendEmail, PublishEvent...): the history reads as the journey.
                var outcome = await CallAsync(work, JourneySteps.ActivityFor(work.Kind));
                if (outcome is null)
                {
                    break;
                }

                if (continuing && outcome.Result is WorkResult.NotNow or WorkResult.Failed)
                {
                    return outcome;
                }

                switch (outcome.Result)
                {
                    case WorkResult.NotNow:
                        notNow++;
                        due = outcome.RetryAt ?? now + input.Settings.NotNowRetry;
                        continue;
                    case WorkResult.Failed:
                        // The attempt failed and said when to try again (the backoff): the next attempt gives up by itself
                        // once it is the last.
                        due = outcome.RetryAt ?? now + input.Settings.FirstRetry;
                        work = work with { Attempt = work.Attempt + 1 };
                        continue;
                    default:
                        return outcome;
                }
            }

            // Its activity could not run on any try, it kept stopping the program, or the item never became runnable: the
            // request records the failure, owes the item no more, and alerts staff. A give-up that could not run either
            // leaves it open: the request is looked at again later, and the item taken again.
            return await CallAsync(work, GiveUpWorkItemActivity.Name, stopped.Remove(work.Id)) is { Result: not WorkResult.NotNow } gaveUp ? gaveUp : Unknown();
        }

        static string PlannedKey(PlannedTimer timer) => $"planned:{Kebab.Of(timer.Kind)}:{timer.Tag}";

        // Tells the request its timer fired (the activity named for what the timer does), tried again after a growing pause
        // while it cannot run at all; every try failed, the outcome is unknown and the look at the request that follows,
        // after a pause, sets the timer again if it still lists it (it is due: the request is told at once). The next
        // generation sets it again from the stage.
        // Until that look it counts as told: the stage in hand may be older than the telling's effect.
        // One that kept stopping the program is taken as one whose every try failed.
        async Task<WorkOutcome> TimerFiredAsync(string key, PlannedTimer timer)
        {
            try
            {
                return await TriedOrUnsureAsync(key, JourneySteps.TimerActivityFor(timer.Kind), new PlannedTimerStep(input.RequestId, Kebab.Of(timer.Kind), timer.Tag));
            }
            catch (TaskFailedException failure) when (StoppedTheProgram(failure))
            {
                unsure.Add(key);
                return Unknown();
            }
        }

        // The timers the latest stage lists, each waited for once; those it no longer lists are let go of.
        void KeepPlanned()
        {
            var wanted = (stage?.Timers ?? []).Where(t => !plannedDue.Contains(PlannedKey(t))).ToDictionary(PlannedKey, StringComparer.Ordinal);
            foreach (var key in planned.Keys.Where(key => !wanted.ContainsKey(key)).Order(StringComparer.Ordinal).ToList())
            {
                planned.Remove(key, out var held);
                held.Cancel.Cancel();
                held.Cancel.Dispose();
            }

            foreach (var (key, timer) in wanted.OrderBy(w => w.Value.At).ThenBy(w => w.Key, StringComparer.Ordinal))
            {
                if (planned.ContainsKey(key) || inHand.ContainsKey(key))
                {
                    continue;
                }

                if (timer.At <= now)
                {
                    // Its time has come already (a run started after it): the request is told now.
                    plannedDue.Add(key);
                    inHand[key] = TimerFiredAsync(key, timer);
                    continue;
                }

                var cancel = new CancellationTokenSource();
                planned[key] = (timer, context.CreateTimer(timer.At.UtcDateTime, cancel.Token), cancel);
            }
        }

        // Timers that fired: the request is told of each (the decider acts on one still current, once).
        void PlannedFired()
        {
            foreach (var (key, held) in planned.Where(d => d.Value.Fired.IsCompleted).OrderBy(d => d.Key, StringComparer.Ordinal).ToList())
            {
                planned.Remove(key);
                held.Cancel.Dispose();
                if (held.Fired.IsCompletedSuccessfully)
                {
                    Saw(held.Timer.At);
                    plannedDue.Add(key);
                    inHand[key] = TimerFiredAsync(key, held.Timer);
                }
            }
        }

        // One source's step the latest stage lists (its search, or the carrying out at it), run as the activity named for
        // what it does; a source's failure before the last attempt is tried again when the step says (the work queue's
        // backoff, on the program's clock), attempts counted here; the last attempt records the source's answer or its
        // failure, as does a step that kept stopping the program, at once. Every try of the activity failing (the store
        // unreachable), the outcome is unknown and a look at the request lists the step again.
        async Task<WorkOutcome> RunStepAsync(PendingSourceStep pending)
        {
            var activity = JourneySteps.SourceStepActivityFor(pending.Step);
            for (var attempt = 1; ; attempt++)
            {
                var run = new SourceStepRun(input.RequestId, Kebab.Of(pending.Step), pending.Source, pending.Round, attempt);
                WorkOutcome outcome;
                try
                {
                    outcome = await TriedOrUnsureAsync(StepKey(pending), activity, run);
                }
                catch (TaskFailedException failure) when (StoppedTheProgram(failure))
                {
                    // Asking this source kept stopping the program: it is not asked again, and its failure is recorded.
                    return await GiveUpStepAsync(pending, activity, run with { StoppedTheProgram = true });
                }

                if (outcome.Result != WorkResult.Failed || attempt >= MaxNotNow)
                {
                    return outcome;
                }

                var due = outcome.RetryAt ?? now + input.Settings.FirstRetry;
                if (due > now && !await PauseUntilAsync(due, generation.Token))
                {
                    return Continued();
                }
            }
        }

        // A source's step given up (its failure recorded, the source not asked); should even that stop the program, the
        // outcome is unknown and the look that follows lists the step again.
        async Task<WorkOutcome> GiveUpStepAsync(PendingSourceStep pending, string activity, SourceStepRun run)
        {
            try
            {
                return await TriedOrUnsureAsync(StepKey(pending), activity, run);
            }
            catch (TaskFailedException failure) when (StoppedTheProgram(failure))
            {
                unsure.Add(StepKey(pending));
                return Unknown();
            }
        }

        // The source steps the latest stage lists and this generation has not run, as fan-outs: one per kind of step and
        // round (the searches of discovery round 1, the carrying out at each source), each source's step side by side
        // (Task.WhenAll), retried on its own, so one failing source never holds up the others' answers, which the
        // decider records as each comes. What the round came to is taken on once every source has answered. A step
        // whose outcome could not be found out waits for the next look, and runs again in a fan-out of its own.
        void KeepSteps()
        {
            var toRun = (stage?.Steps ?? []).Where(p => !runningSteps.Contains(StepKey(p)) && !finishedIds.Contains(StepKey(p)) && !unsure.Contains(StepKey(p)));
            foreach (var round in toRun.GroupBy(p => (p.Step, p.Round)).ToList())
            {
                var sources = round.ToList();
                runningSteps.UnionWith(sources.Select(StepKey));
                var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{RoundPrefix}{Kebab.Of(round.Key.Step)}:{round.Key.Round}:{++fanOuts}");
                roundSizes[key] = sources.Count;
                inHand[key] = FanOutAsync(sources);
            }
        }

        // One source's step of a fan-out: once it has answered, it no longer counts as running, and it is not run again
        // in this generation unless its outcome is unknown (then the next look lists it).
        async Task<WorkOutcome> AnsweredAsync(PendingSourceStep source)
        {
            var answer = await RunStepAsync(source);
            runningSteps.Remove(StepKey(source));
            answering.Remove(StepKey(source));
            if (!unsure.Contains(StepKey(source)))
            {
                finishedIds.Add(StepKey(source));
            }

            return answer;
        }

        // One round at its sources: every source's step side by side, then what they came to together (the latest stage
        // any of them saw, the work still open that any of them listed). Unknown when one source's outcome is unknown (a
        // look at the request follows, and lists it again).
        async Task<WorkOutcome> FanOutAsync(IReadOnlyList<PendingSourceStep> sources)
        {
            var steps = sources.Select(AnsweredAsync).ToList();
            for (var i = 0; i < sources.Count; i++)
            {
                if (!steps[i].IsCompleted)
                {
                    answering.TryAdd(StepKey(sources[i]), steps[i]);
                }
            }

            var answers = await Task.WhenAll(steps);
            var latest = answers.OrderByDescending(a => a.Stage?.Version ?? -1).First();
            var open = answers.SelectMany(a => a.Open ?? []).DistinctBy(w => w.Id, StringComparer.Ordinal).ToList();
            var together = latest with { Result = WorkResult.Done, Open = open, At = answers.Max(a => a.At), RetryAt = null };
            var anyUnknown = false;
            foreach (var answer in answers)
            {
                anyUnknown |= unknowns.Remove(answer);
            }

            if (anyUnknown)
            {
                unknowns.Add(together);
            }

            return together;
        }

        void LetGoOfPlanned()
        {
            foreach (var held in planned.Values)
            {
                held.Cancel.Cancel();
                held.Cancel.Dispose();
            }

            planned.Clear();
        }

        void Take(DeliveredWork work)
        {
            // A repeated delivery of an item in hand, or of one this generation finished, changes nothing (a step's result
            // lists the request's open work, which may hold an item in hand; a repeat and its completion can arrive together).
            if (!inHand.ContainsKey(work.Id) && !finishedIds.Contains(work.Id))
            {
                inHand[work.Id] = CarryOutAsync(work);
            }
        }

        // A decision made outside the orchestration announced its commit before making it: the work is read from the
        // request once the commit has landed.
        async Task<WorkOutcome> AwaitCommitAsync(long version)
        {
            try
            {
                var outcome = await context.CallActivityAsync<WorkOutcome>(AwaitCommitActivity.Name, new AnnouncedCommit(input.RequestId, version));
                Saw(outcome.At);
                if (outcome.Result == WorkResult.NotNow)
                {
                    // The commit had not landed within the wait. Should it land later and its process fail to announce it
                    // again, nothing else would bring its work here: the request is looked at again after a pause.
                    unknowns.Add(outcome);
                }

                return outcome;
            }
            catch (TaskFailedException)
            {
                // The store could not be read: a look after a pause lists the commit's work.
                return Unknown();
            }
        }

        // A fresh look at where the request stands, after a pause; a look that fails is unknown (the next is taken later).
        var checks = 0;
        var failedLooks = 0;
        var ends = 0;
        static string CheckKey(int n) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"check:{n}");
        static string EndKey(int n) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"end:{n}");
        static bool IsEnd(string key) => key.StartsWith("end:", StringComparison.Ordinal);
        static bool IsCheck(string key) => key.StartsWith("check:", StringComparison.Ordinal) || IsEnd(key);
        TimeSpan Pause(int tries) => PauseAfter(tries, input.Settings.FirstRetry, input.Settings.MaxRetry);

        async Task<WorkOutcome> CheckAsync(TimeSpan after, string activity = CheckRequestActivity.Name)
        {
            if (after > TimeSpan.Zero)
            {
                var due = now + after;
                await context.CreateTimer(due.UtcDateTime, CancellationToken.None);
                Saw(due);
            }

            try
            {
                var outcome = await context.CallActivityAsync<WorkOutcome>(activity, input.RequestId);
                Saw(outcome.At);
                failedLooks = 0;
                return outcome;
            }
            catch (TaskFailedException)
            {
                return Unknown();
            }
        }

        // Each announcement is looked at, even of a version seen before: a commit that never landed leaves its version to
        // the next one.
        var announcements = 0;
        void Announced(long? version)
        {
            if (version is { } v)
            {
                inHand[string.Create(System.Globalization.CultureInfo.InvariantCulture, $"commit:{v}:{++announcements}")] = AwaitCommitAsync(v);
            }
        }

        foreach (var work in input.Work)
        {
            Take(work);
        }

        Announced(input.CommitVersion);

        // Each decision made outside the orchestration comes as an event named for it (verified, approved...): one wait per name.
        var events = JourneySteps.Events.ToDictionary(name => name, name => context.WaitForExternalEvent<HandedOverWork>(name), StringComparer.Ordinal);
        while (true)
        {
            KeepSteps();
            KeepPlanned();
            var nextTimer = waiting.Values
                .Concat(planned.Values.Select(d => new DeliveredWork(d.Timer.IdFor(input.RequestId), WorkItem.Timer, d.Timer.At)))
                .OrderBy(w => w.NotBefore).ThenBy(w => w.Id, StringComparer.Ordinal).FirstOrDefault();
            context.SetCustomStatus(new RequestRunStatus(
                step, inHand.Count - roundSizes.Count - waiting.Count + runningSteps.Count, waiting.Count + planned.Count, nextTimer?.NotBefore, input.Generation, nextTimer is null ? null : JourneySteps.Describe(nextTimer))
            {
                Timers = [.. planned.Values.OrderBy(d => d.Timer.At).Select(d => d.Timer.Key["timer:".Length..])],
            });
            if (inHand.Count == 0 && settled)
            {
                if (ended)
                {
                    LetGoOfPlanned();
                    // Nothing in hand, the request closed and its run marked ended: done. Later work (an export's
                    // deletion, a follow-up) starts a new orchestration.
                    return step ?? "settled";
                }

                // Nothing in hand and the request closed: the store marks the run ended, unless work came in since (then
                // it is handed back here), so that a decision made meanwhile starts a new orchestration instead of
                // telling this one as it ends.
                inHand[EndKey(++ends)] = CheckAsync(TimeSpan.Zero, EndRunActivity.Name);
                continue;
            }

            var first = await Task.WhenAny([.. inHand.Values, .. answering.Values, .. planned.Values.Select(d => d.Fired), .. events.Values]);
            if (events.FirstOrDefault(e => e.Value == first).Key is { } decided)
            {
                var handedOver = await events[decided];
                Saw(handedOver.At);
                foreach (var work in handedOver.Work)
                {
                    Take(work);
                }

                Announced(handedOver.CommitVersion);
                ended = false;
                events[decided] = context.WaitForExternalEvent<HandedOverWork>(decided);
                continue;
            }

            PlannedFired();
            var finished = inHand.Where(p => p.Value.IsCompleted).ToList();
            var outcomes = new List<(string Id, WorkOutcome Outcome)>(finished.Count);
            var lookAgain = false;
            foreach (var (id, task) in finished)
            {
                inHand.Remove(id);
                var outcome = await task;
                if (unknowns.Remove(outcome))
                {
                    // Not known to be done: a look that lists it open hands it back.
                    lookAgain = true;
                }
                else
                {
                    finishedIds.Add(id);
                }

                outcomes.Add((id, outcome));
                steps += IsCheck(id) ? 0 : roundSizes.Remove(id, out var sources) ? sources : 1;
            }

            // Each step brings back the request's open work: what its decisions committed comes straight from it.
            foreach (var (id, outcome) in outcomes)
            {
                if (IsCheck(id) && outcome.Stage is not null)
                {
                    // The look read the request: what it lists is set again (a kept timer it still lists, now due, at once).
                    plannedDue.ExceptWith(unsure);
                    unsure.Clear();
                }

                Learn(outcome.Stage);
                step = outcome.RequestStatus ?? step;
                settled = outcome.Settled;
                ended = IsEnd(id) && outcome.Settled;

                foreach (var work in outcome.Open ?? [])
                {
                    Take(work);
                }
            }

            var closed = IsClosed(step);
            if (lookAgain && !inHand.Keys.Any(IsCheck))
            {
                // How a step ended, or where the request stands, could not be found out (the store unreachable): look
                // again after a growing pause, whatever else is in hand (a reminder weeks away), as nothing else would
                // bring this request's open work back to it.
                inHand[CheckKey(++checks)] = CheckAsync(Pause(++failedLooks));
            }
            else if (inHand.Count == 0 && !settled && finished.Count > 0 && !finished.TrueForAll(f => IsCheck(f.Key)))
            {
                // Steps that ran side by side each saw the others still open: look again now that all are done. A closed
                // request's look is its run's end, which reads it the same way and ends the run only with nothing left
                // (else it hands back what is open): one step where a look and then the end were two.
                if (closed)
                {
                    inHand[EndKey(++ends)] = CheckAsync(TimeSpan.Zero, EndRunActivity.Name);
                }
                else
                {
                    inHand[CheckKey(++checks)] = CheckAsync(TimeSpan.Zero);
                }
            }

            // A long-lived request (reminders, follow-ups) starts a new generation once nothing runs but timers,
            // carrying its waiting items, so its history stays small. Events not yet taken carry over too.
            if (steps >= input.Settings.StepsPerGeneration && inHand.Count == waiting.Count && (inHand.Count > 0 || planned.Count > 0))
            {
                continuing = true;
                context.ContinueAsNew(input with { Work = [.. waiting.Values], At = now, Generation = input.Generation + 1, CommitVersion = null, Status = step, Stage = stage }, preserveUnprocessedEvents: true);

                // Its timers stop waiting now (the next generation waits for the same items): until then, the runtime
                // would keep this generation open.
                generation.Cancel();
                LetGoOfPlanned();

                return "continued";
            }
        }
    }
}
