using DataRights.Core.Ports;
using DataRights.Host.Workflow;
using DataRights.Queue.ServiceBus;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Queue;

/// <summary>
/// With <c>DataRights:Queue:Provider=servicebus</c>: hands committed work items to Service Bus. Woken by every commit
/// that queued work (so items go right after their transaction), and sweeping every <see cref="QueueOptions.RelayPollInterval"/>
/// and on each queue-relay timer invocation for whatever a crash left behind. An item the broker refused stays in the
/// store for the next sweep; nothing is lost and nothing runs here.
/// </summary>
public sealed class WorkRelay(
    IWorkOutbox outbox,
    ServiceBusQueueSender sender,
    WorkSignal signal,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<WorkRelay> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Claims and sends until nothing is left or a send fails; returns how many were sent.</summary>
    public async Task<RelayResult> RelayAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var o = options.Value;
            var sent = 0;
            while (true)
            {
                var claimed = await outbox.ClaimUnsentAsync(o.RelayBatchSize, time.GetUtcNow(), o.RelayClaimDuration, o.ResendAfter, cancellationToken);
                foreach (var (item, index) in claimed.Select((item, index) => (item, index)))
                {
                    try
                    {
                        await sender.SendAsync(WorkMessages.For(item, time.GetUtcNow()), cancellationToken);
                    }
                    catch (ServiceBusSendException ex)
                    {
                        // Give back the rest of the batch too: the broker is refusing now; the next sweep tries again.
                        foreach (var unsent in claimed.Skip(index))
                        {
                            await outbox.ReleaseAsync(unsent, cancellationToken);
                        }

                        logger.RelayHeld(claimed.Count - index, ex.Status, ex.Transient);
                        return new RelayResult(sent, claimed.Count - index, ex.Status);
                    }

                    await outbox.MarkSentAsync(item, cancellationToken);
                    sent++;
                }

                if (claimed.Count < o.RelayBatchSize)
                {
                    if (sent > 0)
                    {
                        logger.Relayed(sent);
                    }

                    return new RelayResult(sent, 0, null);
                }
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundRelay)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RelayAsync(stoppingToken);
                await signal.WaitAsync(options.Value.RelayPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store failed (disk, lock): keep the relay alive and try again after a pause.
                logger.RelayFailed(ex.GetType().Name);
                await Task.Delay(options.Value.RelayPollInterval, time, stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }
}

/// <summary>What one relay round did: items sent, items held back for the next sweep, and the broker's refusal if any.</summary>
public sealed record RelayResult(int Sent, int Held, int? RefusedWithStatus);
