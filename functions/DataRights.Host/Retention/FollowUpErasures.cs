using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using DataRights.Host.Email;
using DataRights.Host.Sources;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention;

/// <summary>
/// Finishing erasures that the law made wait. When an erasure request's source keeps records until a
/// date, a follow-up is recorded for the day after (from the stored outcome, so recording it twice keeps
/// one). The source's region's purge run carries it out on that day: the erasure is run again for that
/// person at that source (which now deletes what has run out of retention), and the result is appended
/// to the request's own audit trail, together with the follow-up's new state.
/// </summary>
public sealed class FollowUpErasures(
    IFollowUpErasureStore store,
    IRequestStore requests,
    IDataSourceRegistry sources,
    MessageComposer composer,
    IEmailSender sender,
    IOptions<WorkflowOptions> workflow,
    TimeProvider time,
    ILogger<FollowUpErasures> logger) : ISourceExecutedHook
{
    private const string Actor = "system:retention";
    private const int MaxConflicts = 10;

    /// <summary>More follow-ups than a request can have (one per source, category and retention end).</summary>
    private const int MaxFollowUpsPerRequest = 1000;

    /// <summary>The report line of a follow-up within its run and source.</summary>
    public static string Item(FollowUpErasure followUp) => "follow-up:" + followUp.Id;

    public async Task SourceExecutedAsync(DataSubjectRequest request, string sourceKey, CancellationToken cancellationToken)
    {
        if (request.Type != RequestType.Erasure || request.Progress.Source(sourceKey) is not { Execution: StepState.Succeeded, Outcome: { } outcome })
        {
            return;
        }

        var holdFollowedUp = ErasedOnceHoldLifted(sources.Connector(sourceKey));
        foreach (var followUp in Next(request.Id, sourceKey, outcome, after: DateOnly.MinValue).Where(f => holdFollowedUp || f.Category != RetainedRecords.LegalHoldCategory))
        {
            await store.ScheduleAsync(followUp, cancellationToken);
            logger.FollowUpScheduled(request.Id, sourceKey, followUp.Category, followUp.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Whether records a legal hold kept back at this source are erased by the purge once the hold is lifted (and the
    /// person told so). Not at a manual source: its owner would have to do it by hand.
    /// </summary>
    public static bool ErasedOnceHoldLifted(IDataSourceConnector? connector) => connector is not ManualSourceConnector;

    internal static PurgeRow NewRow(PurgeRun run, FollowUpErasure followUp, Dictionary<(string, string), PurgeRow> rows) =>
        rows.GetValueOrDefault((followUp.SourceKey, Item(followUp))) ?? new PurgeRow
        {
            RunId = run.Id,
            SourceKey = followUp.SourceKey,
            Item = Item(followUp),
            Kind = PurgeRow.FollowUpKind,
            Category = followUp.Category,
            RequestId = followUp.RequestId,
        };

    /// <summary>Carries out one due follow-up and returns its report line (in its final state, unless it failed to reach the source).</summary>
    internal async Task<PurgeRow> CarryOutAsync(
        PurgeContext context, DataSourceDescriptor source, IDataSourceConnector connector, FollowUpErasure followUp, PurgeRow? existing,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var row = (existing ?? NewRow(context.Run, followUp, [])) with { State = PurgeRow.Running, Cutoff = followUp.DueOn };
        long Elapsed() => row.DurationMs + (long)time.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            var request = await requests.GetAsync(followUp.RequestId, cancellationToken)
                ?? throw new InvalidOperationException("The request this follow-up belongs to does not exist.");
            if (Finished(await CurrentAsync(followUp, cancellationToken)))
            {
                // Another run (a staff run beside the night's) carried it out since this run listed it.
                return CarriedOutElsewhere(row, Elapsed());
            }

            if (context.ActiveHolds.FirstOrDefault(h => h.Covers(request.Email, source.Key)) is { } hold)
            {
                if (followUp.State != FollowUpErasure.Held && !context.Run.DryRun)
                {
                    await RecordAsync(request.Id, followUp with { State = FollowUpErasure.Held, UpdatedAt = time.GetUtcNow(), Note = $"Waiting for legal hold {hold.Id}." }, "follow_up.held", Details(context, followUp, ("hold", hold.Id)), [], cancellationToken);
                }

                return row with { State = PurgeRow.OnHold, Held = 1, Note = $"A legal hold ({hold.Id}) stands: the follow-up waits until it is lifted.", DurationMs = Elapsed() };
            }

            if (context.Run.DryRun)
            {
                return row with { State = PurgeRow.Done, Scanned = 1, Note = "Dry run: the erasure would be run again here for this request, deleting what has run out of retention.", DurationMs = Elapsed() };
            }

            if (connector is ManualSourceConnector)
            {
                // Nothing to call: the request's trail says who must finish it by hand.
                if (!await RecordAsync(request.Id, followUp with { State = FollowUpErasure.Failed, UpdatedAt = time.GetUtcNow(), Note = "Manual source: its owner erases by hand." }, "follow_up.manual", Details(context, followUp), [], cancellationToken))
                {
                    return CarriedOutElsewhere(row, Elapsed());
                }

                return row with { State = PurgeRow.NotSupported, Note = "Manual source: its owner (named in its registration) must erase these records by hand; their retention has ended.", DurationMs = Elapsed() };
            }

            var call = new SourceCall(SourceCalls.Identity(request), request.Id);
            var outcome = await SourceCalls.WithTimeoutAsync(
                token => connector.ExecuteAsync(call, RequestType.Erasure, null, token), workflow.Value.ExecutionTimeout, cancellationToken);
            var next = Next(request.Id, source.Key, outcome, after: followUp.DueOn).ToList();
            if (followUp.Category == RetainedRecords.LegalHoldCategory)
            {
                // The person was told we would erase these once the hold ended: tell them it is done (before the
                // record, so a failed send leaves the follow-up pending and the next run tries both again; the
                // message id keeps it to one email).
                foreach (var message in composer.Compose($"{request.Id}:held-records-erased:{followUp.Id}", request, MessageKind.HeldRecordsErased, source.Key))
                {
                    await sender.SendWaitingForAnyHoldAsync(message, time, cancellationToken);
                }
            }

            var kept = outcome.Retained.Where(r => r.Category == followUp.Category).Sum(r => r.Count);
            var until = next.Count > 0 ? next.Max(f => f.DueOn).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
            var recorded = await RecordAsync(
                request.Id,
                followUp with { State = FollowUpErasure.Done, UpdatedAt = time.GetUtcNow(), Note = null },
                "follow_up.erased",
                Details(
                    context,
                    followUp,
                    ("erased", Count(outcome.Erased)),
                    ("masked", Count(outcome.Masked)),
                    ("retained", Count(outcome.Retained.Sum(r => r.Count))),
                    ("retainedUntil", until)),
                next,
                cancellationToken);
            if (!recorded)
            {
                // Another run carried it out while this one called the source (which then had nothing left to erase):
                // the request's trail and the report keep that run's entry, not a second one.
                return CarriedOutElsewhere(row, Elapsed());
            }

            logger.FollowUpCarriedOut(request.Id, source.Key, followUp.Category, outcome.Erased);
            return row with
            {
                State = PurgeRow.Done,
                Scanned = outcome.Erased + outcome.Masked + kept,
                Purged = outcome.Erased + outcome.Masked,
                Retained = kept,
                Note = until is null
                    ? $"Erasure of request {request.Id} finished: {outcome.Erased} deleted, {outcome.Masked} masked."
                    : $"Erasure of request {request.Id} run again: {outcome.Erased} deleted, {outcome.Masked} masked; records still within retention are kept until {until} and followed up then.",
                DurationMs = Elapsed(),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Left pending: the next run tries again, and the report shows why this one could not.
            logger.FollowUpFailed(followUp.RequestId, source.Key, ex.GetType().Name);
            return row with { State = PurgeRow.Failed, Errors = row.Errors + 1, Note = PurgeSteps.Describe(ex), DurationMs = Elapsed() };
        }
    }

    /// <summary>
    /// Follow-ups for what an outcome still keeps, due the day after each retention ends, later than
    /// <paramref name="after"/>; and for records a legal hold kept back, one due at once and waiting (held)
    /// until the hold is lifted.
    /// </summary>
    private IEnumerable<FollowUpErasure> Next(string requestId, string sourceKey, ExecutionOutcome outcome, DateOnly after)
    {
        var now = time.GetUtcNow();
        foreach (var retained in outcome.Retained)
        {
            if (retained.Category == RetainedRecords.LegalHoldCategory && retained.RetainedUntil is null && after == DateOnly.MinValue)
            {
                var today = DateOnly.FromDateTime(now.UtcDateTime);
                yield return new FollowUpErasure(
                    FollowUpErasure.IdFor(requestId, sourceKey, retained.Category, today), requestId, sourceKey, retained.Category, today, FollowUpErasure.Held, now, now,
                    "Waiting for the legal hold to be lifted.");
                continue;
            }

            if (retained.RetainedUntil is { } until && until.AddDays(1) > after)
            {
                var due = until.AddDays(1);
                yield return new FollowUpErasure(FollowUpErasure.IdFor(requestId, sourceKey, retained.Category, due), requestId, sourceKey, retained.Category, due, FollowUpErasure.Pending, now, now);
            }
        }
    }

    /// <summary>
    /// Appends one entry to the request's trail and records the follow-up's new state (and the next ones) in the same
    /// transaction; false when there is nothing to record, as another run finished the follow-up (or, for a hold, held
    /// it) first. The follow-up is read after the request and the write is conditional on the request's version, which
    /// that run's record moved on too: two runs at once record it once.
    /// </summary>
    private async Task<bool> RecordAsync(
        string requestId, FollowUpErasure updated, string action, Dictionary<string, string?> details, IReadOnlyList<FollowUpErasure> next, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxConflicts; attempt++)
        {
            var request = await requests.GetAsync(requestId, cancellationToken) ?? throw new InvalidOperationException("The request this follow-up belongs to does not exist.");
            var current = await CurrentAsync(updated, cancellationToken);
            if (Finished(current) || (current?.State == FollowUpErasure.Held && updated.State == FollowUpErasure.Held))
            {
                return false;
            }

            var now = time.GetUtcNow();
            var (entries, head) = AuditChain.Extend(request.AuditHead, request.Id, [new AuditDraft(now, Actor, action, null, null, details)]);
            var stored = request with { Version = request.Version + 1, AuditHead = head!, UpdatedAt = now };
            if (await store.RecordAsync(updated, stored, request.Version, entries, next, cancellationToken))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"Request {requestId} kept changing; the follow-up is tried again at the next run.");
    }

    /// <summary>The follow-up as stored now (null when it is not).</summary>
    private async Task<FollowUpErasure?> CurrentAsync(FollowUpErasure followUp, CancellationToken cancellationToken) =>
        (await store.ListAsync(followUp.RequestId, MaxFollowUpsPerRequest, cancellationToken)).FirstOrDefault(f => f.Id == followUp.Id);

    private static bool Finished(FollowUpErasure? followUp) => followUp?.State is FollowUpErasure.Done or FollowUpErasure.Failed;

    /// <summary>The report line of a follow-up another run carried out: nothing done here, and where to look.</summary>
    private static PurgeRow CarriedOutElsewhere(PurgeRow row, long durationMs) => row with
    {
        State = PurgeRow.Done,
        Note = "Another purge run carried out this follow-up at the same time: its report has what was erased.",
        DurationMs = durationMs,
    };

    private static Dictionary<string, string?> Details(PurgeContext context, FollowUpErasure followUp, params (string Key, string? Value)[] more)
    {
        var details = new Dictionary<string, string?>
        {
            ["source"] = followUp.SourceKey,
            ["category"] = followUp.Category,
            ["followUp"] = followUp.Id,
            ["dueOn"] = followUp.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["purgeRun"] = context.Run.Id,
        };
        foreach (var (key, value) in more)
        {
            details[key] = value;
        }

        return details;
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
