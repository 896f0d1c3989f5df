using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// Where the request stands now. Asked when the orchestration has nothing left in hand: steps that finished side by
/// side each saw the others still open, so only a fresh look says whether the request is settled.
/// </summary>
[DurableTask(Name)]
public sealed class CheckRequestActivity(RequestStanding standing) : TaskActivity<string, WorkOutcome>
{
    public const string Name = "CheckRequest";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, string input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public Task<WorkOutcome> CarryOutAsync(string requestId, CancellationToken cancellationToken) =>
        standing.AfterAsync(requestId, WorkResult.Done, cancellationToken);
}
