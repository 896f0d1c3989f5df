using DataRights.Host.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>The stand-alone host's relay loop: after every commit left to the relay to announce, and every poll interval for what a crash left.</summary>
public sealed class DurableWorkRelayService(
    DurableWorkRelay relay, DurableTaskClient client, WorkSignal signal, IOptions<DurableOptions> options, TimeProvider time, ILogger<DurableWorkRelayService> logger)
    : BackgroundService
{
    /// <summary>How soon a commit is announced again to an orchestration that was still starting.</summary>
    private static readonly TimeSpan StartingRetry = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await relay.RelayAsync(client, stoppingToken);
                await signal.WaitAsync(round.Waiting ? StartingRetry : options.Value.RelayPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.DurableRelayFailed(ex.GetType().Name);
                await Task.Delay(options.Value.RelayPollInterval, time, stoppingToken);
            }
        }
    }
}
