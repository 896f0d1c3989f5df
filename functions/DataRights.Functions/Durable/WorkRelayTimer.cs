using DataRights.Host.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Durable;

/// <summary>
/// Sweeps every few seconds for commits whose announcement to their request's orchestration is the relay's to make: the
/// deciding HTTP functions announce theirs before they commit (or relay before they return), so this finds the commits
/// of timer and activity functions (which hold no Durable client), what a crash or a refused announcement left, and
/// announcements not taken long after.
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
