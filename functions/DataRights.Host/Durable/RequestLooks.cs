using System.Globalization;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// How a request's orchestration learns what it was not handed: a decision made outside it (a person's link, staff)
/// announces its commit before making it, and the work is read from the request once that commit has landed
/// (<see cref="AwaitCommitActivity"/>, keyed <c>commit:{version}:{count}</c>); a fresh look at where the request stands
/// (<see cref="CheckRequestActivity"/>, <c>check:{count}</c>) when nothing else would bring its open work back, after a
/// growing pause while looks fail; and, once the request is closed with nothing left, the run's end
/// (<see cref="EndRunActivity"/>, <c>end:{count}</c>), which reads the request the same way and marks the run ended
/// unless work came in since.
/// </summary>
internal sealed class RequestLooks(RequestRunState run)
{
    private int _checks;
    private int _failedLooks;
    private int _ends;
    private int _announcements;

    /// <summary>Whether <paramref name="key"/> in hand is a run's end.</summary>
    public static bool IsEnd(string key) => key.StartsWith("end:", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="key"/> in hand is a look at the request (the run's end is one too).</summary>
    public static bool IsLook(string key) => key.StartsWith("check:", StringComparison.Ordinal) || IsEnd(key);

    /// <summary>Whether a look is in hand.</summary>
    public bool Looking => run.InHand.Keys.Any(IsLook);

    /// <summary>
    /// A decision made outside the orchestration announced its commit at <paramref name="version"/> before making it: the
    /// work is read from the request once the commit has landed. Each announcement is looked at, even of a version seen
    /// before: a commit that never landed leaves its version to the next one.
    /// </summary>
    public void Announced(long? version)
    {
        if (version is { } v)
        {
            run.InHand[string.Create(CultureInfo.InvariantCulture, $"commit:{v}:{++_announcements}")] = AwaitCommitAsync(v);
        }
    }

    /// <summary>Looks at the request now.</summary>
    public void LookNow() => run.InHand[string.Create(CultureInfo.InvariantCulture, $"check:{++_checks}")] = LookAsync(TimeSpan.Zero);

    /// <summary>Looks at the request after a pause that grows with each look that failed.</summary>
    public void LookAfterAPause() => run.InHand[string.Create(CultureInfo.InvariantCulture, $"check:{++_checks}")] = LookAsync(run.Pause(++_failedLooks));

    /// <summary>Ends the run in the store, unless work came in since (then it is handed back).</summary>
    public void EndTheRun() => run.InHand[string.Create(CultureInfo.InvariantCulture, $"end:{++_ends}")] = LookAsync(TimeSpan.Zero, EndRunActivity.Name);

    // A fresh look at where the request stands, after a pause; a look that fails is unknown (the next is taken later).
    private async Task<WorkOutcome> LookAsync(TimeSpan after, string activity = CheckRequestActivity.Name)
    {
        if (after > TimeSpan.Zero)
        {
            var due = run.Now + after;
            await run.Context.CreateTimer(due.UtcDateTime, CancellationToken.None);
            run.Saw(due);
        }

        try
        {
            var outcome = await run.Context.CallActivityAsync<WorkOutcome>(activity, run.Input.RequestId);
            run.Saw(outcome.At);
            _failedLooks = 0;
            return outcome;
        }
        catch (TaskFailedException)
        {
            return run.Unknown();
        }
    }

    private async Task<WorkOutcome> AwaitCommitAsync(long version)
    {
        try
        {
            var outcome = await run.Context.CallActivityAsync<WorkOutcome>(AwaitCommitActivity.Name, new AnnouncedCommit(run.Input.RequestId, version));
            run.Saw(outcome.At);

            // The commit had not landed within the wait. Should it land later and its process fail to announce it again,
            // nothing else would bring its work here: the request is looked at again after a pause.
            return outcome.Result == WorkResult.NotNow ? run.NotKnown(outcome) : outcome;
        }
        catch (TaskFailedException)
        {
            // The store could not be read: a look after a pause lists the commit's work.
            return run.Unknown();
        }
    }
}
