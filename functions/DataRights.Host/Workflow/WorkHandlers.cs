using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;
using DataRights.Host.Email;
using DataRights.Host.Sources;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Workflow;

/// <summary>Sends one workflow message (per recipient), rendered from the request as it is now. The sender is idempotent on the message id.</summary>
public sealed partial class MessageWorkHandler(
    IRequestStore store, MessageComposer composer, IEmailSender sender, IDataSourceRegistry sources, ManualTasks manualTasks, ISourceRegistrationStore registrations,
    WorkflowEngine engine, ILogger<MessageWorkHandler> logger) : IWorkHandler
{
    public string Kind => WorkItem.Message;

    public async Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        var payload = WorkflowJson.Deserialize<WorkItem.MessagePayload>(item.Item.Payload);
        // The request as the step read it just before (the step reads it to find the work owed), not read again.
        if (!Kebab.TryParse<MessageKind>(payload.Kind, out var kind) || await store.GetRecentAsync(item.Item.RequestId, cancellationToken) is not { } request)
        {
            return;
        }

        var key = item.Item.Id[(item.Item.Id.LastIndexOf(':') + 1)..];
        if (kind == MessageKind.ManualTask)
        {
            // A reminder of a task still open: sent again to the source's owner, with a fresh link.
            if (RequestDecider.ParseStepTag(key) is { } step && RequestDecider.IsOpenStep(request, step.Step, step.Source, step.Round)
                && sources.Connector(step.Source) is ManualSourceConnector manual)
            {
                await manualTasks.SendAsync(item.Item.Id, request, step.Source, ManualTasks.Step(step.Step, step.Source, step.Round), manual, cancellationToken);
                logger.MessageSent(request.Id, payload.Kind, alreadySent: false);
            }

            return;
        }

        if (kind == MessageKind.RecipientNotice)
        {
            await NotifyRecipientsAsync(item.Item.Id, request, cancellationToken);
            return;
        }

        var recipients = kind == MessageKind.Completion ? await RecipientsAsync(cancellationToken) : null;
        await SendEachAsync(composer.Compose(item.Item.Id, request, kind, key, recipients), request.Id, payload.Kind, cancellationToken);
    }

    /// <summary>
    /// Sends each message (to each approver, each recipient): one refused for good (a mistyped address) does not keep the
    /// others from going; the first such refusal is thrown once every message was tried, so the step is given up and
    /// staff alerted. A refusal that may pass (the provider down) is thrown at once: the step runs again, and the sender
    /// sends none twice.
    /// </summary>
    private async Task SendEachAsync(IEnumerable<EmailMessage> messages, string requestId, string kind, CancellationToken cancellationToken)
    {
        Exception? refused = null;
        foreach (var message in messages)
        {
            try
            {
                var result = await sender.SendAsync(message, cancellationToken);
                logger.MessageSent(requestId, kind, result.AlreadySent);
            }
            catch (Exception ex) when (WorkItemRunner.IsPermanent(ex))
            {
                refused ??= ex;
            }
        }

        if (refused is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refused);
        }
    }
}

