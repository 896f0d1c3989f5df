using DataRights.Core.Ports;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Takes the work of a commit announced to the orchestration before it was made (see <see cref="HandedOverWork.CommitVersion"/>):
/// waits until the request has reached the announced version (it normally has by the time this runs; the decision's
/// process commits right after announcing), then says where the request stands with its open work, as a step's end does.
/// A commit that has not landed within <see cref="DurableOptions.AnnouncedCommitWait"/> is not waited for any longer: the
/// request is taken as it stands (<see cref="WorkResult.NotNow"/>; its open work, if any, is what earlier commits left).
/// One that lands later after all is announced again by the process that made it, which times its commit against this
/// wait. It waits by the wall clock, as the commit it waits for is real. Nothing is written for an announcement.
/// </summary>
[DurableTask(Name)]
public sealed class AwaitCommitActivity(
    IRequestStore store, RequestStanding standing, IOptions<DurableOptions> options, ILogger<AwaitCommitActivity> logger)
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

        // The usual case, the commit landed already: one read of the request's partition says so and lists its work. Until
        // it lands (or while the request is not there yet, a new one being taken in) the request row alone is read.
        if (await store.GetWithOpenWorkAsync(input.RequestId, cancellationToken) is { } landed && landed.Request.Version >= input.Version)
        {
            return standing.Of(landed, WorkResult.Done);
        }

        while (true)
        {
            if (await store.GetAsync(input.RequestId, cancellationToken) is { } request && request.Version >= input.Version)
            {
                return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
            }

            if (waited.Elapsed >= wait)
            {
                // Should the commit land after all, its decider announces it again.
                logger.AnnouncedCommitMissing((int)wait.TotalSeconds);
                return await standing.AfterAsync(input.RequestId, WorkResult.NotNow, cancellationToken);
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, pause.Ticks * 2));
        }
    }
}
