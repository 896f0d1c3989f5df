using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Http;

/// <summary>The staff API over requests: list, enter, read, audit trail, the workflow's state, and the workflow decisions. Each function hands its request to the <see cref="SharedPipeline"/>.</summary>
public sealed class StaffRequestFunctions(SharedPipeline pipeline)
{
    [Function("StaffRequests")]
    public Task<IActionResult> StaffRequests([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/admin/requests")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("StaffRequest")]
    public Task<IActionResult> StaffRequest([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/requests/{id}")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("StaffRequestAudit")]
    public Task<IActionResult> StaffRequestAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/requests/{id}/audit")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("StaffRequestWorkflow")]
    public Task<IActionResult> StaffRequestWorkflow([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/requests/{id}/workflow")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("StaffVerify")]
    public Task<IActionResult> StaffVerify([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/requests/{id}/verify")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("StaffApprove")]
    public Task<IActionResult> StaffApprove([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/requests/{id}/approve")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("StaffReject")]
    public Task<IActionResult> StaffReject([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/requests/{id}/reject")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("StaffAsk")]
    public Task<IActionResult> StaffAsk([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/requests/{id}/ask")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("StaffExtend")]
    public Task<IActionResult> StaffExtend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/requests/{id}/extend")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("StaffRetry")]
    public Task<IActionResult> StaffRetry([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/requests/{id}/retry")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);
}
