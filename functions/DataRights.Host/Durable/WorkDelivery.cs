using DataRights.Core.Workflow;

namespace DataRights.Host.Durable;

/// <summary>
/// A piece of the work a request owes, handed to its orchestration: ids, kinds and times only, never personal data.
/// <see cref="Attempt"/>: the attempt it is at (a generation carries an item waiting to be tried again on to the next).
/// </summary>
public sealed record DeliveredWork(string Id, string Kind, DateTimeOffset NotBefore)
{
    public int Attempt { get; init; } = 1;
}

/// <summary>
/// Work handed to a request's orchestration from outside it (an announcement's event): the items, and the program's clock
/// when they were handed over (items due by then run at once; later ones wait on a durable timer). With
/// <see cref="CommitVersion"/>, a decision made outside the orchestration (a person's link, staff) says, before it
/// commits, that the request's work will be in the store once the request reaches that version: the orchestration
/// reads it from there (<see cref="AwaitCommitActivity"/>).
/// </summary>
public sealed record HandedOverWork(IReadOnlyList<DeliveredWork> Work, DateTimeOffset At, long? CommitVersion = null);

/// <summary>
/// One attempt at a source's step of one request (<see cref="PendingSourceStep"/>: <see cref="Step"/> is <c>discover</c> or
/// <c>execute</c>), the first attempt 1: an activity's input.
/// </summary>
public sealed record SourceStepRun(string RequestId, string Step, string Source, int Round, int Attempt)
{
    /// <summary>
    /// The step kept stopping the program (<see cref="StepStoppedTheProgramException"/>): the source is not asked again,
    /// its failure is recorded.
    /// </summary>
    public bool StoppedTheProgram { get; init; }
}

/// <summary>One attempt at a piece of the work one request owes (the first attempt 1): an activity's input.</summary>
public sealed record WorkStep(string RequestId, string ItemId, int Attempt = 1)
{
    /// <summary>Given up because the step kept stopping the program (<see cref="StepStoppedTheProgramException"/>), not because it failed.</summary>
    public bool StoppedTheProgram { get; init; }
}

/// <summary>
/// A request orchestration's input: the request, the work it carries over from its previous generation, the program's
/// clock when it was started (see <see cref="WorkOutcome.At"/>), and the settings it runs by (an orchestrator has no
/// services: what it needs comes in its input, recorded in its history).
/// </summary>
public sealed record RequestRun(string RequestId, IReadOnlyList<DeliveredWork> Work, RunSettings Settings, DateTimeOffset At, int Generation = 1)
{
    /// <summary>Started by an announced commit (see <see cref="HandedOverWork.CommitVersion"/>): the version whose work to read once it lands.</summary>
    public long? CommitVersion { get; init; }

    /// <summary>The request's status as the last generation knew it (kebab case), so a new generation knows a closed request at once.</summary>
    public string? Status { get; init; }

    /// <summary>Where the request stood on its journey as the last generation knew it, so a new generation sets its timers again at once.</summary>
    public RequestStage? Stage { get; init; }
}

/// <summary>
/// A timer the request keeps that has fired (<see cref="Core.Workflow.PlannedTimer"/>): its kind in kebab case
/// (<c>verification-reminder</c>, <c>overdue</c>) and its tag (<c>1</c>, <c>7d@2027-01-01</c>): an activity's input.
/// </summary>
public sealed record PlannedTimerStep(string RequestId, string Kind, string Tag);

/// <summary>An announced commit's request and the version it will give the request: an activity's input.</summary>
public sealed record AnnouncedCommit(string RequestId, long Version);

/// <summary>
/// How often and how soon a step whose activity could not run at all (its store unreachable) is tried again, how long a
/// step that could not run yet waits when its activity does not say (see <see cref="WorkOutcome.RetryAt"/>), and how
/// many steps one generation of the orchestration's history holds. A step's own failures (a source down) are retried
/// by the step itself, on the program's clock, with the work queue's attempts and backoff.
/// </summary>
public sealed record RunSettings(int MaxAttempts, TimeSpan FirstRetry, TimeSpan MaxRetry, TimeSpan NotNowRetry, int StepsPerGeneration);

/// <summary>
/// What running one work item came to, and where the request stands after it: its status (for the orchestration's
/// status), whether it is settled, and its work still open (what the step's decisions committed among it), which the
/// orchestration takes on unless it has it in hand already. <see cref="At"/> is the program's clock when the step
/// ended: the orchestration waits for work by that clock (a work item's due time is the program's), so a host whose
/// clock is not the task hub's (the tests' fake clock) runs its timers by it too. <see cref="RetryAt"/>: when to try
/// again after <see cref="WorkResult.NotNow"/> or <see cref="WorkResult.Failed"/>. <see cref="Stage"/>: where the request
/// stood on its journey when the step read or wrote it (null when the step did not), from which the orchestration keeps
/// the request's timers and runs its sources' steps.
/// </summary>
public sealed record WorkOutcome(
    WorkResult Result,
    string? RequestStatus,
    bool Settled,
    IReadOnlyList<DeliveredWork>? Open = null,
    DateTimeOffset At = default,
    DateTimeOffset? RetryAt = null,
    RequestStage? Stage = null);

/// <summary>The outcome of one run of a work item.</summary>
public enum WorkResult
{
    /// <summary>Done now, or found done already (a repeated delivery).</summary>
    Done,

    /// <summary>Not now: not due yet by this host's clock, or still held by a run that has not finished. Wait, then try again.</summary>
    NotNow,

    /// <summary>Failed for good (a refusal that will not change on retry, or the last attempt); recorded on the request, staff alerted.</summary>
    GaveUp,

    /// <summary>This attempt failed (a source down); the item is back in the queue with its error, due again at <see cref="WorkOutcome.RetryAt"/>.</summary>
    Failed,
}

/// <summary>
/// What an operator sees as a request orchestration's custom status: the request's step (its status), the steps
/// running and waiting on timers, the next timer and what it is for (<see cref="JourneySteps.Describe"/>: "verification
/// reminder", "approval escalation"), and the history generation (see <see cref="RunSettings.StepsPerGeneration"/>).
/// </summary>
public sealed record RequestRunStatus(string? Step, int Running, int Waiting, DateTimeOffset? NextAt, int Generation, string? Next = null)
{
    /// <summary>
    /// The timers the request keeps that the run waits for (counted in <see cref="Waiting"/>), by kind and tag, soonest
    /// first: <c>verification-reminder:1</c>, <c>deadline-reminder:7d@2027-01-01</c>, <c>overdue:@2027-01-01</c>.
    /// </summary>
    public IReadOnlyList<string> Timers { get; init; } = [];
}
