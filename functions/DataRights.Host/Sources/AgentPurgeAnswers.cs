using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using DataRights.Core.Sources;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// The purge steps waiting for an agent's answer in this process: each purge command carries a signed callback address
/// of its own (step <c>purge.SOURCE</c>, the command id in place of a request id), and the answer posted there completes
/// the wait. An answer that reaches a process where nobody waits for it is refused (409), so the agent tries again
/// later; a wait that runs past the source's time limit fails the purge step, which the next run asks again.
/// </summary>
public sealed class AgentPurgeAnswers(LinkTokens tokens, IOptions<DataRightsOptions> options, TimeProvider time)
{
    private const string StepPrefix = "purge.";
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PurgeOutcome>> _waiting = new(StringComparer.Ordinal);

    /// <summary>A new command id for one purge step (a purge step is repeated as a new command: its batches are idempotent anyway).</summary>
    public string NewCommandId(string sourceKey, PurgeCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return string.Create(CultureInfo.InvariantCulture, $"purge.{sourceKey}.{command.Category}.{command.Cutoff:yyyyMMdd}@{Guid.NewGuid():N}");
    }

    /// <summary>The signed address the agent posts this purge command's answer to.</summary>
    public Uri Callback(string sourceKey, string commandId)
    {
        var token = tokens.Create(LinkPurposes.Callback, commandId, StepPrefix + sourceKey, ConnectorCallbacks.Recipient(sourceKey),
            time.GetUtcNow() + Core.Sources.Registry.SourceRegistrationValidator.MaxAgentTimeout + TimeSpan.FromDays(1));
        return new Uri(options.Value.LinkBase + ConnectorCallbacks.RoutePrefix + token);
    }

    /// <summary>The source of a purge step's callback (its step tag), or null when the tag is a request's step.</summary>
    public static string? SourceOf(string stepTag) =>
        stepTag.StartsWith(StepPrefix, StringComparison.Ordinal) && stepTag.Length > StepPrefix.Length ? stepTag[StepPrefix.Length..] : null;

    /// <summary>Starts waiting for the answer to <paramref name="commandId"/> (before the command is sent, so no answer is missed).</summary>
    public TaskCompletionSource<PurgeOutcome> Expect(string commandId)
    {
        var answer = new TaskCompletionSource<PurgeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[commandId] = answer;
        return answer;
    }

    /// <summary>The answer, or a <see cref="TimeoutException"/> in plain words when none came within <paramref name="within"/>.</summary>
    public async Task<PurgeOutcome> WaitAsync(string commandId, TaskCompletionSource<PurgeOutcome> answer, TimeSpan within, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            return await answer.Task.WaitAsync(within, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The agent did not answer the purge within {within.TotalMinutes:0} minutes; check it is running. The next purge run asks again.");
        }
        finally
        {
            _waiting.TryRemove(commandId, out _);
        }
    }

    /// <summary>Hands a posted answer to the purge step waiting for it; false when none waits here (answered already, or another process's).</summary>
    public bool TryComplete(string commandId, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!_waiting.TryGetValue(commandId, out var answer))
        {
            return false;
        }

        var parsed = Parse(body);
        return parsed.Error is { } error ? answer.TrySetException(new InvalidOperationException("The agent reported: " + error)) : answer.TrySetResult(parsed.Outcome!);
    }

    /// <summary>Reads an agent's purge answer: the counts of the whole category, or <c>{"error": "..."}</c>; anything else is garbage.</summary>
    public static (PurgeOutcome? Outcome, string? Error) Parse(byte[] json)
    {
        PurgeAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize<PurgeAnswer>(json, Json);
        }
        catch (JsonException)
        {
            throw new InvalidDataException("The agent's purge answer is not valid JSON.");
        }

        if (answer is { Error: { Length: > 0 and <= 200 } error })
        {
            return (null, error);
        }

        if (answer is { Applies: false })
        {
            return (PurgeOutcome.NotHeld, null);
        }

        if (answer is { Supported: false })
        {
            return (PurgeOutcome.NotSupported(answer.Note is { Length: > 0 and <= 500 } note ? note : "The agent cannot purge this category automatically."), null);
        }

        return answer is { Scanned: >= 0, Purged: >= 0, Held: >= 0, Complete: { } complete } && answer.Purged <= answer.Scanned
            ? (new PurgeOutcome(answer.Scanned.Value, answer.Purged.Value, answer.Held.Value, complete), null)
            : throw new InvalidDataException("The agent's purge answer is not in the expected shape (counts missing, negative, or more purged than found).");
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record PurgeAnswer(int? Scanned, int? Purged, int? Held, bool? Complete, bool? Applies, bool? Supported, string? Note, string? Error);
}
