using DataRights.Host.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Durable;

/// <summary>
/// Sweeps every few seconds for committed work not yet handed to its request's orchestration: the deciding HTTP
/// functions and the step activities hand theirs over before they return, so this finds what a crash between a
/// commit and the hand-over, or a hand-over the task hub refused, left in the store.
/// </summary>
public sealed class WorkRelayTimer(DurableWorkRelay relay)
{
    public const string Name = "durable-relay";

    /// <summary>Every 5 seconds.</summary>
    public const string Schedule = "*/5 * * * * *";

    [Function(Name)]
    public Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        relay.RelayAsync(client, cancellationToken);
}
