using System.Globalization;
using DataRights.Core.Requests;
using Microsoft.DurableTask.Client;

namespace DataRights.Host.Durable;

/// <summary>
/// Where a request's orchestration stands, for staff and operators: its state, what it is doing or waiting for (from
/// its custom status), and one plain sentence. Read from the task hub, beside the request's own record (the store holds
/// the request's state and its evidence; this is only the workflow's progress).
/// </summary>
/// <param name="Instance">The orchestration's instance id.</param>
/// <param name="State">
/// <c>running</c>, <c>pending</c>, <c>suspended</c>, <c>completed</c>, <c>failed</c>, <c>terminated</c>, or <c>missing</c>
/// (not in the task hub).
/// </param>
/// <param name="Summary">The state in a sentence.</param>
/// <param name="StepsRunning">Steps running now.</param>
/// <param name="StepsWaiting">Steps waiting on a durable timer.</param>
/// <param name="NextAt">When the next of those is due.</param>
/// <param name="Next">What it is for ("verification reminder", "email: approval request"...).</param>
/// <param name="LastUpdatedAt">When the orchestration last changed.</param>
public sealed record RequestWorkflow(
    string Instance,
    string State,
    string Summary,
    int? StepsRunning,
    int? StepsWaiting,
    DateTimeOffset? NextAt,
    string? Next,
    DateTimeOffset? LastUpdatedAt)
{
    private const string CheckedHourly = "The hourly workflow check starts it again.";

    /// <summary>Reads the orchestration of <paramref name="request"/> through the flow's Durable client, or the host's.</summary>
    public static async Task<RequestWorkflow> ReadAsync(DataSubjectRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var instanceId = RequestOrchestrator.InstanceId(request.Id);
        if ((DurableClientScope.Current ?? services.GetService<DurableTaskClient>()) is not { } client)
        {
            return new(instanceId, "unknown", "Not known here: this host has no task hub client.", null, null, null, null, null);
        }

        OrchestrationMetadata? instance;
        try
        {
            instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A page or an answer about the request does not fail because the task hub is unreachable.
            return new(instanceId, "unknown", "Not known just now: the task hub did not answer.", null, null, null, null, null);
        }

        var workflow = Of(instanceId, request, instance);
        return workflow.Summary.EndsWith(CheckedHourly, StringComparison.Ordinal) ? await WithHoldAsync(workflow, request, services, cancellationToken) : workflow;
    }

    /// <summary>
    /// A stopped workflow the hourly check leaves stopped for now (it kept stopping after being started again): when the
    /// check tries again, from the request's trail, in place of "the hourly workflow check starts it again".
    /// </summary>
    private static async Task<RequestWorkflow> WithHoldAsync(RequestWorkflow workflow, DataSubjectRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<Core.Ports.IRequestStore>() is not { } store)
        {
            return workflow;
        }

        try
        {
            var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
            if (WorkflowCheckJob.Held(await store.GetAuditTrailAsync(request.Id, cancellationToken), now) is not { } held)
            {
                return workflow;
            }

            var times = held.Restarts == 1 ? "once" : held.Restarts.ToString(CultureInfo.InvariantCulture) + " times";
            var told = held.Restarts >= WorkflowCheckJob.AlertAfterRestarts ? " The check emails the privacy team about it once a day." : string.Empty;
            return workflow with
            {
                Summary = workflow.Summary[..^CheckedHourly.Length]
                    + $"It was started again {times} and stopped again; the hourly workflow check starts it again from "
                    + held.NextTry.ToUniversalTime().ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture) + "." + told,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The sentence as it was: the trail could not be read just now.
            return workflow;
        }
    }

    private static RequestWorkflow Of(string instanceId, DataSubjectRequest request, OrchestrationMetadata? instance)
    {
        // An open request needs its workflow; so does a closed one whose run has not ended (work left after the close).
        var open = !RequestLifecycle.IsFinal(request.Status) || !request.RunEnded;
        if (instance is null)
        {
            return new(instanceId, "missing", open
                ? $"Not running: no workflow carries this {(RequestLifecycle.IsFinal(request.Status) ? "closed request's remaining work" : "open request")}. {CheckedHourly}"
                : "Finished: the request is closed, and its workflow's history has been cleared.", null, null, null, null, null);
        }

        var status = instance.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended
            ? ReadStatus(instance)
            : null;
        var summary = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending => Live(status, awaitsDecisions: !RequestLifecycle.IsFinal(request.Status)),
            OrchestrationRuntimeStatus.Suspended => "Suspended by an operator: nothing moves until it is resumed.",
            OrchestrationRuntimeStatus.Completed when !open => "Finished: the request is closed and nothing is left to do.",
            OrchestrationRuntimeStatus.Completed => $"Stopped: it ended while the request {(RequestLifecycle.IsFinal(request.Status) ? "still has work left" : "is still open")}. {CheckedHourly}",
            OrchestrationRuntimeStatus.Failed => $"Stopped: it failed on an error.{(open ? " " + CheckedHourly : string.Empty)}",
            OrchestrationRuntimeStatus.Terminated => $"Stopped by an operator.{(open ? " " + CheckedHourly : string.Empty)}",
            _ => instance.RuntimeStatus.ToString(),
        };
        return new(
            instanceId,
            instance.RuntimeStatus.ToString().ToLowerInvariant(),
            summary,
            status?.Running,
            status?.Waiting,
            status?.NextAt,
            status?.Next,
            instance.LastUpdatedAt);
    }

    private static RequestRunStatus? ReadStatus(OrchestrationMetadata instance)
    {
        if (string.IsNullOrEmpty(instance.SerializedCustomStatus))
        {
            // None set yet (an orchestration that has not run its first episode).
            return null;
        }

        try
        {
            return instance.ReadCustomStatusAs<RequestRunStatus>();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException)
        {
            // A status this version cannot read (another version's shape): the sentence does without it.
            return null;
        }
    }

    // A closed request awaits no decision: its workflow only finishes the work left after the close.
    private static string Live(RequestRunStatus? status, bool awaitsDecisions)
    {
        var orDecision = awaitsDecisions ? ", or for a decision (a person's link, or staff)." : ".";
        var next = status is { NextAt: { } at, Next: { } what }
            ? $"the {what}, due {at.ToUniversalTime().ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture)}"
            : null;
        return status switch
        {
            { Running: > 0 } => $"Running: {(status.Running == 1 ? "1 step" : $"{status.Running} steps")} in progress{(next is null ? "." : $"; then waiting for {next}.")}",
            _ when next is not null => $"Waiting for {next}{orDecision}",
            _ when awaitsDecisions => "Waiting for a decision (a person's link, or staff).",
            _ => "Finishing the work left after the request closed.",
        };
    }
}
