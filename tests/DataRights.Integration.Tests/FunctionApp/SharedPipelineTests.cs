using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Durable;
using DataRights.Host.Http;
using DataRights.Host.Requests;
using DataRights.Host.Scheduling;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>A request through an HTTP function gets exactly what the stand-alone host answers.</summary>
public sealed class SharedPipelineTests
{
    [Fact]
    public async Task Health_ThroughItsFunction_IsAnsweredAsTheStandAloneHostAnswersIt()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        using var factory = new DataRightsFactory();

        using var viaFunction = await functionApp.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative));
        using var standAlone = await factory.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, viaFunction.StatusCode);
        Assert.Equal(await standAlone.Content.ReadAsStringAsync(), await viaFunction.Content.ReadAsStringAsync());
        Assert.Equal(standAlone.Content.Headers.ContentType, viaFunction.Content.Headers.ContentType);
        // The security headers come from the shared middleware.
        Assert.Equal(Headers(standAlone), Headers(viaFunction));
        Assert.Contains("X-Content-Type-Options", Headers(viaFunction).Keys);
    }

    [Theory]
    [InlineData("""{"type":"delete-everything","email":"a@example.com","fullName":"A B"}""")]
    [InlineData("""{"type":"erasure","email":"a@example.com",""")]
    public async Task SubmitRequest_BadBody_GetsTheSameProblemAsStandAlone(string json)
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        using var factory = new DataRightsFactory();

        var (status, type, problem) = await PostAsync(functionApp.CreateClient(), json);
        var (expectedStatus, expectedType, expectedProblem) = await PostAsync(factory.CreateClient(), json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedType, type);
        Assert.True(JsonNode.DeepEquals(expectedProblem, problem), $"function app: {problem}\nstand-alone: {expectedProblem}");
    }

    [Fact]
    public async Task StaffApi_WithoutSignIn_IsRefusedByTheSharedAuthorization()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        using var factory = new DataRightsFactory();

        using var viaFunction = await functionApp.CreateClient().GetAsync(new Uri("/api/admin/requests", UriKind.Relative));
        using var standAlone = await factory.CreateClient().GetAsync(new Uri("/api/admin/requests", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, viaFunction.StatusCode);
        var problem = await ProblemAsync(viaFunction);
        var expected = await ProblemAsync(standAlone);
        Assert.True(JsonNode.DeepEquals(expected, problem), $"function app: {problem}\nstand-alone: {expected}");
    }

    [Fact]
    public async Task HostedServices_InTheFunctionApp_AreNeitherTheSchedulerNorTheLocalTaskHub()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();

        var hosted = functionApp.Services.GetServices<IHostedService>().ToList();

        // Timer functions run the jobs there; the orchestrations' steps run the work.
        Assert.NotEmpty(hosted);
        Assert.DoesNotContain(hosted, s => s is JobSchedulerLoop);
        Assert.DoesNotContain(hosted, s => s is LocalTaskHub);
    }

    [Fact]
    public async Task ARequestSetAside_TriedAgainThroughItsFunction_StartsItsTakingInWithTheBoundClient_AndOneRemovedIsRecorded()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        var inbox = functionApp.Services.GetRequiredService<ISubmissionInbox>();
        var now = TimeProvider.System.GetUtcNow();
        var ids = new[] { "dr_0000000000000000000000f1", "dr_0000000000000000000000f2" };
        foreach (var id in ids)
        {
            await inbox.AddAsync(new ReceivedSubmission(id, IntakeChannel.WebForm, now.AddHours(-3), new IntakeSubmission("erasure", "aside@example.com", "Al Aside", "UK", null, null)), CancellationToken.None);
            Assert.True(await inbox.MarkAsync(id, new SubmissionSetAside(now.AddHours(-2), 3, TryAgain: false), CancellationToken.None));
        }

        using var client = functionApp.CreateBrowserClient();
        await StaffConsole.ConsoleClient.SignInAsync(client);
        using var tryAgain = await StaffConsole.ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{ids[0]}/try-again");
        using var remove = await StaffConsole.ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{ids[1]}/remove", ("handled", "yes"), ("how", "Answered by phone."), ("outcome", "done"), ("answered", now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        // The taking in starts through the client the Functions host binds to the function, its mark off.
        Assert.Equal("/staff/set-aside?done=try-again", tryAgain.Headers.Location?.OriginalString);
        var started = Assert.Single(functionApp.Durable.Started);
        Assert.Equal((SubmissionOrchestrator.Name, SubmissionOrchestrator.InstanceId(ids[0])), (started.Name, started.InstanceId));
        Assert.Null((await inbox.GetAsync(ids[0], CancellationToken.None))?.SetAside);
        Assert.Equal("/staff/set-aside?done=removed", remove.Headers.Location?.OriginalString);
        Assert.Null(await inbox.GetAsync(ids[1], CancellationToken.None));
        var record = Assert.Single(await functionApp.Services.GetRequiredService<IHandledSubmissions>().ListAsync(10, CancellationToken.None));
        Assert.Equal((ids[1], "Priya Officer", "Answered by phone."), (record.SubmissionId, record.HandledBy, record.Note));
    }

    [Fact]
    public async Task SubmitRequest_ThroughItsFunction_KeepsTheSubmission_ItsTakingInStartsTheRequestsOrchestrationBeforeWritingIt()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        var client = functionApp.CreateClient();

        using var content = new StringContent("""{"type":"erasure","email":"kim.lee@example.com","fullName":"Kim Lee","jurisdiction":"UK"}""", Encoding.UTF8, "application/json");
        using var submitted = await client.PostAsync(new Uri("/api/requests", UriKind.Relative), content);

        // Answered once queued; the queue trigger keeps it and starts its taking in: an orchestration whose input names the
        // submission, not the person.
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Empty(functionApp.Durable.Started);
        Assert.Equal(["handed over"], await functionApp.KeepQueuedSubmissionsAsync());
        var takingIn = Assert.Single(functionApp.Durable.Started);
        Assert.Equal(SubmissionOrchestrator.Name, takingIn.Name);
        var submission = Assert.IsType<SubmissionRun>(takingIn.Input);
        Assert.Equal(SubmissionOrchestrator.InstanceId(submission.SubmissionId), takingIn.InstanceId);
        Assert.DoesNotContain("kim.lee", System.Text.Json.JsonSerializer.Serialize(takingIn.Input), StringComparison.OrdinalIgnoreCase);
        var inbox = functionApp.Services.GetRequiredService<ISubmissionInbox>();
        Assert.Equal("kim.lee@example.com", (await inbox.GetAsync(submission.SubmissionId, CancellationToken.None))?.Submission.Email);

        // Its activity, as the Functions host runs it, with the client bound to it.
        Assert.Equal(["a new request"], await functionApp.TakeInSubmissionsAsync());

        var id = await functionApp.Services.WaitingIdAsync("kim.lee@example.com");
        Assert.Equal(2, functionApp.Durable.Started.Count);
        var started = functionApp.Durable.Started.ElementAt(1);
        Assert.Equal(RequestOrchestrator.Name, started.Name);
        Assert.Equal(RequestOrchestrator.InstanceId(id), started.InstanceId);
        var run = Assert.IsType<RequestRun>(started.Input);
        Assert.Equal(id, run.RequestId);
        // Started before the request was written, to read its work from the request once it is stored at that version.
        Assert.Empty(run.Work);
        var stored = await functionApp.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None);
        Assert.Equal(stored!.Version, run.CommitVersion);
        // Told once, and nothing else; the submission is no longer kept.
        Assert.Empty(functionApp.Durable.Raised);
        Assert.Null(await inbox.GetAsync(submission.SubmissionId, CancellationToken.None));
    }

    [Fact]
    public async Task SubmitRequest_ThroughItsFunction_WhenTheTaskHubRefusesTheStart_TheQueueTriggerFails_AndItsMessageIsReadAgain()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        functionApp.Durable.Refusal = new InvalidOperationException("The task hub is unavailable (test).");
        var client = functionApp.CreateClient();

        using var content = new StringContent("""{"type":"erasure","email":"refused@example.com","fullName":"Kim Lee","jurisdiction":"UK"}""", Encoding.UTF8, "application/json");
        using var answer = await client.PostAsync(new Uri("/api/requests", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);

        // The queue trigger throws, so the Functions host leaves the message on the queue and reads it again.
        var queue = functionApp.Services.GetRequiredService<SubmissionQueue>();
        var message = Assert.Single(await queue.ReceiveAsync(poison: false, 16, TimeSpan.FromSeconds(1), CancellationToken.None));
        var function = new DataRights.Functions.Durable.SubmissionFunctions(
            functionApp.Services.GetRequiredService<TakeInActivity>(), functionApp.Services.GetRequiredService<SubmissionTakeIns>(), functionApp.Services.GetRequiredService<DataRights.Functions.Durable.ActivityStepGuard>());
        await Assert.ThrowsAsync<DataRights.Host.Workflow.OrchestrationUnavailableException>(() => function.Keep(message.Body.ToString(), functionApp.Durable, CancellationToken.None));
        Assert.Empty(functionApp.Durable.Started);
        var store = functionApp.Services.GetRequiredService<IRequestStore>();
        Assert.Null(await store.FindAwaitingVerificationAsync("refused@example.com", CancellationToken.None));

        // Read again once the task hub answers: kept once, taken in once.
        functionApp.Durable.Refusal = null;
        IReadOnlyList<string> kept = [];
        for (var waited = 0; waited < 100 && kept.Count == 0; waited++)
        {
            await Task.Delay(100);
            kept = await functionApp.KeepQueuedSubmissionsAsync();
        }

        Assert.Equal(["handed over"], kept);
        Assert.Equal(["a new request"], await functionApp.TakeInSubmissionsAsync());
        Assert.NotNull(await store.FindAwaitingVerificationAsync("refused@example.com", CancellationToken.None));
        Assert.Empty(await functionApp.Services.GetRequiredService<ISubmissionInbox>().ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    [Fact]
    public void ForwardedHeaders_WhenTheWorkerIntegrationAsksForAll_StayTheOnesDataRightsBelieves()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataRights:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDataRightsHttp();
        // What ConfigureFunctionsWebApplication registers, after the app's own services.
        services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.All);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
        Assert.Equal([System.Net.IPAddress.Loopback], options.KnownProxies);
    }

    private static async Task<(HttpStatusCode Status, string? Type, JsonNode? Problem)> PostAsync(HttpClient client, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/requests", UriKind.Relative), content);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await ProblemAsync(response));
    }

    private static async Task<JsonNode?> ProblemAsync(HttpResponseMessage response)
    {
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        // A trace id is per request.
        problem?.AsObject().Remove("traceId");
        return problem;
    }

    private static SortedDictionary<string, string> Headers(HttpResponseMessage response) =>
        new(response.Headers.Where(h => h.Key != "Date").ToDictionary(h => h.Key, h => string.Join(",", h.Value)), StringComparer.Ordinal);
}
