using System.Text;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Http;
using DataRights.Host.Durable;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Staff;

/// <summary>
/// <c>/api/admin/purges</c>: purge reports (newest first; one with its lines and audit entries; as CSV),
/// follow-up erasures, and "run now" for a region (a dry run unless <c>"dryRun": false</c>; Admins).
/// </summary>
public static class PurgeEndpoints
{
    public static IEndpointRouteBuilder MapPurges(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/purges").RequireAuthorization(StaffRoles.ApproverPolicy).WithTags("Staff").DisableAntiforgery();
        group.MapGet("/", ListAsync).WithName("ListPurges").WithSummary("Purge runs, newest first, with their totals");
        group.MapPost("/", RunNowAsync).WithName("RunPurgeNow").WithSummary("Purge a region now (a dry run unless dryRun is false)").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapGet("/follow-ups", FollowUpsAsync).WithName("ListFollowUpErasures").WithSummary("Follow-up erasures: records kept from erasure requests, erased when their retention ends");
        group.MapGet("/{id}.csv", CsvAsync).WithName("GetPurgeReportCsv").WithSummary("A purge report as CSV");
        group.MapGet("/{id}", GetAsync).WithName("GetPurgeReport").WithSummary("A purge report: per source and category, and its audit entries (?format=csv for CSV)");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PurgeRunSummary>>> ListAsync(int? max, IPurgeStore store, CancellationToken cancellationToken)
    {
        var runs = await store.ListAsync(Math.Clamp(max ?? 50, 1, 500), cancellationToken);
        var list = new List<PurgeRunSummary>(runs.Count);
        foreach (var run in runs)
        {
            list.Add(PurgeRunSummary.From(run, await store.RowsAsync(run.Id, cancellationToken)));
        }

        return TypedResults.Ok<IReadOnlyList<PurgeRunSummary>>(list);
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

    private static async Task<IResult> CsvAsync(string id, IPurgeStore store, CancellationToken cancellationToken)
    {
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
        HttpContext context, PurgeRunner runner, PurgeOrchestrations orchestrations, IOptions<DurableOptions> durable, IPurgeStore store, IDataSourceRegistry sources, TimeProvider time, IHostApplicationLifetime lifetime)
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

        // Runs to the end even if the caller goes away: stopping half-way is safe, but a finished report is more use.
        // With orchestrations on, the run is a purge orchestration (the Function App passes its Durable client with the request).
        var now = time.GetUtcNow();
        var runId = PurgeRunner.StaffRunId(region, now);
        var actor = StaffWorkflowEndpoints.Actor(context);
        PurgeRun run;
        if (durable.Value.Enabled && (context.Items[PurgeOrchestrations.DurableClientItem] as DurableTaskClient ?? context.RequestServices.GetService<DurableTaskClient>()) is { } client)
        {
            await orchestrations.RunNowAsync(client, region, runId, now, actor, dryRun, lifetime.ApplicationStopping);
            run = await store.GetAsync(runId, lifetime.ApplicationStopping) ?? throw new InvalidOperationException($"Purge run {runId} was not stored.");
        }
        else
        {
            run = await runner.RunAsync(region, runId, now, actor, dryRun, lifetime.ApplicationStopping);
        }

        return TypedResults.Created($"/api/admin/purges/{run.Id}", await ReportAsync(run, store, sources, lifetime.ApplicationStopping));
    }

    private static async Task<PurgeReportResponse> ReportAsync(PurgeRun run, IPurgeStore store, IDataSourceRegistry sources, CancellationToken cancellationToken)
    {
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
