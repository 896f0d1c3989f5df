using DataRights.Host.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Durable;

/// <summary>
/// Hands committed work to the request orchestrations every few seconds (the stand-alone host's relay also runs right
/// after each commit; here a Durable client exists only inside a function). A crash between a commit and the hand-over
/// loses nothing: the items stay in the store until a relay hands them over.
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
