using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Http;

/// <summary>The pages emailed links open (verification, information, approval, tasks, downloads) and approver sign-in. Each function hands its request to the <see cref="SharedPipeline"/>.</summary>
public sealed class LinkFunctions(SharedPipeline pipeline)
{
    [Function("VerifyPage")]
    public Task<IActionResult> VerifyPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "verify/{token}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("InformationPage")]
    public Task<IActionResult> InformationPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "information/{token}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("ApprovalPage")]
    public Task<IActionResult> ApprovalPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "approve/{token}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("TaskPage")]
    public Task<IActionResult> TaskPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "task/{token}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("PurgeTaskPage")]
    public Task<IActionResult> PurgeTaskPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "purge-task/{token}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("DownloadPage")]
    public Task<IActionResult> DownloadPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "download/{token}")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);

    [Function("SignIn")]
    public Task<IActionResult> SignIn([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("SignInCallback")]
    public Task<IActionResult> SignInCallback([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin/callback")] HttpRequest req) => pipeline.ServeAsync(req);

    [Function("SignOut")]
    public Task<IActionResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signout")] HttpRequest req, [DurableClient] DurableTaskClient client) => pipeline.ServeAsync(req, client);
}
