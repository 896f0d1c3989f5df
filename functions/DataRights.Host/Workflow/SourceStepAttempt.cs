namespace DataRights.Host.Workflow;

/// <summary>
/// One attempt at a source's step (its search, or the carrying out of the request at it) in its round:
/// <see cref="StepId"/> keys what the step sends (a manual source's task email), so an attempt run again sends nothing
/// twice; on the last attempt a source's failure is recorded as the source's, on an earlier one it is tried again.
/// </summary>
public sealed record SourceStepAttempt(string RequestId, string Source, int Round, string StepId, int Attempt, bool IsLastAttempt);
