using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// The work a request's decisions committed (an email, an export's build or deletion, a suppression, an event), as its
/// orchestration carries it out: each item waits on a durable timer until it is due, then runs as the activity named for
/// what it does (<see cref="JourneySteps.ActivityFor"/>); a step that failed is tried again when it says (the backoff, on
/// the program's clock), one not runnable yet later without using up its attempts, and one whose activity cannot run at
/// all after a growing pause. Given up (every try failed, it kept stopping the program, or it never became runnable),
/// the request records the failure and alerts staff (<see cref="GiveUpWorkItemActivity"/>).
/// </summary>
internal sealed class WorkItemSteps(RequestRunState run)
{
    // The work items whose step kept stopping the program (it was run no more): given up at once.
    private readonly HashSet<string> _stopped = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes <paramref name="work"/> in hand. A repeated delivery of an item in hand, or of one this generation finished,
    /// changes nothing (a step's result lists the request's open work, which may hold an item in hand; a repeat and its
    /// completion can arrive together).
    /// </summary>
    public void Take(DeliveredWork work)
    {
        if (!run.InHand.ContainsKey(work.Id) && !run.FinishedIds.Contains(work.Id))
        {
            run.InHand[work.Id] = CarryOutAsync(work);
        }
    }

    private async Task<WorkOutcome> CarryOutAsync(DeliveredWork work)
    {
        var due = work.NotBefore;
        for (var notNow = 0; notNow < RequestRunState.MaxNotNow;)
        {
            // The attempt it is at goes with it (to the next generation too, while it waits to be tried again).
            if (await run.WaitUntilAsync(work, due) == RequestRunState.Waited.NextGeneration)
            {
                return run.Continued();
            }

            // The step runs as the activity named for what it does (SendEmail, PublishEvent...): the history reads as the journey.
            var outcome = await CallAsync(work, JourneySteps.ActivityFor(work.Kind));
            if (outcome is null)
            {
                break;
            }

            if (run.Continuing && outcome.Result is WorkResult.NotNow or WorkResult.Failed)
            {
                return outcome;
            }

            switch (outcome.Result)
            {
                case WorkResult.NotNow:
                    notNow++;
                    due = outcome.RetryAt ?? run.Now + run.Input.Settings.NotNowRetry;
                    continue;
                case WorkResult.Failed:
                    // The attempt failed and said when to try again (the backoff): the next attempt gives up by itself
                    // once it is the last.
                    due = outcome.RetryAt ?? run.Now + run.Input.Settings.FirstRetry;
                    work = work with { Attempt = work.Attempt + 1 };
                    continue;
                default:
                    return outcome;
            }
        }

        // Its activity could not run on any try, it kept stopping the program, or the item never became runnable: the
        // request records the failure, owes the item no more, and alerts staff. A give-up that could not run either
        // leaves it open: the request is looked at again later, and the item taken again.
        return await CallAsync(work, GiveUpWorkItemActivity.Name, _stopped.Remove(work.Id)) is { Result: not WorkResult.NotNow } gaveUp ? gaveUp : run.Unknown();
    }

    // An activity, tried again after a growing pause while it cannot run at all (its store unreachable); null when every try
    // failed, or at once when it kept stopping the program (then noted as stopped).
    private async Task<WorkOutcome?> CallAsync(DeliveredWork work, string activity, bool stoppedTheProgram = false)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                var outcome = await run.Context.CallActivityAsync<WorkOutcome>(
                    activity, new WorkStep(run.Input.RequestId, work.Id, work.Attempt) { StoppedTheProgram = stoppedTheProgram });
                run.Saw(outcome.At);
                return outcome;
            }
            catch (TaskFailedException failure) when (StepStoppedTheProgramException.Is(failure.FailureDetails))
            {
                _stopped.Add(work.Id);
                return null;
            }
            catch (TaskFailedException) when (tries < run.Input.Settings.MaxAttempts)
            {
                if (await run.WaitUntilAsync(work, run.Now + run.Pause(tries)) == RequestRunState.Waited.NextGeneration)
                {
                    return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: run.Now);
                }
            }
            catch (TaskFailedException)
            {
                return null;
            }
        }
    }
}
