using DataRights.Core.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// What one generation of a request's orchestration holds while it runs, shared by its parts (<see cref="WorkItemSteps"/>,
/// <see cref="KeptTimers"/>, <see cref="SourceRounds"/>, <see cref="RequestLooks"/>): the steps in hand, the program's
/// clock as the steps reported it, the latest stage any step saw, the outcomes made up because a step's end could not be
/// found out, and the means every part calls its activities by (tried again after a growing pause while they cannot run
/// at all). Deterministic, as the orchestrator: no clock but the steps' reports and durable timers, no I/O.
/// </summary>
internal sealed class RequestRunState : IDisposable
{
    /// <summary>How many times a step may be found not runnable yet (or fail, at a source) before it counts as failed.</summary>
    public const int MaxNotNow = 60;

    // Every wait of this generation stops when it continues as new: the runtime ends a generation only once none of its
    // timers is open, so one left waiting (an overdue notice weeks away) would hold back the next generation, and every
    // decision announced meanwhile, until it fired.
    private readonly CancellationTokenSource _generation = new();

    // The outcomes made up here because the orchestration could not find out how a step ended (its activity, then its
    // give-up, failed on every try, or an announced commit could not be read): the request is looked at again after a
    // pause, whatever else is in hand, and such an item is taken again when a look lists it open.
    private readonly HashSet<WorkOutcome> _unknowns = new(ReferenceEqualityComparer.Instance);

    public RequestRunState(TaskOrchestrationContext context, RequestRun input)
    {
        Context = context;
        Input = input;
        Now = input.At;
        Stage = input.Stage;
    }

    /// <summary>How a wait for a work item's due time ended.</summary>
    public enum Waited
    {
        /// <summary>The item is due.</summary>
        Due,

        /// <summary>The orchestration went on to its next generation meanwhile, which carries the item.</summary>
        NextGeneration,
    }

    public TaskOrchestrationContext Context { get; }

    public RequestRun Input { get; }

    /// <summary>The program's time: the latest its activities and the announcements reported, or a timer reached.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Where the request stands on its journey, as the latest version any step saw (outcomes arrive in any order).</summary>
    public RequestStage? Stage { get; private set; }

    /// <summary>Whether this generation has handed over to the next (its waits stop; the next one carries them).</summary>
    public bool Continuing { get; private set; }

    /// <summary>Cancelled once this generation hands over to the next.</summary>
    public CancellationToken Generation => _generation.Token;

    /// <summary>Every step in hand, by key: work items by id, and <c>round:</c>, <c>planned:</c>, <c>check:</c>, <c>end:</c>, <c>commit:</c> keys.</summary>
    public Dictionary<string, Task<WorkOutcome>> InHand { get; } = new(StringComparer.Ordinal);

    /// <summary>The work items in hand waiting on a durable timer for their due time (the next generation carries them).</summary>
    public Dictionary<string, DeliveredWork> Waiting { get; } = new(StringComparer.Ordinal);

    /// <summary>What this generation finished: work items by id, source steps by <c>step:</c> key.</summary>
    public HashSet<string> FinishedIds { get; } = new(StringComparer.Ordinal);

    /// <summary>The source steps and kept timers whose outcome is unknown: each is run (or told) again once a look has read the request.</summary>
    public HashSet<string> Unsure { get; } = new(StringComparer.Ordinal);

    public void Saw(DateTimeOffset at) => Now = at > Now ? at : Now;

    public void Learn(RequestStage? seen)
    {
        if (seen is not null && (Stage is null || seen.Version > Stage.Version))
        {
            Stage = seen;
        }
    }

