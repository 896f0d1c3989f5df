using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// The orchestration's last step: the request is closed and nothing is left in hand, so its run ends, unless work was
/// committed since (then that work is handed back and the orchestration carries on). The store marks the run ended and
/// moves the request's version on in one conditional write, so a decision made meanwhile outside the orchestration, which
/// announced its commit to this one as it ended, cannot commit: it is made again and starts a new orchestration.
/// </summary>
[DurableTask(Name)]
public sealed class EndRunActivity(RequestStanding standing) : TaskActivity<string, WorkOutcome>
{
    public const string Name = "EndRun";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, string input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public Task<WorkOutcome> CarryOutAsync(string requestId, CancellationToken cancellationToken) =>
        standing.EndAsync(requestId, cancellationToken);
}
