using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Takes the work of a commit announced to the orchestration before it was made (see <see cref="HandedOverWork.CommitVersion"/>):
/// waits until the request has reached the announced version (<see cref="CommitWait"/>), then says where the request
/// stands with its open work, as a step's end does. A commit that has not landed within the wait is taken as never
/// landing: the request is taken as it stands (<see cref="WorkResult.NotNow"/>; its open work, if any, is what earlier
/// commits left). One that lands later after all is announced again by the process that made it, which times its commit
/// against this wait. Nothing is written for an announcement.
/// </summary>
[DurableTask(Name)]
public sealed class AwaitCommitActivity(
    CommitWait commits, RequestStanding standing, IOptions<DurableOptions> options, ILogger<AwaitCommitActivity> logger)
    : TaskActivity<AnnouncedCommit, WorkOutcome>
{
    public const string Name = "AwaitCommit";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, AnnouncedCommit input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(AnnouncedCommit input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await commits.LandedAsync(input.RequestId, input.Version, cancellationToken))
        {
            return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
        }

        // Should the commit land after all, its decider announces it again.
        logger.AnnouncedCommitMissing((int)options.Value.AnnouncedCommitWait.TotalSeconds);
        return await standing.AfterAsync(input.RequestId, WorkResult.NotNow, cancellationToken);
    }
}
