using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention;

/// <summary>
/// The steps of a purge run that the purge orchestrations' activities carry out: storing and finishing the run, planning
/// one source (read-only and manual sources reported, follow-up erasures due there carried out), and opening and deleting
/// one category in bounded batches, never touching people or sources under a legal hold nor records a retained category
/// still keeps. Each step reads what it works from afresh and skips lines already final, so running it again changes nothing.
/// </summary>
public sealed class PurgeSteps(
    IPurgeStore store,
    IRetentionPolicyStore policies,
    ILegalHoldStore holds,
    ISourceRegistrationStore registrations,
    IDataSourceRegistry sources,
    IFollowUpErasureStore followUpStore,
    FollowUpErasures followUps,
    ManualPurgeTasks manualTasks,
    Events.PurgeReportPublisher reports,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<PurgeSteps> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>The active sources of <paramref name="region"/>, in key order.</summary>
    internal IReadOnlyList<DataSourceDescriptor> SourcesOf(PurgeRegion region) =>
        [.. sources.ActiveSources().Where(s => s.Region == region.Key).OrderBy(s => s.Key, StringComparer.Ordinal)];

    /// <summary>
    /// One source of the stored run <paramref name="runId"/>, with the run's context read now (an orchestration's activities
    /// each read it afresh); null when the run, its region or the source is gone.
    /// </summary>
    internal async Task<PurgeSourceScope?> OpenSourceAsync(string runId, string sourceKey, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(runId, cancellationToken) is not { } run || PurgeRegions.Find(run.Region) is not { } region
            || SourcesOf(region).FirstOrDefault(s => s.Key == sourceKey) is not { } source)
        {
            return null;
        }

        var context = await PrepareAsync(region, run, cancellationToken);
        var rows = (await store.RowsAsync(run.Id, cancellationToken)).ToDictionary(r => (r.SourceKey, r.Item));
        return new PurgeSourceScope(context, source, rows);
    }

    /// <summary>A source's connector, null when it is no longer registered.</summary>
    internal IDataSourceConnector? Connector(string sourceKey) => sources.Connector(sourceKey);

    /// <summary>Stores the run with its "started" entry, or returns the run already stored under <paramref name="runId"/>.</summary>
    internal async Task<PurgeRun> StartRunAsync(PurgeRegion region, string runId, DateTimeOffset scheduledFor, string actor, bool dryRun, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var run = await store.StartAsync(
            new PurgeRun(runId, region.Key, actor, dryRun, scheduledFor, now, PurgeRun.Running),
            new AuditDraft(now, actor, "purge.started", null, PurgeRun.Running, new Dictionary<string, string?>
            {
                ["run"] = runId,
                ["region"] = region.Key,
                ["dryRun"] = dryRun ? "true" : "false",
                ["scheduledFor"] = AuditChain.FormatInstant(scheduledFor),
            }),
            cancellationToken);
        if (run.Status == PurgeRun.Completed)
        {
            // Its report may not have gone out (the process stopped after finishing): publishing it again is a duplicate.
            await reports.PublishAsync(run, cancellationToken);
        }
        else
        {
            logger.PurgeStarted(run.Id, region.Key, run.DryRun);
        }

        return run;
    }

    /// <summary>
    /// Completes the run (or marks it incomplete when a line is not final) with its "finished" entry and totals, then publishes
    /// its report. A run already finished (completed or incomplete) is left as it is and only its report is published
    /// again: the process may have stopped, or the broker failed, after the run was finished (a second publication is a
    /// duplicate, its event id being the run's and its finish time's; finishing it again would write a second "finished"
    /// entry and move that time).
    /// </summary>
    internal async Task<PurgeRun> FinishRunAsync(PurgeRun run, IReadOnlyList<string> failedSources, CancellationToken cancellationToken)
    {
        if (run.Status != PurgeRun.Running)
        {
            await reports.PublishAsync(run, cancellationToken);
            return run;
        }

        var final = await store.RowsAsync(run.Id, cancellationToken);
        // A source whose orchestration failed outright (its plan failed, say) may have no line at all: not complete.
        var status = final.All(r => r.IsFinal) && failedSources.Count == 0 ? PurgeRun.Completed : PurgeRun.Incomplete;
        var finishedAt = time.GetUtcNow();
        await store.FinishAsync(
            run.Id,
            status,
            finishedAt,
            new AuditDraft(finishedAt, run.Trigger, "purge.finished", PurgeRun.Running, status, new Dictionary<string, string?>
            {
                ["run"] = run.Id,
                ["region"] = run.Region,
                ["dryRun"] = run.DryRun ? "true" : "false",
                ["lines"] = Count(final.Count),
                ["purged"] = Count(final.Sum(r => r.Purged)),
                ["held"] = Count(final.Sum(r => r.Held)),
                ["retained"] = Count(final.Sum(r => r.Retained)),
                ["errors"] = Count(final.Sum(r => r.Errors)),
                ["busy"] = Count(final.Count(r => r.State == PurgeRow.Busy)),
                ["failedSources"] = failedSources.Count == 0 ? null : string.Join(",", failedSources.Order(StringComparer.Ordinal)),
            }),
            cancellationToken);
        if (run.DryRun)
        {
            logger.DryPurgeFinished(run.Id, run.Region, status, final.Sum(r => r.Purged), final.Count(r => r.State == PurgeRow.Failed));
        }
        else
        {
            logger.PurgeFinished(run.Id, run.Region, status, final.Sum(r => r.Purged), final.Count(r => r.State == PurgeRow.Failed));
        }

        var finished = run with { Status = status, FinishedAt = finishedAt };
        await reports.PublishAsync(finished, cancellationToken);
        return finished;
    }

    /// <summary>What a run works from, read now: the region's day, policy, holds, registrations and due follow-ups.</summary>
    internal async Task<PurgeContext> PrepareAsync(PurgeRegion region, PurgeRun run, CancellationToken cancellationToken)
    {
        var today = region.LocalDate(run.ScheduledFor);
        var active = (await holds.ListAsync(cancellationToken)).Where(h => h.Active).ToList();
        return new PurgeContext(
            run,
            region,
            today,
            (await policies.GetAsync(region.Key, cancellationToken))?.Policy ?? new RetentionPolicy(region.Key, []),
            active.Where(h => h.Scope == LegalHold.PersonScope && h.SubjectHash is not null).Select(h => h.SubjectHash!).ToHashSet(StringComparer.Ordinal),
            active.Where(h => h.Scope == LegalHold.SourceScope && h.SourceKey is not null).GroupBy(h => h.SourceKey!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
            active,
            (await registrations.ListAsync(cancellationToken)).Where(r => r.Active).ToDictionary(r => r.Registration.Key, r => r.Registration, StringComparer.Ordinal),
            await followUpStore.DueAsync(today, cancellationToken));
    }

    /// <summary>
    /// What is left to do at one source: lines of a read-only source are reported as not supported and a manual source's
    /// owner is asked (both finished here); null when nothing is left, else the rules to purge and the follow-ups due.
    /// </summary>
    internal async Task<SourcePlan?> PlanSourceAsync(PurgeContext context, DataSourceDescriptor source, Dictionary<(string, string), PurgeRow> rows, CancellationToken cancellationToken)
    {
        var registration = context.Registrations.GetValueOrDefault(source.Key);
        var rules = context.Policy.Rules.Where(r => registration is null || registration.Categories.Any(c => c.Key == r.Category)).ToList();
        var dueFollowUps = context.FollowUps.Where(f => f.SourceKey == source.Key).ToList();
        var pendingRules = rules.Where(r => rows.GetValueOrDefault((source.Key, r.Category)) is not { IsFinal: true }).ToList();
        var pendingFollowUps = dueFollowUps.Where(f => rows.GetValueOrDefault((source.Key, FollowUpErasures.Item(f))) is not { IsFinal: true }).ToList();
        if ((pendingRules.Count == 0 && pendingFollowUps.Count == 0) || sources.Connector(source.Key) is not { } connector)
        {
            return null;
        }

        if (source.Access == SourceAccess.Read)
        {
            foreach (var rule in pendingRules)
            {
                await FinishAsync(context, NewRow(context, source, rule, rows) with
                {
                    State = PurgeRow.NotSupported,
                    Note = "Registered read-only: DataRights never changes this source; it must apply this rule itself.",
                }, cancellationToken);
            }

            return null;
        }

        if (connector is Sources.ManualSourceConnector manual)
        {
            // Nothing to call: the owner is asked to delete by hand (follow-ups of manual sources are reported the same way).
            foreach (var rule in pendingRules)
            {
                await FinishAsync(context, await manualTasks.AskAsync(context, source, manual, rule, NewRow(context, source, rule, rows), cancellationToken), cancellationToken);
            }

            pendingRules.Clear();
            if (pendingFollowUps.Count == 0)
            {
                return null;
            }
        }

        return new SourcePlan(connector, registration, pendingRules, pendingFollowUps);
    }

    /// <summary>How many times a line whose counts are only in hand is tried to be saved (<see cref="SaveInHandAsync"/>).</summary>
    internal const int SaveTries = 4;

    /// <summary>
    /// Saves a line whose counts are only in hand (a batch's deletions, a follow-up's erasure: what went is gone, so a step
    /// run again could no longer count it), final with its audit entry or as progress. Tried again at once through a
    /// storage blip (a save whose answer was lost is recognised as landed, and its audit entry never written twice), up
    /// to <see cref="SaveTries"/> times, before the step fails.
    /// </summary>
    internal async Task SaveInHandAsync(PurgeContext context, PurgeRow row, CancellationToken cancellationToken)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                if (row.IsFinal)
                {
                    await FinishAsync(context, row, cancellationToken);
                }
                else
                {
                    await store.SaveRowAsync(row, null, cancellationToken);
                }

                return;
            }
            catch (Exception ex) when (tries < SaveTries && ex is not OperationCanceledException)
            {
                logger.PurgeLineSaveRetried(context.Run.Id, row.SourceKey, row.Category, tries, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * tries), CancellationToken.None);
            }
        }
    }

    /// <summary>Carries out the due follow-up erasures of one source, each finished with its audit entry.</summary>
    internal async Task CarryOutFollowUpsAsync(
        PurgeContext context, DataSourceDescriptor source, IDataSourceConnector connector, IReadOnlyList<FollowUpErasure> pending, Dictionary<(string, string), PurgeRow> rows,
        CancellationToken cancellationToken)
    {
        foreach (var followUp in pending)
        {
            var row = await followUps.CarryOutAsync(context, source, connector, followUp, rows.GetValueOrDefault((source.Key, FollowUpErasures.Item(followUp))), cancellationToken);
            await SaveInHandAsync(context, row, cancellationToken);
        }
    }

    /// <summary>
    /// Starts one category's line: null when the source does not hold the category; a final line when nothing is to be
    /// deleted (a hold on the whole source, not supported, a dry run, a failure); else the line, running, with its cutoff
    /// and what a retained category keeps, ready for <see cref="DeleteBatchesAsync"/>.
    /// </summary>
    internal async Task<PurgeRow?> OpenCategoryAsync(
        PurgeContext context, DataSourceDescriptor source, IDataSourceConnector connector, SourceRegistration? registration, RetentionRule rule, PurgeRow row,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var policyCutoff = PurgeCutoff.For(rule, context.Today);

        // A category the registration retains (for a legal reason, for its own period) keeps its records that long, whatever the policy says.
        var cutoff = policyCutoff;
        var retain = registration?.Categories.FirstOrDefault(c => c.Key == rule.Category) is { Strategy: "retain" } retained
            && RetentionPeriod.TryParse(retained.RetentionPeriod, out var kept) && PurgeCutoff.Of(kept, context.Today) < policyCutoff
            ? retained
            : null;
        if (retain is not null)
        {
            RetentionPeriod.TryParse(retain.RetentionPeriod, out var period);
            cutoff = PurgeCutoff.Of(period, context.Today);
        }

        row = row with { State = PurgeRow.Running, Cutoff = cutoff };
        try
        {
            if (context.SourceHolds.TryGetValue(source.Key, out var hold))
            {
                var due = await connector.PurgeAsync(Command(context, rule.Category, policyCutoff, dryRun: true), cancellationToken);
                return !due.Applies ? null : !due.Supported ? Unsupported(row, due) : row with
                {
                    State = PurgeRow.OnHold,
                    Scanned = due.Scanned,
                    Held = due.Scanned,
                    Note = $"A legal hold on the whole source ({hold.Id}) stands: nothing was purged.",
                    DurationMs = row.DurationMs + Elapsed(started),
                };
            }

            if (retain is not null && row.Scanned == 0 && row.Purged == 0)
            {
                // Counted once, before anything goes: what the policy would take that the registration keeps.
                var byPolicy = await connector.PurgeAsync(Command(context, rule.Category, policyCutoff, dryRun: true), cancellationToken);
                var byRetention = await connector.PurgeAsync(Command(context, rule.Category, cutoff, dryRun: true), cancellationToken);
                if (!byPolicy.Applies || !byPolicy.Supported)
                {
                    return !byPolicy.Applies ? null : Unsupported(row, byPolicy);
                }

                row = row with
                {
                    Retained = Math.Max(0, byPolicy.Scanned - byRetention.Scanned),
                    Note = $"Kept {RetentionPeriodText(retain)} from the record date as the registration retains it: {retain.LegalBasis}",
                };
            }

            if (context.Run.DryRun)
            {
                var would = await connector.PurgeAsync(Command(context, rule.Category, cutoff, dryRun: true), cancellationToken);
                return !would.Applies ? null : !would.Supported ? Unsupported(row, would) : row with
                {
                    State = PurgeRow.Done,
                    Purged = would.Purged,
                    Held = would.Held,
                    Scanned = would.Purged + would.Held + row.Retained,
                    Note = Join("Dry run: nothing was deleted; these would go.", row.Note),
                    DurationMs = row.DurationMs + Elapsed(started),
                };
            }

            return row with { DurationMs = row.DurationMs + Elapsed(started) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(context, source, row, ex, started);
        }
    }

    /// <summary>
    /// Deletes an opened line's records in steps of <see cref="RetentionOptions.BatchSize"/>, with the pause between them,
    /// until the category is done or <paramref name="maxSteps"/> steps have run. The line comes back done (complete),
    /// failed, not supported or, when the steps ran out first, still running with its counts; null when the source turns
    /// out not to hold the category. Progress is saved while the next step runs.
    /// </summary>
    internal async Task<(PurgeRow? Row, bool Complete)> DeleteBatchesAsync(
        PurgeContext context, DataSourceDescriptor source, IDataSourceConnector connector, PurgeRow row, int maxSteps, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var settings = options.Value;
        var cutoff = row.Cutoff ?? throw new InvalidOperationException("A line is opened (its cutoff set) before its records are deleted.");
        try
        {
            // Progress is saved while the next batch runs (at most one save in flight, never cancelled), once a
            // second rather than per batch: a second durable commit per batch would cost a fifth of the purge's
            // speed. Deletes are idempotent, so a resumed run redoes nothing whatever the counts say; a stopped
            // run saves its counts as it stops, and only a hard kill can leave the last second uncounted.
            var saving = Task.CompletedTask;
            var saved = time.GetTimestamp();
            PurgeRow Progress() => row with { Scanned = row.Purged + row.Retained, DurationMs = row.DurationMs + Elapsed(started) };

            // A progress save that fails (a storage blip) is not the source's failure: the purge goes on, and the next
            // save (or the batch's own) carries the counts.
            async Task SaveProgressAsync(PurgeRow progress)
            {
                try
                {
                    await store.SaveRowAsync(progress, null, CancellationToken.None);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.PurgeProgressNotSaved(context.Run.Id, source.Key, progress.Category, ex.GetType().Name);
                }
            }

            try
            {
                for (var steps = 0; steps < maxSteps; steps++)
                {
                    cancellationToken.ThrowIfCancellationRequested();

                    var step = await connector.PurgeAsync(Command(context, row.Category, cutoff, dryRun: false), cancellationToken);
                    if (!step.Applies)
                    {
                        return (null, true);
                    }

                    if (!step.Supported)
                    {
                        return (Unsupported(row, step), true);
                    }

                    row = row with { Purged = row.Purged + step.Purged, Held = step.Complete ? step.Held : row.Held };
                    if (!step.Complete && step.Purged == 0)
                    {
                        // More due, by the source's word, but nothing deleted: asking again would loop for ever (a system
                        // counting its held records as due, say). The category ends here, with what the source reported.
                        logger.PurgeStepMadeNoProgress(context.Run.Id, source.Key, row.Category);
                        row = row with
                        {
                            Held = step.Held,
                            Errors = row.Errors + 1,
                            Note = Join("The source said more records were due but deleted none in a step, so the purge of this category stopped there; records past the cutoff may remain.", row.Note),
                        };
                        step = step with { Complete = true };
                    }

                    if (step.Complete)
                    {
                        return (row with { State = PurgeRow.Done, Scanned = row.Purged + row.Held + row.Retained, DurationMs = row.DurationMs + Elapsed(started) }, true);
                    }

                    if (time.GetElapsedTime(saved) >= ProgressInterval)
                    {
                        await saving;
                        saving = SaveProgressAsync(Progress());
                        saved = time.GetTimestamp();
                    }

                    if (settings.BatchPause > TimeSpan.Zero)
                    {
                        await Task.Delay(settings.BatchPause, time, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await saving;
                saving = SaveProgressAsync(Progress());
                throw;
            }
            finally
            {
                await saving;
            }

            return (Progress(), false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (Failed(context, source, row, ex, started), true);
        }
    }

    /// <summary>One failing source or category is reported, and the run goes on with the others.</summary>
    private PurgeRow Failed(PurgeContext context, DataSourceDescriptor source, PurgeRow row, Exception ex, long started)
    {
        logger.PurgeCategoryFailed(context.Run.Id, source.Key, row.Category, ex.GetType().Name);
        return row with
        {
            State = PurgeRow.Failed,
            Errors = row.Errors + 1,
            Scanned = row.Purged + row.Retained,
            Note = Describe(ex),
            DurationMs = row.DurationMs + Elapsed(started),
        };
    }

    private PurgeCommand Command(PurgeContext context, string category, DateOnly before, bool dryRun) =>
        new(category, before, options.Value.BatchSize, dryRun, context.HeldSubjects);

    /// <summary>Saves a line in its final state with its audit entry, in one transaction.</summary>
    internal Task FinishAsync(PurgeContext context, PurgeRow row, CancellationToken cancellationToken)
    {
        var details = new Dictionary<string, string?>
        {
            ["run"] = row.RunId,
            ["source"] = row.SourceKey,
            ["category"] = row.Category,
            ["state"] = row.State,
            ["cutoff"] = row.Cutoff?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["scanned"] = Count(row.Scanned),
            ["purged"] = Count(row.Purged),
            ["held"] = Count(row.Held),
            ["retained"] = Count(row.Retained),
            ["errors"] = Count(row.Errors),
            ["durationMs"] = Count(row.DurationMs),
            ["note"] = row.Note,
        };
        if (row.RequestId is not null)
        {
            details["request"] = row.RequestId;
        }

        var action = row.Kind == PurgeRow.FollowUpKind ? "purge.follow_up" : "purge.category";
        return store.SaveRowAsync(row, new AuditDraft(time.GetUtcNow(), context.Run.Trigger, action, null, row.State, details), cancellationToken);
    }

    internal static PurgeRow NewRow(PurgeContext context, DataSourceDescriptor source, RetentionRule rule, Dictionary<(string, string), PurgeRow> rows) =>
        rows.GetValueOrDefault((source.Key, rule.Category)) ?? new PurgeRow
        {
            RunId = context.Run.Id,
            SourceKey = source.Key,
            Item = rule.Category,
            Kind = PurgeRow.AgeKind,
            Category = rule.Category,
        };

    private long Elapsed(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    private static PurgeRow Unsupported(PurgeRow row, PurgeOutcome outcome) => row with { State = PurgeRow.NotSupported, Note = outcome.Note };

    private static string RetentionPeriodText(CategoryPolicy retained) =>
        RetentionPeriod.TryParse(retained.RetentionPeriod, out var period) ? period.Describe() : retained.RetentionPeriod ?? string.Empty;

    private static string? Join(string first, string? second) => second is null ? first : first + " " + second;

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>What went wrong, for staff: the source's own message (SQL errors name tables and columns, never values), bounded.</summary>
    internal static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message}";
        return text.Length <= 300 ? text : text[..300];
    }
}