/// <summary>Art. 19 notices, then their record on the request. The sender is idempotent on each message id, so a retry sends none twice.</summary>
public sealed partial class MessageWorkHandler
{
    private async Task NotifyRecipientsAsync(string messageId, DataSubjectRequest request, CancellationToken cancellationToken)
    {
        var recipients = await RecipientsAsync(cancellationToken);
        var notices = request.Progress.Sources
            .Where(s => s.Changed)
            .SelectMany(s => recipients.GetValueOrDefault(s.Key, []).Select(r => (s, r)))
            .ToList();
        await SendEachAsync(composer.ComposeRecipientNotices(messageId, request, notices), request.Id, Kebab.Of(MessageKind.RecipientNotice), cancellationToken);

        await engine.ApplyAsync(request.Id, new RecipientsNotified(
            "system:recipients", notices.Where(n => n.r.Email is not null).Select(n => n.r.Email).Distinct().Count(), notices.Count(n => n.r.Email is null)), cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<SourceRecipient>>> RecipientsAsync(CancellationToken cancellationToken) =>
        (await registrations.ListAsync(cancellationToken)).ToDictionary(
            r => r.Registration.Key, r => (IReadOnlyList<SourceRecipient>)[.. r.Registration.Recipients.Select(SourceRecipient.Parse)], StringComparer.Ordinal);
}

/// <summary>
/// Asks one source what it holds about the person, within the discovery timeout: a search the request's orchestration
/// runs from its stage (<see cref="Durable.RunSourceStepActivity"/>).
/// </summary>
public sealed class SearchSourceStep(
    IRequestStore store, IDataSourceRegistry sources, WorkflowEngine engine, ManualTasks manualTasks, ConnectorCallbacks callbacks, IOptions<WorkflowOptions> options)
{
    /// <summary>
    /// One attempt at the search. A source's failure on the last attempt is recorded as the source's; on an earlier one
    /// it is thrown.
    /// </summary>
    public async Task RunAsync(SourceStepAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);

        // The request as this process last read or wrote it (a search is a read, and the answer's commit is refused if
        // the request changed since, then decided again on a fresh read); a search it says is no longer open is taken as
        // done only on a fresh read, since another instance may have opened it since.
        var request = await store.GetRecentAsync(attempt.RequestId, cancellationToken);
        if (request is null || !RequestDecider.IsOpenStep(request, SourceStep.Discover, attempt.Source, attempt.Round))
        {
            request = await store.GetAsync(attempt.RequestId, cancellationToken);
            if (request is null || !RequestDecider.IsOpenStep(request, SourceStep.Discover, attempt.Source, attempt.Round))
            {
                return;
            }
        }

        const string actor = "system:discovery";
        if (sources.Connector(attempt.Source) is not { } connector)
        {
            await engine.ApplyAsync(request.Id, new SourceDiscoveryFailed(actor, attempt.Source, attempt.Round, "The source is no longer registered."), cancellationToken);
            return;
        }

        // A manual source answers when its owner does; the step stays pending until then.
        if (connector is ManualSourceConnector manual)
        {
            await manualTasks.SendAsync(attempt.StepId, request, attempt.Source, ManualTasks.Step(SourceStep.Discover, attempt.Source, attempt.Round), manual, cancellationToken);
            await engine.ApplyAsync(request.Id, new SourceAnswerAwaited("owner:" + manual.Owner, attempt.Source, SourceStep.Discover, attempt.Round, RemindOwner: true), cancellationToken);
            return;
        }

        // Only the source's answer is inside the last attempt's catch: a failure to record it (the store) is not the
        // source's, and runs the step again rather than recording the source as failed.
        WorkflowEvent answer;
        try
        {
            var call = SourceCalls.Call(request, callbacks, SourceStep.Discover, attempt.Source, attempt.Round);
            var findings = await SourceCalls.WithTimeoutAsync(token => connector.DiscoverAsync(call, token), options.Value.DiscoveryTimeout, cancellationToken);
            answer = findings.Deferred
                ? new SourceAnswerAwaited(actor, attempt.Source, SourceStep.Discover, attempt.Round, RemindOwner: false) { AnswerWithin = (connector as ISignedAnswerSource)?.AnswerWithin }
                : new SourceDiscovered(actor, attempt.Source, attempt.Round, findings);
        }
        catch (Exception ex) when (attempt.IsLastAttempt && !cancellationToken.IsCancellationRequested)
        {
            answer = new SourceDiscoveryFailed(actor, attempt.Source, attempt.Round, SourceCalls.Describe(ex, attempt.Attempt));
        }

        await engine.ApplyAsync(request.Id, answer, cancellationToken);
    }
}

/// <summary>
/// Carries out the approved action at one source, unless this delivery is stale or already done, or a
/// legal hold covers the person or the source: then nothing is erased and the hold is the recorded basis.
/// </summary>
public sealed class CarryOutAtSourceStep(
    IRequestStore store, IDataSourceRegistry sources, ILegalHoldStore holds, WorkflowEngine engine, ManualTasks manualTasks, ConnectorCallbacks callbacks,
    Exports.ExportFiles exports, IOptions<WorkflowOptions> options)
{

    /// <summary>
    /// The step's outcome while a legal hold covers the person or the source: nothing erased, the source's records kept on
    /// the hold (legal claims), and what the person is told about it. Also what an agent's check before erasing records
    /// (<see cref="ConnectorCallbackEndpoints"/>) when a hold was placed after the command was sent.
    /// </summary>
    public static SourceExecuted Held(LegalHold hold, IDataSourceConnector connector, SourceProgress source, int round)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentNullException.ThrowIfNull(source);

        // Promised only where the held follow-up will keep the promise.
        var note = Retention.FollowUpErasures.ErasedOnceHoldLifted(connector)
            ? "Nothing was erased here while a legal hold stands. When it ends we erase these records and tell you; you can ask us at any time whether it still applies."
            : "Nothing was erased here while a legal hold stands. Ask us at any time whether it still applies; once it ends, you can ask us again to erase these records.";
        var held = new ExecutionOutcome(0, 0, 0, 0, [new RetainedRecords(RetainedRecords.LegalHoldCategory, source.Findings?.RecordCount ?? 0, $"of a legal hold ({hold.Reason})", null) { Ground = ErasureGround.LegalClaims }], note);
        return new SourceExecuted("system:legal-hold", source.Key, round, held);
    }

