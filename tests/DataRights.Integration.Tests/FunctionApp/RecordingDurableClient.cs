using System.Collections.Concurrent;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>
/// The Durable client the Functions host would bind, for the in-process Function App and the announcer's tests: instances
/// read as <see cref="Instances"/> holds them (none: not started), and each start and event is recorded with its input
/// (what was announced); with <see cref="Refusal"/> set, starts and events are refused as a task hub refuses them.
/// </summary>
public sealed class RecordingDurableClient() : DurableTaskClient("recording")
{
    public ConcurrentQueue<(string Name, string InstanceId, object? Input)> Started { get; } = new();

    public ConcurrentQueue<(string InstanceId, string EventName, object? Payload)> Raised { get; } = new();

    public ConcurrentDictionary<string, OrchestrationMetadata> Instances { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, every start and event throws it (the task hub refusing).</summary>
    public Exception? Refusal { get; set; }

    /// <summary>When set, runs before each start is judged (a test letting another caller start the instance just before).</summary>
    public Action? BeforeStart { get; set; }

    /// <summary>
    /// Records the start, or refuses it as a task hub does: an instance of the same id whose status the start's
    /// <see cref="StartOrchestrationOptions.DedupeStatuses"/> name throws <see cref="OrchestrationAlreadyExistsException"/>.
    /// </summary>
    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        if (Refusal is { } refusal)
        {
            return Task.FromException<string>(refusal);
        }

        BeforeStart?.Invoke();
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        if (Instances.TryGetValue(instanceId, out var existing) && options?.DedupeStatuses is { } dedupe && dedupe.Contains(existing.RuntimeStatus.ToString()))
        {
            return Task.FromException<string>(new OrchestrationAlreadyExistsException($"An orchestration with id '{instanceId}' already exists. It's in the {existing.RuntimeStatus} state."));
        }

        Started.Enqueue((orchestratorName.Name, instanceId, input));
        return Task.FromResult(instanceId);
    }

    /// <summary>When set, each instance look-up waits for it first (a test holding look-ups to see them overlap).</summary>
    public Func<Task>? BeforeLookup { get; set; }

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        if (BeforeLookup is { } wait)
        {
            await wait();
        }

        return Instances.GetValueOrDefault(instanceId);
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        if (Refusal is { } refusal)
        {
            return Task.FromException(refusal);
        }

        if (!Instances.ContainsKey(instanceId))
        {
            throw new InvalidOperationException($"No orchestration {instanceId} exists here, so it cannot be sent an event.");
        }

        Raised.Enqueue((instanceId, eventName, eventPayload));
        return Task.CompletedTask;
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
