using DataRights.Core.Ports;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Takes the work of a commit announced to the orchestration before it was made (see <see cref="HandedOverWork.CommitVersion"/>):
/// waits until the request has reached the announced version (it normally has by the time this runs; the decision's
/// process commits right after announcing), then says where the request stands with its open work, as a step's end does.
/// A commit that has not landed within <see cref="DurableOptions.AnnouncedCommitWait"/> never will: the request is
/// taken as it stands (<see cref="WorkResult.NotNow"/>; its open work, if any, is what earlier commits left). It waits by
/// the wall clock, as the commit it waits for is real. A commit read here is taken: the relay, which announces again a
/// commit whose work was not taken <see cref="DurableOptions.ResendAfter"/> after its announcement (the orchestration may
/// have ended just as the announcement reached it, or the commit landed after this gave up waiting), leaves it.
/// </summary>
[DurableTask(Name)]
public sealed class AwaitCommitActivity(
    IRequestStore store, IWorkOutbox outbox, RequestStanding standing, IOptions<DurableOptions> options, ILogger<AwaitCommitActivity> logger)
    : TaskActivity<AnnouncedCommit, WorkOutcome>
{
    public const string Name = "AwaitCommit";

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(500);

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, AnnouncedCommit input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(AnnouncedCommit input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var wait = options.Value.AnnouncedCommitWait;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = FirstPause;
        while (true)
        {
            if (await store.GetAsync(input.RequestId, cancellationToken) is { } request && request.Version >= input.Version)
            {
                // Taken: the announcement is not made again (a run repeated after a crash reads the request again, as here).
                await outbox.AnnouncementTakenAsync(input.RequestId, input.Version, cancellationToken);
                return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
            }

            if (waited.Elapsed >= wait)
            {
                // The announcement stays: should the commit land after all, the relay announces it again (and drops it
                // once it is older than any commit can take).
                logger.AnnouncedCommitMissing((int)wait.TotalSeconds);
                return await standing.AfterAsync(input.RequestId, WorkResult.NotNow, cancellationToken);
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, pause.Ticks * 2));
        }
    }
}
