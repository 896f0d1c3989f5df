namespace DataRights.Host.Workflow;

/// <summary>
/// Marks the code running inside a step of a request's orchestration (an activity for that request). The work its
/// decisions commit for that request is handed straight back to the orchestration in the step's result instead of
/// being announced to it.
/// </summary>
public static class OrchestrationStep
{
    private static readonly AsyncLocal<string?> CurrentRequest = new();

    /// <summary>Runs the rest of the calling flow (until disposed) as a step of <paramref name="requestId"/>'s orchestration.</summary>
    public static IDisposable For(string requestId)
    {
        var outer = CurrentRequest.Value;
        CurrentRequest.Value = requestId;
        return new Scope(outer);
    }

    /// <summary>Whether the calling flow is a step of <paramref name="requestId"/>'s orchestration, which takes the work it commits back itself.</summary>
    public static bool IsStepOf(string requestId) => string.Equals(CurrentRequest.Value, requestId, StringComparison.Ordinal);

    private sealed class Scope(string? outer) : IDisposable
    {
        public void Dispose() => CurrentRequest.Value = outer;
    }
}
