using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Http;

/// <summary>The staff console's administrator pages (<c>/staff/sources</c>, holds, suppression, retention, purges). Each function hands its request to the <see cref="SharedPipeline"/>; the forms pass the Durable client.</summary>
public sealed class StaffConsoleAdminFunctions(SharedPipeline pipeline)
{
    [Function("ConsoleSources")]
    public Task<IActionResult> ConsoleSources([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/sources")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleSourceTest")]
    public Task<IActionResult> SourceTest([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/sources/{key}/test")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleHolds")]
    public Task<IActionResult> Holds([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "staff/holds")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleHoldLift")]
    public Task<IActionResult> HoldLift([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/holds/{id}/lift")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleSuppression")]
    public Task<IActionResult> Suppression([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "staff/suppression")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleRetention")]
    public Task<IActionResult> Retention([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/retention")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsolePurges")]
    public Task<IActionResult> ConsolePurges([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/purges")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsolePurgeReportCsv")]
    public Task<IActionResult> ConsolePurgeReportCsv([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/purges/{id}.csv")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsolePurgeReport")]
    public Task<IActionResult> ConsolePurgeReport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/purges/{id}")] HttpRequest req) => pipeline.ServeAsync(req);
}
