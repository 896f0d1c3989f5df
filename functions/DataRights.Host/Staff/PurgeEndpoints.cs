using System.Text;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Durable;
using DataRights.Host.Http;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Host.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace DataRights.Host.Staff;

/// <summary>
/// <c>/api/admin/purges</c>: purge reports (newest first; one with its lines and audit entries; as CSV),
/// follow-up erasures, and "run now" for a region (a dry run unless <c>"dryRun": false</c>; Admins), which answers
/// 202 Accepted with a status link to follow (running, finished with its report, or failed).
/// </summary>
public static class PurgeEndpoints
{
    public static IEndpointRouteBuilder MapPurges(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/purges").RequireAuthorization(StaffRoles.ApproverPolicy).WithTags("Staff").DisableAntiforgery();
        group.MapGet("/", ListAsync).TakesOnlyQuery("max").WithName("ListPurges").WithSummary("Purge runs, newest first, with their totals");
        group.MapPost("/", RunNowAsync).WithName("RunPurgeNow").WithSummary("Purge a region now (a dry run unless dryRun is false); answers 202 with the run's status link").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapGet("/follow-ups", FollowUpsAsync).TakesOnlyQuery("requestId").WithName("ListFollowUpErasures").WithSummary("Follow-up erasures: records kept from erasure requests, erased when their retention ends");
        group.MapGet("/{id}/status", StatusAsync).WithName("GetPurgeRunStatus").WithSummary("A purge run's progress: running, finished (with its report) or failed");
        group.MapGet("/{id}.csv", CsvAsync).WithName("GetPurgeReportCsv").WithSummary("A purge report as CSV");
        group.MapGet("/{id}", GetAsync).WithName("GetPurgeReport").WithSummary("A purge report: per source and category, and its audit entries (?format=csv for CSV)");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PurgeRunSummary>>> ListAsync(int? max, IPurgeStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await SummariesAsync(store, Math.Clamp(max ?? 50, 1, 500), cancellationToken));

    /// <summary>The newest <paramref name="max"/> purge runs with their totals. The API's list and the console's.</summary>
    public static async Task<IReadOnlyList<PurgeRunSummary>> SummariesAsync(IPurgeStore store, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var runs = await store.ListAsync(max, cancellationToken);
        var list = new List<PurgeRunSummary>(runs.Count);
        foreach (var run in runs)
        {
            list.Add(PurgeRunSummary.From(run, await store.RowsAsync(run.Id, cancellationToken)));
        }

        return list;
    }

    private static async Task<IResult> GetAsync(string id, string? format, IPurgeStore store, IDataSourceRegistry sources, CancellationToken cancellationToken)
    {
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return await CsvAsync(id, store, cancellationToken);
        }

        if (format is not null && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Choose json (the default) or csv."] });
        }

        return await store.GetAsync(id, cancellationToken) is { } run ? TypedResults.Ok(await ReportAsync(run, store, sources, cancellationToken)) : TypedResults.NotFound();
    }

    /// <summary>A purge report as a CSV file (404 when there is no such run). The API's download and the console's.</summary>
    public static async Task<IResult> CsvAsync(string id, IPurgeStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (await store.GetAsync(id, cancellationToken) is not { } run)
        {
            return TypedResults.NotFound();
        }

        var csv = PurgeCsv.Write(run, await store.RowsAsync(run.Id, cancellationToken));
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", run.Id + ".csv");
    }

    private static async Task<Ok<IReadOnlyList<FollowUpErasure>>> FollowUpsAsync(string? requestId, IFollowUpErasureStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(string.IsNullOrWhiteSpace(requestId) ? null : requestId, 500, cancellationToken));