    /// <summary>
    /// One attempt at carrying the request out at the source. A source's failure on the last attempt is recorded as the
    /// source's; on an earlier one it is thrown.
    /// </summary>
    public async Task RunAsync(SourceStepAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var request = await store.GetAsync(attempt.RequestId, cancellationToken);
        if (request is null || !RequestDecider.IsOpenStep(request, SourceStep.Execute, attempt.Source, attempt.Round))
        {
            // A repeated delivery of an outcome already recorded (the host may have stopped right after): what follows from it is recorded too.
            if (request?.Progress.Source(attempt.Source) is { Execution: StepState.Succeeded } done && done.ExecutionRound == attempt.Round)
            {
                await engine.AfterSourceExecutedAsync(request, attempt.Source, cancellationToken);
            }

            return;
        }

        var source = request.Progress.Source(attempt.Source)!;
        const string actor = "system:execution";
        if (sources.Connector(attempt.Source) is not { } connector)
        {
            await engine.ApplyAsync(request.Id, new SourceExecutionFailed(actor, attempt.Source, attempt.Round, "The source is no longer registered."), cancellationToken);
            return;
        }

        if (request.Type == RequestType.Erasure
            && (await holds.ListAsync(cancellationToken)).FirstOrDefault(h => h.Covers(request.Email, attempt.Source)) is { } hold)
        {
            await engine.ApplyAsync(request.Id, Held(hold, connector, source, attempt.Round), cancellationToken);
            return;
        }

        if (connector is ManualSourceConnector manual)
        {
            await manualTasks.SendAsync(attempt.StepId, request, attempt.Source, ManualTasks.Step(SourceStep.Execute, attempt.Source, attempt.Round), manual, cancellationToken);
            await engine.ApplyAsync(request.Id, new SourceAnswerAwaited("owner:" + manual.Owner, attempt.Source, SourceStep.Execute, attempt.Round, RemindOwner: true), cancellationToken);
            return;
        }

        // Only the source's answer is inside the last attempt's catch: a failure to record it (the store) is not the
        // source's, and runs the step again rather than recording the source as failed though it did its part.
        WorkflowEvent answer;
        try
        {
            answer = await AnswerAsync(request, source, connector, attempt, actor, cancellationToken);
        }
        catch (Exception ex) when (attempt.IsLastAttempt && !cancellationToken.IsCancellationRequested)
        {
            answer = new SourceExecutionFailed(actor, attempt.Source, attempt.Round, SourceCalls.Describe(ex, attempt.Attempt));
        }

        await engine.ApplyAsync(request.Id, answer, cancellationToken);
    }

