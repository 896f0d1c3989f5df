using DataRights.Host.Workflow;
using Microsoft.DurableTask.Client;

namespace DataRights.Host.Durable;

/// <summary>
/// Announces a commit to the request's orchestration through the flow's Durable client (the Function App's binding),
/// or the host's own (the stand-alone host): an event on the running orchestration, or its start.
/// </summary>
public sealed class DurableCommitAnnouncer(DurableWorkRelay relay, IServiceProvider services, ILogger<DurableCommitAnnouncer> logger) : ICommitAnnouncer
{
    public Task<bool> AnnounceAsync(string requestId, long version, CancellationToken cancellationToken) =>
        TellAsync((client, token) => relay.AnnounceAsync(client, requestId, version, token), cancellationToken);

    public Task<bool> AnnounceNewAsync(string requestId, long version, CancellationToken cancellationToken) =>
        TellAsync(async (client, token) =>
        {
            await relay.StartAsync(client, requestId, version, token);
            return true;
        }, cancellationToken);

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
            // The task hub refused: the commit goes through the queue and the relay instead.
            logger.CommitNotAnnounced(ex.GetType().Name);
            return false;
        }
    }
}
