using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Http;

/// <summary>The public pages and API: intake, status, health, the OpenAPI document, connector callbacks. Each function hands its request to the <see cref="SharedPipeline"/>.</summary>
public sealed class PublicFunctions(SharedPipeline pipeline)
{
    [Function("IntakeForm")]
    public Task<IActionResult> IntakeForm([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = Routes.Root)] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("SiteCss")]
    public Task<IActionResult> SiteCss([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/site.css")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("Health")]
    public Task<IActionResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("SubmitRequest")]
    public Task<IActionResult> SubmitRequest([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/requests")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("RequestStatus")]
    public Task<IActionResult> RequestStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/status/{token}")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("StatusPage")]
    public Task<IActionResult> StatusPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status/{token}")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("ResendStatusLink")]
    public Task<IActionResult> ResendStatusLink([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "status/{token}/resend")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConnectorCallback")]
    public Task<IActionResult> ConnectorCallback([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/callbacks/{token}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ConnectorCallbackProceed")]
    public Task<IActionResult> ConnectorCallbackProceed([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/callbacks/{token}/proceed")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("OpenApiDocument")]
    public Task<IActionResult> OpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/{documentName}.json")] HttpRequest req) => pipeline.ServeAsync(req);
}