    /// <summary>Carries the request out at the source, and says what it answered (nothing recorded here).</summary>
    private async Task<WorkflowEvent> AnswerAsync(
        DataSubjectRequest request, SourceProgress source, IDataSourceConnector connector, SourceStepAttempt step, string actor, CancellationToken cancellationToken)
    {
        var attempt = step.Attempt;
        var call = SourceCalls.Call(request, callbacks, SourceStep.Execute, step.Source, step.Round);
        if (RequestDecider.ProducesExport(request.Type))
        {
            // A copy, streamed into this source's sealed part of the export; a retry overwrites it. A source
            // that answers later (202) leaves no part: its callback writes it.
            var copied = await SourceCalls.WithTimeoutAsync(
                token => exports.WritePartAsync(request.Id, step.Source, sink => connector.ExportAsync(call, sink, token), token),
                options.Value.ExecutionTimeout,
                cancellationToken);
            return copied.Deferred
                ? new SourceAnswerAwaited(actor, step.Source, SourceStep.Execute, step.Round, RemindOwner: false) { AnswerWithin = (connector as ISignedAnswerSource)?.AnswerWithin }
                : new SourceExecuted(actor, step.Source, step.Round, copied);
        }

        var outcome = await SourceCalls.WithTimeoutAsync(
            token => connector.ExecuteAsync(call, request.Type, request.Progress.Approval?.Instructions, token), options.Value.ExecutionTimeout, cancellationToken);
        if (outcome.Deferred)
        {
            return new SourceAnswerAwaited(actor, step.Source, SourceStep.Execute, step.Round, RemindOwner: false) { AnswerWithin = (connector as ISignedAnswerSource)?.AnswerWithin };
        }

        if (request.Type == RequestType.Erasure)
        {
            // Proof: search again; only what the law lets us keep may still be found.
            var after = await SourceCalls.WithTimeoutAsync(token => connector.DiscoverAsync(call with { Callback = null }, token), options.Value.DiscoveryTimeout, cancellationToken);
            var kept = outcome.Retained.Select(r => r.Category).ToHashSet(StringComparer.Ordinal);
            var left = after.Deferred ? null : after.Categories.Where(c => !kept.Contains(c)).ToList();
            if (left is { Count: > 0 })
            {
                return new SourceExecutionFailed(actor, step.Source, step.Round,
                    $"After erasure a new search still found {string.Join(", ", left.Select(c => sources.ActiveSources().FirstOrDefault(d => d.Key == step.Source)?.CategoryName(c) ?? CategoryNames.FromKey(c)))}; nothing was marked done.");
            }

            outcome = outcome with { RemainingCategories = after.Deferred ? null : [.. after.Categories] };
            if (attempt > 1 && source.Findings is { RecordCount: var found })
            {
                // An earlier attempt was interrupted after changing the source: what it erased is no longer
                // there to count now, so the trail says how many of the records found had already gone.
                outcome = outcome with { GoneBeforeThisAttempt = Math.Max(0, found - outcome.Erased - outcome.Masked - outcome.Retained.Sum(r => r.Count)) };
            }
        }

        return new SourceExecuted(actor, step.Source, step.Round, outcome);
    }
}

internal static class SourceCalls
{
    public static SubjectIdentity Identity(DataSubjectRequest request) =>
        new(request.Email, request.FullName, request.AccountReference) { DataPoints = request.DataPoints ?? [] };

    /// <summary>The call for one step; sources that may answer later (HTTP) get a signed callback address.</summary>
    public static SourceCall Call(DataSubjectRequest request, ConnectorCallbacks callbacks, SourceStep step, string sourceKey, int round) =>
        new(Identity(request), request.Id, callbacks.Create(request.Id, step, sourceKey, round)) { Step = RequestDecider.StepTag(step, sourceKey, round) };

    public static async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await call(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The source did not answer within {timeout.TotalSeconds:0} seconds.");
        }
    }

    public static string Describe(Exception ex, int attempts) =>
        ex is TimeoutException
            ? $"{ex.Message} (after {attempts} attempts)"
            : $"{ex.GetType().Name} (after {attempts} attempts)";
}
