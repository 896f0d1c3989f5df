using System.Globalization;
using DataRights.Core.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// Discovery and execution at the sources: the source steps the latest stage lists (<see cref="RequestStage.Steps"/>)
/// and this generation has not run, as fan-outs, one per kind of step and round (the searches of discovery round 1, the
/// carrying out at each source). Each source's step runs as the activity named for what it does (<c>SearchSource</c>,
/// <c>CarryOutAtSource</c>), side by side (<c>Task.WhenAll</c>), retried on its own, so one failing source never holds up
/// the others' answers, which the decider records as each comes; what the round came to is taken on once every source
/// has answered. A step whose outcome could not be found out waits for the next look, and runs again in a fan-out of its
/// own. Keyed <c>round:{step}:{round}:{count}</c> in hand.
/// </summary>
internal sealed class SourceRounds(RequestRunState run)
{
    /// <summary>The prefix of a fan-out's key in hand (<c>round:discover:1:1</c>: the kind of step, its round, a count).</summary>
    private const string RoundPrefix = "round:";

    // The source steps running in a fan-out (keyed "step:{tag}"), how many sources each fan-out in hand holds (keyed as in
    // hand), and how many fan-outs this generation started.
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sizes = new(StringComparer.Ordinal);
    private int _fanOuts;

    // Each source's step of a fan-out, awaited beside what is in hand only so that the run's status counts what still runs.
    private readonly Dictionary<string, Task> _answering = new(StringComparer.Ordinal);

    /// <summary>How many sources' steps run now.</summary>
    public int Running => _running.Count;

    /// <summary>How many fan-outs are in hand.</summary>
    public int InHand => _sizes.Count;

    /// <summary>Each source's step still running, to wake the run when one answers.</summary>
    public IEnumerable<Task> Answering => _answering.Values;

    /// <summary>Whether <paramref name="key"/> was a fan-out in hand (then forgotten), and how many sources it held.</summary>
    public bool Ended(string key, out int sources) => _sizes.Remove(key, out sources);

    /// <summary>Starts a fan-out for each round at the sources the latest stage lists and this generation has not run.</summary>
    public void RunWhatTheStageLists()
    {
        var toRun = (run.Stage?.Steps ?? []).Where(p => !_running.Contains(KeyOf(p)) && !run.FinishedIds.Contains(KeyOf(p)) && !run.Unsure.Contains(KeyOf(p)));
        foreach (var round in toRun.GroupBy(p => (p.Step, p.Round)).ToList())
        {
            var sources = round.ToList();
            _running.UnionWith(sources.Select(KeyOf));
            var key = string.Create(CultureInfo.InvariantCulture, $"{RoundPrefix}{Kebab.Of(round.Key.Step)}:{round.Key.Round}:{++_fanOuts}");
            _sizes[key] = sources.Count;
            run.InHand[key] = FanOutAsync(sources);
        }
    }

    private static string KeyOf(PendingSourceStep pending) => "step:" + pending.Tag;

    // One round at its sources: every source's step side by side, then what they came to together (the latest stage any of
    // them saw, the work still open that any of them listed). Unknown when one source's outcome is unknown (a look at the
    // request follows, and lists it again).
    private async Task<WorkOutcome> FanOutAsync(IReadOnlyList<PendingSourceStep> sources)
    {
        var steps = sources.Select(AnsweredAsync).ToList();
        for (var i = 0; i < sources.Count; i++)
        {
            if (!steps[i].IsCompleted)
            {
                _answering.TryAdd(KeyOf(sources[i]), steps[i]);
            }
        }

        var answers = await Task.WhenAll(steps);
        var latest = answers.OrderByDescending(a => a.Stage?.Version ?? -1).First();
        var open = answers.SelectMany(a => a.Open ?? []).DistinctBy(w => w.Id, StringComparer.Ordinal).ToList();
        var together = latest with { Result = WorkResult.Done, Open = open, At = answers.Max(a => a.At), RetryAt = null };
        var anyUnknown = false;
        foreach (var answer in answers)
        {
            anyUnknown |= run.WasUnknown(answer);
        }

        return anyUnknown ? run.NotKnown(together) : together;
    }

    // One source's step of a fan-out: once it has answered, it no longer counts as running, and it is not run again in this
    // generation unless its outcome is unknown (then the next look lists it).
    private async Task<WorkOutcome> AnsweredAsync(PendingSourceStep source)
    {
        var answer = await RunStepAsync(source);
        _running.Remove(KeyOf(source));
        _answering.Remove(KeyOf(source));
        if (!run.Unsure.Contains(KeyOf(source)))
        {
            run.FinishedIds.Add(KeyOf(source));
        }

        return answer;
    }

    // One source's step, run as the activity named for what it does; a source's failure before the last attempt is tried
    // again when the step says (the backoff, on the program's clock), attempts counted here; the last attempt records the
    // source's answer or its failure, as does a step that kept stopping the program, at once. Every try of the activity
    // failing (the store unreachable), the outcome is unknown and a look at the request lists the step again.
    private async Task<WorkOutcome> RunStepAsync(PendingSourceStep pending)
    {
        var activity = JourneySteps.SourceStepActivityFor(pending.Step);
        for (var attempt = 1; ; attempt++)
        {
            var step = new SourceStepRun(run.Input.RequestId, Kebab.Of(pending.Step), pending.Source, pending.Round, attempt);
            WorkOutcome outcome;
            try
            {
                outcome = await run.TriedOrUnsureAsync(KeyOf(pending), activity, step);
            }
            catch (TaskFailedException failure) when (StepStoppedTheProgramException.Is(failure.FailureDetails))
            {
                // Asking this source kept stopping the program: it is not asked again, and its failure is recorded.
                return await GiveUpAsync(pending, activity, step with { StoppedTheProgram = true });
            }

            if (outcome.Result != WorkResult.Failed || attempt >= RequestRunState.MaxNotNow)
            {
                return outcome;
            }

            var due = outcome.RetryAt ?? run.Now + run.Input.Settings.FirstRetry;
            if (due > run.Now && !await run.PauseUntilAsync(due, run.Generation))
            {
                return run.Continued();
            }
        }
    }

    // A source's step given up (its failure recorded, the source not asked); should even that stop the program, the outcome
    // is unknown and the look that follows lists the step again.
    private async Task<WorkOutcome> GiveUpAsync(PendingSourceStep pending, string activity, SourceStepRun step)
    {
        try
        {
            return await run.TriedOrUnsureAsync(KeyOf(pending), activity, step);
        }
        catch (TaskFailedException failure) when (StepStoppedTheProgramException.Is(failure.FailureDetails))
        {
            run.Unsure.Add(KeyOf(pending));
            return run.Unknown();
        }
    }
}
