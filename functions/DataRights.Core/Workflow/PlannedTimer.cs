namespace DataRights.Core.Workflow;

/// <summary>
/// A timer the request keeps in its own state rather than as a work item: a wait for a person's reminder and its end
/// (the verification's, an approval round's, a question's), and the statutory deadline's reminders and overdue
/// notice. The request's orchestration waits for each on a durable timer of its own, from the stage it reads
/// (<see cref="RequestStage.Timers"/>), and tells the request when it fires. A kind, a tag and a time only: it travels
/// in the orchestration's history.
/// </summary>
public sealed record PlannedTimer(TimerKind Kind, string Tag, DateTimeOffset At)
{
    /// <summary>The key the decider remembers once the timer has acted (<c>timer:{kind}:{tag}</c>), which is also how it is known.</summary>
    public string Key => $"timer:{Kebab.Of(Kind)}:{Tag}";

    /// <summary>The id of the same timer set as a work item for <paramref name="requestId"/> (<c>{request}:timer:{kind}:{tag}</c>).</summary>
    public string IdFor(string requestId) => $"{requestId}:{Key}";
}
