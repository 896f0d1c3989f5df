using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Http;

/// <summary>The staff API over sources, legal holds, suppressions, restrictions, retention policies and purges. Each function hands its request to the <see cref="SharedPipeline"/>.</summary>
public sealed class StaffAdminFunctions(SharedPipeline pipeline)
{
    [Function("Sources")]
    public Task<IActionResult> Sources([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/sources")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("Source")]
    public Task<IActionResult> Source([HttpTrigger(AuthorizationLevel.Anonymous, "get", "put", "delete", Route = "api/admin/sources/{key}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("TestSource")]
    public Task<IActionResult> TestSource([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/sources/{key}/test")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("LegalHolds")]
    public Task<IActionResult> LegalHolds([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/admin/holds")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("LegalHold")]
    public Task<IActionResult> LegalHold([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/admin/holds/{id}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("Suppressions")]
    public Task<IActionResult> Suppressions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/suppressions")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("CheckSuppression")]
    public Task<IActionResult> CheckSuppression([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/suppressions/check")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("Restrictions")]
    public Task<IActionResult> Restrictions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/restrictions")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("LiftRestriction")]
    public Task<IActionResult> LiftRestriction([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/restrictions/{id}/lift")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("RetentionPolicies")]
    public Task<IActionResult> RetentionPolicies([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/retention")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("RetentionPolicy")]
    public Task<IActionResult> RetentionPolicy([HttpTrigger(AuthorizationLevel.Anonymous, "get", "put", Route = "api/admin/retention/{region}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("Purges")]
    public Task<IActionResult> Purges([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/admin/purges")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("FollowUpErasures")]
    public Task<IActionResult> FollowUpErasures([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/purges/follow-ups")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("PurgeRunStatus")]
    public Task<IActionResult> PurgeRunStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/purges/{id}/status")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("PurgeReportCsv")]
    public Task<IActionResult> PurgeReportCsv([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/purges/{id}.csv")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("PurgeReport")]
    public Task<IActionResult> PurgeReport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/purges/{id}")] HttpRequest req) => pipeline.ServeAsync(req);
}
