using DataRights.Core.Ports;

namespace DataRights.Host.Workflow;

/// <summary>
/// Marks the code running inside a step of a request's orchestration (an activity for that request). The work its
/// decisions commit for that request is handed straight back to the orchestration in the step's result
/// (<see cref="WorkHandOver.Caller"/>) instead of being announced to it.
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

    /// <summary>How work committed for <paramref name="requestId"/> from the calling flow is handed over.</summary>
    public static WorkHandOver HandOverFor(string requestId) =>
        string.Equals(CurrentRequest.Value, requestId, StringComparison.Ordinal) ? WorkHandOver.Caller : WorkHandOver.Relay;

    private sealed class Scope(string? outer) : IDisposable
    {
        public void Dispose() => CurrentRequest.Value = outer;
    }
}
