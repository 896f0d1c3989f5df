using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using DataRights.Core.Sources;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// The calls waiting for an agent's answer in this process, outside a request's steps: retention purges and the
/// follow-up erasures a purge run makes (retention ended, hold lifted). Each such command carries a signed callback
/// address of its own (step <c>waited.SOURCE</c>, the command id in place of a request id), and the answer posted there
/// completes the wait. An answer that reaches a process where nobody waits for it is refused (409), so the agent tries
/// again later; a wait that runs past the source's time limit fails the call, which the next purge run makes again.
/// </summary>
public sealed class AgentWaitedAnswers(LinkTokens tokens, IOptions<DataRightsOptions> options, TimeProvider time)
{
    private const string StepPrefix = "waited.";
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _waiting = new(StringComparer.Ordinal);

    /// <summary>A new command id for one waited call (repeated as a new command: purge batches and erasures are idempotent anyway).</summary>
    public static string NewCommandId(string kind, string sourceKey, string about) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}.{sourceKey}.{about}@{Guid.NewGuid():N}");

    /// <summary>The signed address the agent posts this command's answer to.</summary>
    public Uri Callback(string sourceKey, string commandId)
    {
        var token = tokens.Create(LinkPurposes.Callback, commandId, StepPrefix + sourceKey, ConnectorCallbacks.Recipient(sourceKey),
            time.GetUtcNow() + Core.Sources.Registry.SourceRegistrationValidator.MaxAgentTimeout + TimeSpan.FromDays(1));
        return new Uri(options.Value.LinkBase + ConnectorCallbacks.RoutePrefix + token);
    }

    /// <summary>The source of a waited call's callback (its step tag), or null when the tag is a request's step.</summary>
    public static string? SourceOf(string stepTag) =>
        stepTag.StartsWith(StepPrefix, StringComparison.Ordinal) && stepTag.Length > StepPrefix.Length ? stepTag[StepPrefix.Length..] : null;

    /// <summary>Starts waiting for the answer to <paramref name="commandId"/> (before the command is sent, so no answer is missed).</summary>
    public TaskCompletionSource<byte[]> Expect(string commandId)
    {
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[commandId] = answer;
        return answer;
    }

    /// <summary>The answer, or a <see cref="TimeoutException"/> in plain words when none came within <paramref name="within"/>.</summary>
    public async Task<byte[]> WaitAsync(string commandId, TaskCompletionSource<byte[]> answer, TimeSpan within, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            return await answer.Task.WaitAsync(within, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The agent did not answer within {within.TotalMinutes:0} minutes; check it is running. The next purge run asks again.");
        }
        finally
        {
            _waiting.TryRemove(commandId, out _);
        }
    }

    /// <summary>Hands a posted answer to the call waiting for it; false when none waits here (answered already, or another process's).</summary>
    public bool TryComplete(string commandId, byte[] body) => _waiting.TryGetValue(commandId, out var answer) && answer.TrySetResult(body);

    /// <summary>An answer <c>{"error": "..."}</c>: the agent's reason, or null.</summary>
    public static string? ReportedError(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String && error.GetString() is { Length: > 0 and <= 200 } text
                ? text
                : null;
        }
        catch (JsonException)
        {
            throw new InvalidDataException("The agent's answer is not valid JSON.");
        }
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
