using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Workflow;

/// <summary>
/// Applies events to requests: load, decide (pure), chain the audit drafts, commit the state, its
/// audit entries and its work items in one transaction guarded by the request's version; on a
/// conflict, reload and decide again.
/// </summary>
public sealed class WorkflowEngine(
    IRequestStore store,
    IDataSourceRegistry sources,
    DeadlineRegimes regimes,
    DeadlineCalculator calculator,
    IOptions<WorkflowOptions> options,
    IOptions<Hosting.DataRightsOptions> dataRights,
    IOptions<Verification.VerificationOptions> verification,
    TimeProvider time,
    ILogger<WorkflowEngine> logger,
    IEnumerable<ISourceExecutedHook> sourceExecutedHooks,
    ICommitAnnouncer announcer)
{
    private const int MaxConflicts = 20;

    // A commit is one entity-group transaction: the request row, its audit entries and its new work items, at most
    // 100 operations. Events applied together stop short of that, leaving room for the request row.
    private const int MaxOperationsPerCommit = 90;

    // Events for one request applied in this process are committed together instead of racing each other into
    // version conflicts or taking turns (a 20-source fan-in would otherwise commit twenty times, one after another):
    // the first to arrive applies every event waiting for the same request in one commit. The version check still
    // guards against other processes.
    private readonly Dictionary<string, RequestGate> gates = new(StringComparer.Ordinal);

    private readonly Lazy<Core.Verification.VerificationPolicy> policy = new(() => verification.Value.ToPolicy());

    /// <summary>The verification levels and fallbacks in force (configuration over the defaults).</summary>
    public Core.Verification.VerificationPolicy VerificationPolicy => policy.Value;

    public DecisionContext ContextFor(DataSubjectRequest request) =>
        new(time.GetUtcNow(), regimes.For(request.Jurisdiction), calculator,
            options.Value.ToSettings() with { LinkEmailsPerDay = dataRights.Value.Intake.LinkEmailsPerDay, Verification = policy.Value }, sources.ActiveSources());

    /// <summary>
    /// Starts the orchestration of a request about to be stored (intake, once its submission is claimed), so that it
    /// reads the request's first work once the request is written; throws <see cref="OrchestrationUnavailableException"/>
    /// when it cannot be started (the request is then not written).
    /// </summary>
    public Task AnnounceNewAsync(DataSubjectRequest request, CancellationToken cancellationToken) =>
        announcer.AnnounceNewAsync(request.Id, request.Version, cancellationToken);

    /// <summary>
    /// After a new request whose orchestration was started before it was written has been written, <paramref name="since"/>
    /// after the submission began: announced again if that took so long its orchestration may have stopped waiting.
    /// </summary>
    public Task NewRequestLandedAsync(DataSubjectRequest request, TimeSpan since, CancellationToken cancellationToken) =>
        announcer.LandedAsync(request.Id, request.Version, since, cancellationToken);

    /// <summary>The decider's first step for a request being stored (used inside the intake transaction).</summary>
    public Decision Start(DataSubjectRequest received, string actor) =>
        RequestDecider.Decide(received, new RequestSubmitted(actor), ContextFor(received));

    /// <summary>
    /// Runs the hooks that follow a recorded execution outcome (follow-up erasures). Also called for an
    /// outcome recorded earlier, when its delivery is repeated: the hooks are idempotent.
    /// </summary>
    public async Task AfterSourceExecutedAsync(DataSubjectRequest request, string sourceKey, CancellationToken cancellationToken)
    {
        foreach (var hook in sourceExecutedHooks)
        {
            await hook.SourceExecutedAsync(request, sourceKey, cancellationToken);
        }
    }

    /// <summary>
    /// Applies <paramref name="e"/>; null when the request does not exist. Events for the same request arriving
    /// while another is being committed are decided one after another, in order of arrival, and committed together.
    /// </summary>
    public async Task<Decision?> ApplyAsync(string requestId, WorkflowEvent e, CancellationToken cancellationToken)
    {
        var mine = new PendingEvent(e, OrchestrationStep.Of(requestId));
        var gate = Enter(requestId, mine);
        try
        {
            try
            {
                await gate.Turn.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                lock (gate)
                {
                    if (gate.Waiting.Remove(mine))
                    {
                        throw;
                    }
                }

                // Another caller took this event into its commit: its answer is this one's.
                return await mine.Result.Task;
            }

            try
            {
                if (!mine.Result.Task.IsCompleted)
                {
                    List<PendingEvent> batch;
                    lock (gate)
                    {
                        batch = [.. gate.Waiting];
                        gate.Waiting.Clear();
                    }

                    await ApplyTogetherAsync(requestId, batch, cancellationToken);
                }
            }
            finally
            {
                gate.Turn.Release();
            }

            return await mine.Result.Task;
        }
        finally
        {
            Leave(requestId, gate);
        }
    }

    private RequestGate Enter(string requestId, PendingEvent pending)
    {
        lock (gates)
        {
            if (!gates.TryGetValue(requestId, out var gate))
            {
                gates[requestId] = gate = new RequestGate();
            }

            gate.Users++;
            lock (gate)
            {
                gate.Waiting.Add(pending);
            }

            return gate;
        }
    }

    private void Leave(string requestId, RequestGate gate)
    {
        lock (gates)
        {
            if (--gate.Users == 0)
            {
                gates.Remove(requestId);
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="batch"/> (in order) and settles each one's answer. One event alone uses its caller's
    /// cancellation; several do not, so that one caller giving up cannot fail the others' commit. If applying them
    /// together fails, each is applied alone, so one event's failure is only its own.
    /// </summary>
    private async Task ApplyTogetherAsync(string requestId, List<PendingEvent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 1)
        {
            await ApplyAloneAsync(requestId, batch[0], cancellationToken);
            return;
        }

        try
        {
            var rest = batch;
            while (rest.Count > 0)
            {
                rest = await ApplyOnceAsync(requestId, rest, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            logger.EventsAppliedAlone(requestId, batch.Count, ex.GetType().Name);
            foreach (var pending in batch.Where(p => !p.Result.Task.IsCompleted))
            {
                await ApplyAloneAsync(requestId, pending, CancellationToken.None);
            }
        }
    }

    /// <summary>Applies one event in a commit of its own; a failure becomes its caller's answer.</summary>
    private async Task ApplyAloneAsync(string requestId, PendingEvent pending, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyOnceAsync(requestId, [pending], cancellationToken);
        }
        catch (Exception ex)
        {
            pending.Result.TrySetException(ex);
        }
    }

    /// <summary>
    /// Decides the first events of <paramref name="pending"/> against the stored request, one after another, and
    /// commits their state, audit entries and work in one transaction guarded by the request's version (on a conflict,
    /// reloads and decides again). Settles the events it committed and returns those left for the next commit (past
    /// a transaction's size).
    /// </summary>
    private async Task<List<PendingEvent>> ApplyOnceAsync(string requestId, List<PendingEvent> pending, CancellationToken cancellationToken)
    {
        // The version last announced to the request's orchestration. After a conflict the commit gives the request another
        // version, announced again: the orchestration reads the work once the request has reached the version announced,
        // and another writer's commit may have reached the first one.
        long? announced = null;
        var announcedAt = 0L;

        // Steps of the request's orchestration decide first on the request as this process last read or wrote it (the
        // step has just read it): no read, and a commit on it is refused if the request changed since (then it is read).
        // A decision on it that changes nothing, or a request not found, is checked against a fresh read.
        var onRecent = pending.TrueForAll(p => p.ByStep);
        for (var attempt = 1; attempt <= MaxConflicts; attempt++)
        {
            var fromRecent = onRecent && attempt == 1;
            var request = fromRecent ? await store.GetRecentAsync(requestId, cancellationToken) : await store.GetAsync(requestId, cancellationToken);
            var round = request is null ? null : DecideInTurn(request, pending);
            if (fromRecent && (round is null || round.Decisions.TrueForAll(d => !d.Decision.Changed)))
            {
                request = await store.GetAsync(requestId, cancellationToken);
                round = request is null ? null : DecideInTurn(request, pending);
            }

            if (request is null || round is null)
            {
                foreach (var p in pending)
                {
                    p.Result.TrySetResult(null);
                }

                return [];
            }

            if (round.Decisions.TrueForAll(d => !d.Decision.Changed))
            {
                // Nothing changed: no commit.
                await SettleAsync(round, request, cancellationToken);
                return pending[round.Decisions.Count..];
            }

            // A step of the request's orchestration among the callers takes the work back in its result (it reads the
            // request's open work after this commit); a decision made outside it announces the commit to it first, and is
            // not made when it cannot (OrchestrationUnavailableException: nothing changes, the caller may try again). An
            // orchestration that has ended (the request was closed with nothing left) is not told but started anew.
            var announcing = System.Diagnostics.Stopwatch.GetTimestamp();
            // Work committed is announced unless a step of the orchestration is among the callers (it hands the work back);
            // a decision that starts the request's workflow (a restart, which commits no work) always is: its orchestration
            // has stopped, so a step committed with it (an activity the stopped one left running) hands back to nobody.
            // So is one that changes the timers the request waits for (a due date moved, a clock stopped or started) or
            // the source steps it waits to have run (a discovery or execution started, a failed step retried), work or
            // none: the orchestration keeps those timers and runs those steps.
            var announces = round.Decisions.Exists(d => d.Decision.Changed && d.Decision.StartsWorkflow)
                || ((round.Items.Count > 0 || !TimerWork.Waiting(request).SequenceEqual(TimerWork.Waiting(round.Updated))
                        || !RequestDecider.StepsToRun(request).SequenceEqual(RequestDecider.StepsToRun(round.Updated)))
                    && !round.Decisions.Exists(d => d.Pending.ByStep));
            if (announces && announced != request.Version + 1)
            {
                await announcer.AnnounceAsync(requestId, request.Version + 1, request.RunEnded, Durable.JourneySteps.EventFor(round.Decisions.Where(d => d.Decision.Changed).Select(d => d.Pending.Event)), cancellationToken);
                announcedAt = announcing;
                announced = request.Version + 1;
            }

            // Work committed, source steps to run (a failed request's steps retried) or a timer to wait for (a closed
            // request's restriction lift) means an orchestration to run them (told, or started): the run is not ended.
            var updated = round.Updated with
            {
                Version = request.Version + 1,
                RunEnded = request.RunEnded && round.Items.Count == 0 && RequestDecider.StepsToRun(round.Updated).Count == 0
                    && TimerWork.Waiting(round.Updated).Count == 0,
            };
            if (await CommitAsync(updated, request.Version, round, cancellationToken))
            {
                // Each step whose decision went into the commit hands its work back from here, without reading it again.
                foreach (var step in StepsOf(round))
                {
                    step.Record(updated, [.. updated.Progress.Owed.Select(o => o.For(requestId))]);
                }

                if (announces)
                {
                    await announcer.LandedAsync(requestId, updated.Version, System.Diagnostics.Stopwatch.GetElapsedTime(announcedAt), cancellationToken);
                }

                await SettleAsync(round with { Updated = updated }, request, cancellationToken);
                return pending[round.Decisions.Count..];
            }

            logger.VersionConflict(requestId, attempt);
        }

        throw new InvalidOperationException($"Request {requestId} kept changing under us; gave up after {MaxConflicts} attempts.");
    }

    private static IEnumerable<OrchestrationStep> StepsOf(Round round) => round.Decisions.Select(d => d.Pending.Step).OfType<OrchestrationStep>().Distinct();

    /// <summary>
    /// Commits <paramref name="round"/> as <paramref name="updated"/>. A commit that fails may still have landed (the
    /// transaction's answer lost, or a clean-up after it failing): the steps whose decisions went into it read the request
    /// for their result (<see cref="OrchestrationStep.MarkUncertain"/>), since their decisions made again change nothing;
    /// and one found landed (the request at its version, with its audit entries' head) stands.
    /// </summary>
    private async Task<bool> CommitAsync(DataSubjectRequest updated, long expectedVersion, Round round, CancellationToken cancellationToken)
    {
        try
        {
            return await store.CommitAsync(updated, expectedVersion, round.Entries, cancellationToken);
        }
        catch (Exception ex)
        {
            foreach (var step in StepsOf(round))
            {
                step.MarkUncertain();
            }

            if (round.Entries.Count == 0 || !await LandedAsync(updated))
            {
                throw;
            }

            logger.CommitLandedDespiteError(updated.Id, updated.Version, ex.GetType().Name);
            return true;
        }
    }

    /// <summary>Whether the request is stored as <paramref name="updated"/> (its version and audit head); false when that cannot be read.</summary>
    private async Task<bool> LandedAsync(DataSubjectRequest updated)
    {
        try
        {
            return await store.GetAsync(updated.Id, CancellationToken.None) is { } stored && stored.Version == updated.Version && stored.AuditHead == updated.AuditHead;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The decider on each event in turn, each seeing the request as the ones before it left it, until the commit
    /// would grow past a transaction (the first event is always taken).
    /// </summary>
    private Round DecideInTurn(DataSubjectRequest request, List<PendingEvent> pending)
    {
        var current = request;
        var entries = new List<AuditEntry>();
        var items = new List<WorkItem>();
        var decisions = new List<(PendingEvent Pending, Decision Decision)>();
        foreach (var p in pending)
        {
            var decision = RequestDecider.Decide(current, p.Event, ContextFor(current));
            if (!decision.Changed)
            {
                decisions.Add((p, decision));
                continue;
            }

            if (decisions.Count > 0 && 1 + entries.Count + decision.Audit.Count > MaxOperationsPerCommit)
            {
                break;
            }

            // The work the decision owes that the request did not owe before (kept in the request itself: no row of its own).
            items.AddRange(decision.Request.Progress.Owed.Where(o => !current.Progress.Owed.Any(known => known.Id == o.Id)).Select(o => o.For(request.Id)));
            var (added, head) = AuditChain.Extend(current.AuditHead, request.Id, decision.Audit);
            current = decision.Request with { Version = request.Version, AuditHead = head ?? current.AuditHead };
            entries.AddRange(added);
            decisions.Add((p, decision with { Request = current }));
        }

        return new Round(current, entries, items, decisions);
    }

    /// <summary>Logs each decision, runs the hooks after an execution outcome, and gives each caller its answer.</summary>
    private async Task SettleAsync(Round round, DataSubjectRequest before, CancellationToken cancellationToken)
    {
        var from = before.Status;
        foreach (var (pending, decision) in round.Decisions)
        {
            var e = pending.Event;
            try
            {
                if (!decision.Changed)
                {
                    logger.EventNotApplied(before.Id, e.GetType().Name, decision.Ignored is not null ? "ignored" : "refused");
                    if (e is SourceExecuted repeated && decision.Ignored is not null)
                    {
                        await AfterSourceExecutedAsync(decision.Request, repeated.SourceKey, cancellationToken);
                    }

                    pending.Result.TrySetResult(decision);
                    continue;
                }

                var committed = decision.Request with { Version = round.Updated.Version };
                logger.EventApplied(before.Id, e.GetType().Name, from.Name(), committed.Status.Name(), decision.Effects.Count);
                from = committed.Status;
                if (e is SourceExecuted executed)
                {
                    await AfterSourceExecutedAsync(round.Updated, executed.SourceKey, cancellationToken);
                }

                pending.Result.TrySetResult(decision with { Request = committed });
            }
            catch (Exception ex)
            {
                pending.Result.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// One commit's worth of decisions: the request after them, their audit entries, the work they newly owe (kept in the
    /// request, <see cref="RequestProgress.Owed"/>: no row of its own), each event's decision.
    /// </summary>
    private sealed record Round(
        DataSubjectRequest Updated,
        List<AuditEntry> Entries,
        List<WorkItem> Items,
        List<(PendingEvent Pending, Decision Decision)> Decisions);

    /// <summary>An event waiting for its request's turn, and where its caller waits for the answer.</summary>
    private sealed class PendingEvent(WorkflowEvent e, OrchestrationStep? step)
    {
        public WorkflowEvent Event { get; } = e;

        /// <summary>The step of the request's orchestration the caller runs as, which takes the committed work back itself; null when none.</summary>
        public OrchestrationStep? Step { get; } = step;

        /// <summary>Whether the caller is a step of the request's orchestration.</summary>
        public bool ByStep => Step is not null;

        public TaskCompletionSource<Decision?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One request's turn (one commit at a time in this process) and the events waiting for it.</summary>
    private sealed class RequestGate
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public List<PendingEvent> Waiting { get; } = [];

        public int Users { get; set; }
    }
}
