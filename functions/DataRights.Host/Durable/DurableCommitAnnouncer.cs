using DataRights.Host.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Announces a commit to the request's orchestration through the flow's Durable client (the Function App's binding),
/// or the host's own (the stand-alone host): an event on the running orchestration, or its start (a new one once the
/// last has gone, when its run had ended).
/// </summary>
public sealed class DurableCommitAnnouncer(DurableWorkRelay relay, IServiceProvider services, IOptions<DurableOptions> options, ILogger<DurableCommitAnnouncer> logger) : ICommitAnnouncer
{
    public Task<bool> AnnounceAsync(string requestId, long version, bool runEnded, CancellationToken cancellationToken) =>
        TellAsync((client, token) => runEnded
            ? relay.StartAfterEndAsync(client, requestId, version, token)
            : relay.AnnounceAsync(client, requestId, version, relayed: false, token), cancellationToken);

    public Task<bool> AnnounceNewAsync(string requestId, long version, CancellationToken cancellationToken) =>
        TellAsync(async (client, token) =>
        {
            await relay.StartAsync(client, requestId, version, token);
            return true;
        }, cancellationToken);

    public async Task LandedAsync(string requestId, long version, TimeSpan since, CancellationToken cancellationToken)
    {
        // The orchestration waits AnnouncedCommitWait for the commit from when it reads the announcement (after it was
        // made): a commit that landed within half of that, measured from before the announcement, was read.
        if (since < options.Value.AnnouncedCommitWait / 2)
        {
            return;
        }

        logger.AnnouncedCommitLate((int)since.TotalSeconds);

        // Told again: a running orchestration reads the request once more (a repeat changes nothing), a settled one starts
        // anew. One only just starting has not stopped waiting yet.
        await TellAsync((client, token) => relay.AnnounceAsync(client, requestId, version, relayed: false, token), cancellationToken);
    }

    private async Task<bool> TellAsync(Func<DurableTaskClient, CancellationToken, Task<bool>> tell, CancellationToken cancellationToken)
    {
        if ((DurableClientScope.Current ?? services.GetService<DurableTaskClient>()) is not { } client)
        {
            return false;
        }

        try
        {
            return await tell(client, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The task hub refused: the commit's work goes to the relay instead.
            logger.CommitNotAnnounced(ex.GetType().Name);
            return false;
        }
    }
}
