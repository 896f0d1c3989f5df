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
    WorkSignal signal,
    TimeProvider time,
    ILogger<WorkflowEngine> logger,
    IEnumerable<ISourceExecutedHook> sourceExecutedHooks)
{
    private const int MaxConflicts = 20;

    // Events for one request applied in this process queue on a stripe instead of racing each other into
    // version conflicts (a 20-source fan-in would otherwise retry most commits). The version check still
    // guards against other processes.
    private static readonly SemaphoreSlim[] Stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    public DecisionContext ContextFor(DataSubjectRequest request) =>
        new(time.GetUtcNow(), regimes.For(request.Jurisdiction), calculator,
            options.Value.ToSettings() with { LinkEmailsPerDay = dataRights.Value.Intake.LinkEmailsPerDay }, sources.ActiveSources());

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

    /// <summary>Applies <paramref name="e"/>; null when the request does not exist.</summary>
    public async Task<Decision?> ApplyAsync(string requestId, WorkflowEvent e, CancellationToken cancellationToken)
    {
        var stripe = Stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(requestId) % (uint)Stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return await ApplyOnceAsync(requestId, e, cancellationToken);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<Decision?> ApplyOnceAsync(string requestId, WorkflowEvent e, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxConflicts; attempt++)
        {
            if (await store.GetAsync(requestId, cancellationToken) is not { } request)
            {
                return null;
            }

            var decision = RequestDecider.Decide(request, e, ContextFor(request));
            if (!decision.Changed)
            {
                logger.EventNotApplied(requestId, e.GetType().Name, decision.Ignored is not null ? "ignored" : "refused");
                if (e is SourceExecuted repeated && decision.Ignored is not null)
                {
                    await AfterSourceExecutedAsync(request, repeated.SourceKey, cancellationToken);
                }

                return decision;
            }

            var (entries, head) = AuditChain.Extend(request.AuditHead, request.Id, decision.Audit);
            var updated = decision.Request with { Version = request.Version + 1, AuditHead = head ?? request.AuditHead };
            var items = decision.Effects.Select(effect => WorkItem.From(request.Id, effect)).ToList();
            if (await store.CommitAsync(updated, request.Version, entries, items, cancellationToken))
            {
                logger.EventApplied(requestId, e.GetType().Name, request.Status.Name(), updated.Status.Name(), items.Count);
                if (items.Count > 0)
                {
                    signal.Notify();
                }

                if (e is SourceExecuted executed)
                {
                    await AfterSourceExecutedAsync(updated, executed.SourceKey, cancellationToken);
                }

                return decision with { Request = updated };
            }

            logger.VersionConflict(requestId, attempt);
        }

        throw new InvalidOperationException($"Request {requestId} kept changing under us; gave up after {MaxConflicts} attempts.");
    }
}