    /// <summary>An outcome made up because how a step ended could not be found out (a look at the request follows).</summary>
    public WorkOutcome Unknown() => NotKnown(new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: Now));

    /// <summary>Counts <paramref name="outcome"/> as not known (a look at the request follows); returns it.</summary>
    public WorkOutcome NotKnown(WorkOutcome outcome)
    {
        _unknowns.Add(outcome);
        return outcome;
    }

    /// <summary>Whether <paramref name="outcome"/> was not known (and forgets it).</summary>
    public bool WasUnknown(WorkOutcome outcome) => _unknowns.Remove(outcome);

    /// <summary>What a step left to the next generation comes to here.</summary>
    public WorkOutcome Continued() => new(WorkResult.NotNow, null, Settled: false, At: Now);

    /// <summary>The pause after the <paramref name="tries"/>th failed try of a step that could not run.</summary>
    public TimeSpan Pause(int tries) => RequestOrchestrator.PauseAfter(tries, Input.Settings.FirstRetry, Input.Settings.MaxRetry);

    /// <summary>This generation hands over to the next: its waits stop now (the next generation waits for the same items).</summary>
    public void HandOver()
    {
        Continuing = true;
        _generation.Cancel();
    }

    /// <summary>
    /// Waits until the program's clock reaches <paramref name="due"/> (the item counted as waiting meanwhile);
    /// <see cref="Waited.NextGeneration"/> when the orchestration went on to its next generation meanwhile.
    /// </summary>
    public async Task<Waited> WaitUntilAsync(DeliveredWork work, DateTimeOffset due)
    {
        if (due <= Now)
        {
            return Waited.Due;
        }

        Waiting[work.Id] = work with { NotBefore = due };
        try
        {
            await Context.CreateTimer(due.UtcDateTime, Generation);
        }
        catch (OperationCanceledException) when (Continuing)
        {
            // The orchestration went on to its next generation, which waits for the item again.
            return Waited.NextGeneration;
        }

        if (Continuing)
        {
            // The timer fired in the episode that started the next generation: the next generation runs it.
            return Waited.NextGeneration;
        }

        Waiting.Remove(work.Id);
        Saw(due);
        return Waited.Due;
    }

    /// <summary>
    /// Waits on a durable timer (which <paramref name="pauseFor"/> may cancel) until the program's clock reaches
    /// <paramref name="due"/>; false when the orchestration went on to its next generation meanwhile.
    /// </summary>
    public async Task<bool> PauseUntilAsync(DateTimeOffset due, CancellationToken pauseFor)
    {
        try
        {
            await Context.CreateTimer(due.UtcDateTime, pauseFor);
        }
        catch (OperationCanceledException) when (Continuing)
        {
            return false;
        }

        Saw(due);
        return true;
    }

    /// <summary>
    /// An activity that reports the program's time (<paramref name="at"/>), tried again after a growing pause (on a timer
    /// that <paramref name="pauseFor"/> may cancel) while it cannot run at all; null when every try failed, or when the
    /// pause was cancelled because the orchestration went on to its next generation. A step that kept stopping the program
    /// is not tried again: its failure is thrown.
    /// </summary>
    public async Task<T?> TriedAsync<T>(string activity, object step, Func<T, DateTimeOffset> at, CancellationToken pauseFor)
        where T : class
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                var result = await Context.CallActivityAsync<T>(activity, step);
                Saw(at(result));
                return result;
            }
            catch (TaskFailedException failure) when (tries < Input.Settings.MaxAttempts && !StepStoppedTheProgramException.Is(failure.FailureDetails))
            {
                if (!await PauseUntilAsync(Now + Pause(tries), pauseFor))
                {
                    return null;
                }
            }
            catch (TaskFailedException failure) when (!StepStoppedTheProgramException.Is(failure.FailureDetails))
            {
                return null;
            }
        }
    }

    /// <summary>
    /// A step's activity (a kept timer's telling, a source's step) tried until it runs; every try failing, its outcome is
    /// unknown and <paramref name="key"/> waits for the look at the request that follows (see <see cref="Unsure"/>).
    /// </summary>
    public async Task<WorkOutcome> TriedOrUnsureAsync(string key, string activity, object step)
    {
        if (await TriedAsync<WorkOutcome>(activity, step, outcome => outcome.At, Generation) is { } outcome)
        {
            return outcome;
        }

        if (Continuing)
        {
            return Continued();
        }

        Unsure.Add(key);
        return Unknown();
    }

    public void Dispose() => _generation.Dispose();
}
