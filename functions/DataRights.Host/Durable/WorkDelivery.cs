namespace DataRights.Host.Durable;

/// <summary>A committed work item handed to its request's orchestration: ids, kinds and times only, never personal data.</summary>
public sealed record DeliveredWork(string Id, string Kind, DateTimeOffset NotBefore);

/// <summary>One work item of one request: an activity's input.</summary>
public sealed record WorkStep(string RequestId, string ItemId);

/// <summary>
/// A request orchestration's input: the request, the work it carries over from its previous generation, and the
/// settings it runs by (an orchestrator has no services: what it needs comes in its input, recorded in its history).
/// </summary>
public sealed record RequestRun(string RequestId, IReadOnlyList<DeliveredWork> Work, RunSettings Settings, int Generation = 1);

/// <summary>
/// The retry policy of every step, how long a step that could not run yet waits before it is tried again (a clock
/// difference between hosts, or a run after a crash finding the step still held), and how many steps one generation
/// of the orchestration's history holds.
/// </summary>
public sealed record RunSettings(int MaxAttempts, TimeSpan FirstRetry, TimeSpan MaxRetry, TimeSpan NotNowRetry, int StepsPerGeneration);

/// <summary>
/// What running one work item came to, and where the request stands after it: its status (for the orchestration's
/// status), whether it is settled, and its work still open (what the step's decisions committed among it), which the
/// orchestration takes on unless it has it in hand already.
/// </summary>
public sealed record WorkOutcome(WorkResult Result, string? RequestStatus, bool Settled, IReadOnlyList<DeliveredWork>? Open = null);

/// <summary>The outcome of one run of a work item.</summary>
public enum WorkResult
{
    /// <summary>Done now, or found done already (a repeated delivery).</summary>
    Done,

    /// <summary>Not now: not due yet by this host's clock, or still held by a run that has not finished. Wait, then try again.</summary>
    NotNow,

    /// <summary>Failed for good (a refusal that will not change on retry); recorded on the request, staff alerted.</summary>
    GaveUp,
}

/// <summary>
/// What an operator sees as a request orchestration's custom status: the request's step (its status), the steps
/// running and waiting on timers, the next timer, and the history generation (see <see cref="RunSettings.StepsPerGeneration"/>).
/// </summary>
public sealed record RequestRunStatus(string? Step, int Running, int Waiting, DateTimeOffset? NextAt, int Generation);
