using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// A task hub's own client whose next <see cref="LateLookups"/> instance look-ups answer "none", as a look-up made just
/// before another caller's start would: two callers that both looked first, then both start. Everything else goes to the
/// task hub as it is.
/// </summary>
public sealed class LateLookupDurableClient(DurableTaskClient hub) : DurableTaskClient("late-lookup")
{
    private int _lateLookups;

    /// <summary>How many of the next look-ups answer "none".</summary>
    public int LateLookups
    {
        get => Volatile.Read(ref _lateLookups);
        set => Volatile.Write(ref _lateLookups, value);
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Interlocked.Decrement(ref _lateLookups) >= 0
            ? Task.FromResult<OrchestrationMetadata?>(null)
            : hub.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
        hub.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        hub.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        hub.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        hub.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        hub.TerminateInstanceAsync(instanceId, options, cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        hub.SuspendInstanceAsync(instanceId, reason, cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        hub.ResumeInstanceAsync(instanceId, reason, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => hub.GetAllInstancesAsync(filter);

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        hub.PurgeInstanceAsync(instanceId, options, cancellation);

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        hub.PurgeAllInstancesAsync(filter, options, cancellation);

    // The task hub's client belongs to its host, which disposes it.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