    private static async Task<IResult> RunNowAsync(
        HttpContext context, PurgeOrchestrations orchestrations, IPurgeStore store, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var body = await BoundedBody.ReadAsync(context.Request, BoundedBody.MaxBytes, context.RequestAborted);
        if (body is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"The request body is larger than {BoundedBody.MaxBytes / 1024} KiB."] });
        }

        var (regionKey, dryRun) = RetentionJsonReader.ReadRun(body, errors);
        var region = PurgeRegions.Find(regionKey);
        if (regionKey is not null && region is null)
        {
            errors["region"] = [$"No purge timer for this region. Known regions: {string.Join(", ", PurgeRegions.All.Select(r => r.Key))}."];
        }

        if (errors.Count > 0 || region is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The purge request has problems. Nothing was run.");
        }

        // The run's id names the region and the minute it was asked for: asking again within it finds the same run.
        var now = time.GetUtcNow();
        var occurrence = PurgeOrchestrations.StaffOccurrence(now);
        var runId = PurgeOrchestrations.StaffRunId(region, occurrence, dryRun);
        var actor = StaffWorkflowEndpoints.Actor(context);
        await TaskHubAsync(() => orchestrations.StartNowAsync(DurableClient(context), region, runId, occurrence, actor, dryRun, context.RequestAborted));
        var status = await RunStatusAsync(runId, context, store, context.RequestAborted) ?? new PurgeRunStatusResponse(
            runId, PurgeRunStatusResponse.Running, StatusUrl(runId), ReportUrl(runId), null, null);
        AskAgainLater(context, status);
        return TypedResults.Accepted(status.StatusUrl, status);
    }

    private static async Task<IResult> StatusAsync(string id, HttpContext context, IPurgeStore store, CancellationToken cancellationToken)
    {
        if (await RunStatusAsync(id, context, store, cancellationToken) is not { } status)
        {
            return TypedResults.NotFound();
        }

        AskAgainLater(context, status);
        return TypedResults.Ok(status);
    }

    /// <summary>The run's state from its orchestration (where there is one) and its stored report; null when neither exists.</summary>
    private static async Task<PurgeRunStatusResponse?> RunStatusAsync(string id, HttpContext context, IPurgeStore store, CancellationToken cancellationToken)
    {
        var run = await store.GetAsync(id, cancellationToken);
        var instance = await TaskHubAsync(() => PurgeOrchestrations.FindAsync(DurableClient(context), id, run, cancellationToken));
        if (instance is null && run is null)
        {
            return null;
        }

        var report = run is null ? null : await ReportAsync(run, store, context.RequestServices.GetRequiredService<IDataSourceRegistry>(), cancellationToken);
        var (state, problem) = instance?.RuntimeStatus switch
        {
            null => (run!.Status == PurgeRun.Running ? PurgeRunStatusResponse.Running : PurgeRunStatusResponse.Finished, null),
            OrchestrationRuntimeStatus.Completed when run is not null && run.Status != PurgeRun.Running => (PurgeRunStatusResponse.Finished, null),
            OrchestrationRuntimeStatus.Completed => (PurgeRunStatusResponse.Failed, "The purge orchestration ended without finishing its run."),
            OrchestrationRuntimeStatus.Failed => (PurgeRunStatusResponse.Failed, $"The purge orchestration failed ({instance.FailureDetails?.ErrorType ?? "no error type"}); the report shows what it did before."),
            OrchestrationRuntimeStatus.Terminated => (PurgeRunStatusResponse.Failed, "The purge orchestration was stopped; the report shows what it did before."),
            _ => (PurgeRunStatusResponse.Running, (string?)null),
        };
        return new PurgeRunStatusResponse(id, state, StatusUrl(id), ReportUrl(id), problem, state == PurgeRunStatusResponse.Running ? null : report);
    }

    /// <summary>The Durable client: the Function App's, held for the invocation (<see cref="DurableClientScope"/>), or the stand-alone host's.</summary>
    /// <summary>
    /// A call to the task hub; one that fails (the task hub or its storage unreachable) answers 503 with Retry-After, as a
    /// refused announcement does, rather than 500: nothing was run, and asking again later may work.
    /// </summary>
    private static async Task<T> TaskHubAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OrchestrationUnavailableException)
        {
            throw new OrchestrationUnavailableException("The task hub did not answer; no purge was run.", ex);
        }
    }

    private static DurableTaskClient DurableClient(HttpContext context) =>
        DurableClientScope.Current ?? context.RequestServices.GetRequiredService<DurableTaskClient>();

    private static void AskAgainLater(HttpContext context, PurgeRunStatusResponse status)
    {
        if (status.State == PurgeRunStatusResponse.Running)
        {
            context.Response.Headers.RetryAfter = "2";
        }
    }

    private static string StatusUrl(string id) => $"/api/admin/purges/{Uri.EscapeDataString(id)}/status";

    private static string ReportUrl(string id) => $"/api/admin/purges/{Uri.EscapeDataString(id)}";

    /// <summary>A run's report: its lines with each category's name, and its audit entries with the chain's check. The API's report and the console's page.</summary>
    public static async Task<PurgeReportResponse> ReportAsync(PurgeRun run, IPurgeStore store, IDataSourceRegistry sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sources);
        var rows = await store.RowsAsync(run.Id, cancellationToken);
        var entries = await store.AuditTrailAsync(run.Id, cancellationToken);
        var check = await store.VerifyAuditAsync(cancellationToken);
        var totals = PurgeTotals.Of(rows);
        return new PurgeReportResponse(
            run.Id, run.Region, run.Trigger, run.DryRun, run.ScheduledFor, run.StartedAt, run.FinishedAt, run.Status, totals, totals.Describe(run.DryRun),
            [.. rows.Select(r => PurgeRowResponse.From(r, sources.ActiveSources().FirstOrDefault(s => s.Key == r.SourceKey)?.CategoryName(r.Category) ?? CategoryNames.FromKey(r.Category)))],
            new PurgeAuditResponse(check.IsValid, check.EntryCount, check.FirstBrokenSequence, check.Problem, [.. entries.Select(Entry)]));
    }

    private static AuditEntryResponse Entry(AuditEntry e) =>
        new(e.Sequence, e.At, e.Actor, e.Action, e.FromStatus, e.ToStatus, System.Text.Json.JsonDocument.Parse(e.Details).RootElement.Clone(), e.PreviousHash, e.Hash);
}
