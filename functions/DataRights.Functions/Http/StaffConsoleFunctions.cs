using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Http;

/// <summary>The staff console's pages (<c>/staff</c>). Each function hands its request to the <see cref="SharedPipeline"/>; the forms that decide pass the Durable client.</summary>
public sealed class StaffConsoleFunctions(SharedPipeline pipeline)
{
    [Function("ConsoleInbox")]
    public Task<IActionResult> Inbox([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleSignIn")]
    public Task<IActionResult> ConsoleSignIn([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "staff/signin")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleSignOut")]
    public Task<IActionResult> ConsoleSignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/signout")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleRequest")]
    public Task<IActionResult> Request([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/requests/{id}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleEvidencePack")]
    public Task<IActionResult> EvidencePack([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/requests/{id}/evidence")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleEvidencePackPdf")]
    public Task<IActionResult> EvidencePackPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/requests/{id}/evidence.pdf")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleEmailCopy")]
    public Task<IActionResult> EmailCopy([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/requests/{id}/emails/{messageId}")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleSetAside")]
    public Task<IActionResult> SetAside([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/set-aside")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleSetAsideTryAgain")]
    public Task<IActionResult> SetAsideTryAgain([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/set-aside/{id}/try-again")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleSetAsideHandledCsv")]
    public Task<IActionResult> SetAsideHandledCsv([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/set-aside/handled.csv")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleSetAsideRemove")]
    public Task<IActionResult> SetAsideRemove([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/set-aside/{id}/remove")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConsoleMetrics")]
    public Task<IActionResult> Metrics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/metrics")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleCcpaMetrics")]
    public Task<IActionResult> CcpaMetrics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/metrics/ccpa.csv")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ConsoleRequestAction")]
    public Task<IActionResult> RequestAction([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/requests/{id}/{action}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);
}
