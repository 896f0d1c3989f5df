using DataRights.Core.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// The timers a request keeps while it waits (the person's reminder to confirm and the expiry, the approvers' reminder
/// and escalation, the reminder to answer a question, the statutory deadline's reminders and overdue notice, a
/// restriction's lift): not work items but durable timers of its orchestration, set from the latest stage
/// (<see cref="RequestStage.Timers"/>), raced against the events that end their waits, and let go of, with no step, once
/// a later stage no longer lists them (the person confirmed, a due date moved, the close). One that fires runs as the
/// activity named for what it does (<see cref="JourneySteps.TimerActivityFor"/>); the decider acts on one still current,
/// once. Keyed <c>planned:{kind}:{tag}</c> in hand.
/// </summary>
internal sealed class KeptTimers(RequestRunState run)
{
    private readonly Dictionary<string, (PlannedTimer Timer, Task Fired, CancellationTokenSource Cancel)> _set = new(StringComparer.Ordinal);

    // Those this generation has told the request of (a stage read before the telling landed may still list one).
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);

    /// <summary>How many are set.</summary>
    public int Count => _set.Count;

    /// <summary>The set timers' tasks, which complete when they fire.</summary>
    public IEnumerable<Task> Firing => _set.Values.Select(d => d.Fired);

    /// <summary>The set timers, soonest first.</summary>
    public IEnumerable<PlannedTimer> Set => _set.Values.Select(d => d.Timer).OrderBy(t => t.At);

    /// <summary>The timers the latest stage lists, each waited for once; those it no longer lists are let go of.</summary>
    public void KeepWhatTheStageLists()
    {
        var wanted = (run.Stage?.Timers ?? []).Where(t => !_told.Contains(KeyOf(t))).ToDictionary(KeyOf, StringComparer.Ordinal);
        foreach (var key in _set.Keys.Where(key => !wanted.ContainsKey(key)).Order(StringComparer.Ordinal).ToList())
        {
            _set.Remove(key, out var held);
            held.Cancel.Cancel();
            held.Cancel.Dispose();
        }

        foreach (var (key, timer) in wanted.OrderBy(w => w.Value.At).ThenBy(w => w.Key, StringComparer.Ordinal))
        {
            if (_set.ContainsKey(key) || run.InHand.ContainsKey(key))
            {
                continue;
            }

            if (timer.At <= run.Now)
            {
                // Its time has come already (a run started after it): the request is told now.
                _told.Add(key);
                run.InHand[key] = FiredAsync(key, timer);
                continue;
            }

            var cancel = new CancellationTokenSource();
            _set[key] = (timer, run.Context.CreateTimer(timer.At.UtcDateTime, cancel.Token), cancel);
        }
    }

    /// <summary>Timers that fired: the request is told of each (the decider acts on one still current, once).</summary>
    public void TellWhatFired()
    {
        foreach (var (key, held) in _set.Where(d => d.Value.Fired.IsCompleted).OrderBy(d => d.Key, StringComparer.Ordinal).ToList())
        {
            _set.Remove(key);
            held.Cancel.Dispose();
            if (held.Fired.IsCompletedSuccessfully)
            {
                run.Saw(held.Timer.At);
                _told.Add(key);
                run.InHand[key] = FiredAsync(key, held.Timer);
            }
        }
    }

    /// <summary>A look read the request: the timers told without a known outcome are set again if it still lists them (those due, at once).</summary>
    public void TellAgain(IEnumerable<string> unsure) => _told.ExceptWith(unsure);

    /// <summary>Lets go of every set timer (the run ends, or hands over to its next generation, which sets them again).</summary>
    public void LetGoOfAll()
    {
        foreach (var held in _set.Values)
        {
            held.Cancel.Cancel();
            held.Cancel.Dispose();
        }

        _set.Clear();
    }

    private static string KeyOf(PlannedTimer timer) => $"planned:{Kebab.Of(timer.Kind)}:{timer.Tag}";

    // Tells the request its timer fired (the activity named for what the timer does), tried again after a growing pause
    // while it cannot run at all; every try failed, the outcome is unknown and the look at the request that follows,
    // after a pause, sets the timer again if it still lists it (it is due: the request is told at once). The next
    // generation sets it again from the stage.
    // Until that look it counts as told: the stage in hand may be older than the telling's effect.
    // One that kept stopping the program is taken as one whose every try failed.
    private async Task<WorkOutcome> FiredAsync(string key, PlannedTimer timer)
    {
        try
        {
            return await run.TriedOrUnsureAsync(key, JourneySteps.TimerActivityFor(timer.Kind), new PlannedTimerStep(run.Input.RequestId, Kebab.Of(timer.Kind), timer.Tag));
        }
        catch (TaskFailedException failure) when (StepStoppedTheProgramException.Is(failure.FailureDetails))
        {
            run.Unsure.Add(key);
            return run.Unknown();
        }
    }
}
