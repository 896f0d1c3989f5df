using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataRights.Host.Functions;
using DataRights.Host.Scheduling;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Azure;

/// <summary>The function list defined once in code, the function.json and host.json generated from it, and the handler routes behind it.</summary>
public sealed class FunctionsPackagingTests
{
    [Fact]
    public void Catalog_ListsTheHttpFunctionTheWorkQueueTheRelayAndATimerPerScheduledJob()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };

        var names = factory.Services.GetRequiredService<FunctionCatalog>().All.Select(f => f.Name).ToList();
        var jobs = factory.Services.GetRequiredService<JobScheduler>().Jobs.Select(j => "timer-" + j.Name);

        Assert.Equal(["http", "work-item", "queue-relay", .. jobs], names);
        Assert.Contains("timer-overdue-digest", names);
    }

    [Fact]
    public void Catalog_EveryNonHttpFunctionHasAHandlerRouteThatTakesAPost()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        _ = factory.Server;

        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<FunctionInvocationMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<FunctionInvocationMetadata>()!.FunctionName, e => e);
        var functions = factory.Services.GetRequiredService<FunctionCatalog>().All;

        Assert.All(functions.Where(f => f is not HttpFunction), f =>
        {
            Assert.True(routes.TryGetValue(f.Name, out var endpoint), $"{f.Name} has no handler route");
            Assert.Equal("/" + f.Name, endpoint!.RoutePattern.RawText);
            Assert.Contains("POST", endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods);
        });
        Assert.Equal(functions.Count - 1, routes.Count);
    }

    [Fact]
    public async Task Catalog_TheHttpFunctionsRoutesAreTheProgramsOwn()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        // Forwarded requests keep their path, so the program's routes answer them directly.
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var form = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
    }

    [Fact]
    public void Generator_WritesHostJsonAndOneFunctionJsonPerFunction()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        var folder = Directory.CreateTempSubdirectory("datarights-functions-").FullName;
        try
        {
            var written = FunctionsPackaging.Write(factory.Services.GetRequiredService<FunctionCatalog>(), folder);

            Assert.Equal(["http", "work-item", "queue-relay", "timer-overdue-digest", "timer-purge-eu-west", "timer-purge-us-east", "timer-purge-us-west"], written);
            Assert.Equal(written.Order(), Directory.GetDirectories(folder).Select(Path.GetFileName).Order());

            var host = Read(folder, "host.json");
            Assert.Equal("2.0", host["version"]!.GetValue<string>());
            Assert.Equal("DataRights.Host", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
            Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
            Assert.Equal(string.Empty, host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
            Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host["extensionBundle"]!["id"]!.GetValue<string>());

            AssertJson(
                """{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"anonymous","methods":["get","post","put","patch","delete","head","options"],"route":"{*path}"},{"type":"http","direction":"out","name":"res"}]}""",
                Read(folder, "http/function.json"));
            AssertJson(
                """{"bindings":[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"%DataRights__Queue__ServiceBus__QueueName%","connection":"ServiceBusConnection","isSessionsEnabled":false}]}""",
                Read(folder, "work-item/function.json"));
            AssertJson(
                """{"bindings":[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 */1 * * * *","runOnStartup":false,"useMonitor":true}]}""",
                Read(folder, "queue-relay/function.json"));

            // 08:00 on weekdays in London is 07:00 or 08:00 UTC: the trigger fires at both, the job runs once.
            AssertJson(
                """{"bindings":[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 0 7,8 * * *","runOnStartup":false,"useMonitor":true}]}""",
                Read(folder, "timer-overdue-digest/function.json"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Generator_HostJsonMatchesTheOneInTheRepository()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root!.FullName, "DataRights.sln")))
        {
            root = root.Parent;
        }

        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(root.FullName, "host.json")))!;

        AssertJson(FunctionsPackaging.HostJson().ToJsonString(), committed);
    }

    [Theory]
    [InlineData("0 0 8 * * 1-5", "Europe/London", "0 0 7,8 * * *")]
    [InlineData("0 30 1 * * *", "America/New_York", "0 30 5,6 * * *")]
    [InlineData("0 0 23 * * *", "Europe/Amsterdam", "0 0 21,22 * * *")]
    [InlineData("0 15 2 * * *", "UTC", "0 15 2 * * *")]
    [InlineData("0 0 9-17/4 * * *", "Europe/London", "0 0 8,9,12,13,16,17 * * *")]
    [InlineData("0 0 * * * 1", "Europe/London", "0 0 * * * *")]
    [InlineData("0 0 8 * * *", "Asia/Kolkata", TimerSchedules.FallbackSchedule)]
    public void TimerSchedule_ForAJobsLocalClock_FiresAtEveryUtcTimeItsOccurrencesCanFallOn(string local, string zone, string utc)
    {
        Assert.Equal(utc, TimerSchedules.ForUtcTrigger(local, zone));
    }

    [Fact]
    public async Task TimerInvocation_RunsTheJobsDueOccurrenceOnceAndAnswersTheHandlerShape()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        await SubmitAndVerifyAsync(factory, client);

        // Friday 4 December 2026, the trigger fires at 08:00 UTC (08:00 GMT): the request is two days overdue.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 8, 0, 1, TimeSpan.Zero));
        await factory.DrainAsync();
        var (first, answer) = await Invocations.PostAsync(client, "timer-overdue-digest", Invocations.Timer());
        var (again, repeated) = await Invocations.PostAsync(client, "timer-overdue-digest", Invocations.Timer());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("job overdue-digest ran", answer.GetProperty("Logs")[0].GetString());
        Assert.Equal(JsonValueKind.Object, answer.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("ReturnValue").ValueKind);
        Assert.Equal("job overdue-digest had no occurrence due", repeated.GetProperty("Logs")[0].GetString());
        Assert.Single(factory.Outbox, m => m.Subject.StartsWith("Privacy requests digest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TimerInvocation_AtTheOtherUtcHour_RunsNothing()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        await SubmitAndVerifyAsync(factory, client);
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 8, 0, 1, TimeSpan.Zero));
        await factory.DrainAsync();
        var (thursday, _) = await Invocations.PostAsync(client, "timer-overdue-digest", Invocations.Timer());

        // 07:00 UTC on Friday in December is 07:00 in London: an hour before Friday's digest.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 7, 0, 1, TimeSpan.Zero));
        await factory.DrainAsync();
        var (response, answer) = await Invocations.PostAsync(client, "timer-overdue-digest", Invocations.Timer());

        Assert.Equal(HttpStatusCode.OK, thursday.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("job overdue-digest had no occurrence due", answer.GetProperty("Logs")[0].GetString());
        Assert.Single(factory.Outbox, m => m.Subject.StartsWith("Privacy requests digest for Thursday", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Outbox, m => m.Subject.StartsWith("Privacy requests digest for Friday", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TimerInvocation_WithoutATimerBinding_Is400()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        var (response, _) = await Invocations.PostAsync(client, "timer-overdue-digest", new JsonObject { ["Data"] = new JsonObject() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static JsonNode Read(string folder, string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!;

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual.ToJsonString()}");
}
