namespace DataRights.Host.Durable;

/// <summary>
/// The input of a submission's orchestration (<see cref="SubmissionOrchestrator"/>): the submission's id (what was sent
/// stays in the pipeline's store, never in the task hub's history), how its taking in is tried again, and the program's
/// time when it was started (its pauses are counted on the program's clock, as a request orchestration's are).
/// </summary>
public sealed record SubmissionRun(string SubmissionId, int MaxAttempts, TimeSpan FirstRetry, TimeSpan MaxRetry, DateTimeOffset At);
