using DataRights.Core.Agents;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;

namespace DataRights.Host.Sources;

/// <summary>
/// A system inside a firm's network, reached through the firm's on-premises agent (docs/agent.md): every step is a
/// command on the agent's queue, sealed with the secret the two share, and the agent answers later through the step's
/// signed callback, over HTTPS from inside the network (no inbound port there). The command id is the step and the
/// request (<c>discover.hr.1@REQUEST</c>), so a step sent again is the same message; a command that nobody answers
/// within the source's time limit fails the step with that reason.
/// </summary>
public sealed class AgentSourceConnector(
    IAgentCommandQueue queue, AgentWaitedAnswers waitedAnswers, SourceRegistration registration, byte[] secret, TimeProvider time, ILogger? logger = null)
    : IDataSourceConnector, ISignedAnswerSource
{
    private readonly string _agent = registration.Connection["agent"];

    /// <summary>The queue this source's commands go to.</summary>
    public string Queue => SourceRegistrationValidator.AgentQueue(_agent);

    public TimeSpan? AnswerWithin { get; } = SourceRegistrationValidator.AgentTimeout(registration);

    /// <summary>The agent is not asked: a test command would be answered only later. What the registration means is said instead.</summary>
    public Task<ConnectionTest> TestAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ConnectionTest(true,
            $"Commands for this source go to the queue {Queue} of agent {_agent}; it has {AnswerWithin!.Value.TotalMinutes:0} minutes to answer each. Whether the agent is running shows when it answers."));

    public async Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken)
    {
        await SendAsync(AgentCommandKind.Discover, call, cancellationToken);
        return DiscoveryFindings.Later;
    }

    public async Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (action != RequestType.Erasure)
        {
            return ExecutionOutcome.Nothing with { Note = $"This system cannot carry out {action.Name()} requests through its agent; our privacy team does it by hand." };
        }

        if (call.Callback is null)
        {
            // A follow-up erasure of a purge run (retention ended, hold lifted): outside a request's steps, so waited for here.
            var id = AgentWaitedAnswers.NewCommandId(AgentCommandKind.Erase, registration.Key, "follow-up");
            var answer = await SendAndWaitAsync(new AgentCommand(id, AgentCommandKind.Erase, registration.Key, time.GetUtcNow())
            {
                Subject = call.Subject,
                RequestId = call.RequestId,
            }, cancellationToken);
            return HttpSourceConnector.ParseErasure(answer);
        }

        await SendAsync(AgentCommandKind.Erase, call, cancellationToken);
        return ExecutionOutcome.Later;
    }

    public async Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken)
    {
        await SendAsync(AgentCommandKind.Export, call, cancellationToken);
        return ExecutionOutcome.Later;
    }

    /// <summary>
    /// Sends the whole purge of the category as one command (the agent runs it in local batches) and waits for the
    /// agent's answer, within the source's time limit; no answer by then fails this purge step, which the next run
    /// asks again.
    /// </summary>
    public async Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var id = AgentWaitedAnswers.NewCommandId(AgentCommandKind.Purge, registration.Key, $"{command.Category}.{command.Cutoff:yyyyMMdd}");
        var answer = await SendAndWaitAsync(new AgentCommand(id, AgentCommandKind.Purge, registration.Key, time.GetUtcNow())
        {
            Purge = new AgentPurgeOrder(command.Category, command.Cutoff, command.BatchSize, command.DryRun, [.. command.HeldSubjects.Order(StringComparer.Ordinal)]),
        }, cancellationToken);
        return AgentWaitedAnswers.Parse(answer).Outcome!;
    }

    // Sends a command outside a request's steps and waits here for its answer (an error answer is thrown, in the agent's words).
    private async Task<byte[]> SendAndWaitAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        var waiting = waitedAnswers.Expect(command.CommandId);
        command = command with { Callback = waitedAnswers.Callback(registration.Key, command.CommandId), AnswerBy = command.IssuedAt + AnswerWithin!.Value };
        await queue.SendAsync(Queue, new OutgoingAgentCommand(command.CommandId, command.Kind, registration.Key, AgentEnvelope.Seal(command, secret), AnswerWithin.Value), cancellationToken);
        logger?.AgentCommandSent(registration.Key, command.Kind, command.CommandId);
        var answer = await waitedAnswers.WaitAsync(command.CommandId, waiting, AnswerWithin.Value, cancellationToken);
        return AgentWaitedAnswers.ReportedError(answer) is { } error ? throw new InvalidOperationException("The agent reported: " + error) : answer;
    }

    public bool IsFromSource(string? timestamp, string? signature, byte[] body) => HttpSourceConnector.IsAuthentic(secret, timestamp, signature, body, time.GetUtcNow());

    /// <summary>The command id of a request's step: stable across re-sends of the step, different for every step and round.</summary>
    public static string CommandId(SourceCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Step.Length > 0 && call.RequestId.Length > 0
            ? $"{call.Step}@{call.RequestId}"
            : throw new InvalidOperationException("An agent is sent only the steps of a request.");
    }

    private async Task SendAsync(string kind, SourceCall call, CancellationToken cancellationToken)
    {
        if (call.Callback is null)
        {
            throw new InvalidOperationException("An agent answers only through a callback; this call has none.");
        }

        var id = CommandId(call);
        var now = time.GetUtcNow();
        var command = new AgentCommand(id, kind, registration.Key, now)
        {
            Subject = call.Subject,
            RequestId = call.RequestId,
            Callback = call.Callback,
            AnswerBy = now + AnswerWithin!.Value,
        };
        await queue.SendAsync(Queue, new OutgoingAgentCommand(id, kind, registration.Key, AgentEnvelope.Seal(command, secret), AnswerWithin.Value), cancellationToken);
        logger?.AgentCommandSent(registration.Key, kind, id);
    }
}
