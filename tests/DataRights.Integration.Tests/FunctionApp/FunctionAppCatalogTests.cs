using System.Reflection;
using DataRights.Functions.Durable;
using DataRights.Host.Durable;
using Microsoft.DurableTask;
using DataRights.Functions.Timers;
using DataRights.Host.Scheduling;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>The Function App declares the stand-alone host's routes and scheduled jobs, no more and no fewer.</summary>
public sealed class FunctionAppCatalogTests
{
    /// <summary>Routes only the stand-alone host has: the local mail outbox (Development with the development sign-in).</summary>
    private static readonly string[] StandAloneOnly = ["/dev/mail", "/dev/mail.json", "/dev/mail/{file}"];

    [Fact]
    public void HttpFunctions_RoutesAndMethods_EqualTheStandAloneHostsEndpoints()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var standAlone = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Route: "/" + e.RoutePattern.RawText!.Trim('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => !StandAloneOnly.Contains(e.Route))
            .SelectMany(e => e.Methods.Select(m => m + " " + e.Route))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Contains("GET /healthz", standAlone);
        Assert.Equal(standAlone, FunctionCatalog.HttpRoutes());
    }

    [Fact]
    public void HttpFunctions_AreAnonymous_SoTheSharedPipelineDecidesWhoGetsIn()
    {
        var triggers = FunctionCatalog.Functions.Select(FunctionCatalog.HttpTriggerOf).OfType<Microsoft.Azure.Functions.Worker.HttpTriggerAttribute>().ToList();

        Assert.NotEmpty(triggers);
        Assert.All(triggers, t => Assert.Equal(Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous, t.AuthLevel));
    }

    [Fact]
    public void HttpFunctions_ThatMayDecide_BindADurableClient_SoTheirDecisionsCanTellTheOrchestrations()
    {
        // Any method but GET and HEAD may decide (and the link pages' GET too, which they bind already): without the
        // client, a decision with work could not be announced, and would be refused.
        var deciding = FunctionCatalog.Functions
            .Where(f => FunctionCatalog.HttpTriggerOf(f)?.Methods?.Any(m => m is not "get" and not "head") == true)
            .ToList();
        var unbound = deciding
            .Where(f => !f.GetParameters().Any(p => p.GetCustomAttribute<Microsoft.Azure.Functions.Worker.DurableClientAttribute>() is not null))
            .Select(FunctionCatalog.NameOf)
            .ToList();

        Assert.True(deciding.Count >= 20, $"{deciding.Count} deciding functions found");
        Assert.Empty(unbound);
    }

    [Fact]
    public void TimerFunctions_AreTheStandAloneSchedulersJobs_OnTheUtcClock()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var jobs = factory.Services.GetRequiredService<JobScheduler>().Jobs
            .ToDictionary(j => TimerFunctions.Prefix + j.Name, j => TimerSchedules.ForUtcTrigger(j.Schedule, j.TimeZoneId));
        var timers = FunctionCatalog.Functions.Where(f => FunctionCatalog.TimerTriggerOf(f) is not null)
            .ToDictionary(FunctionCatalog.NameOf, f => FunctionCatalog.TimerTriggerOf(f)!.Schedule);

        // Besides the jobs, only the Durable Task hub's own housekeeping (no relay: every decision tells its orchestration).
        Assert.Equal(DurableHistoryPurge.Schedule, timers[DurableHistoryPurge.Name]);
        timers.Remove(DurableHistoryPurge.Name);

        // The digest's schedule and zone are settings that differ by region: its timer fires every hour on the hour,
        // which covers the job's UTC hours whatever the zone (the validator refuses a schedule off the hour).
        var digest = TimerFunctions.Prefix + "overdue-digest";
        Assert.Equal("0 0 * * * *", timers[digest]);
        Assert.StartsWith("0 0 ", jobs[digest], StringComparison.Ordinal);
        jobs[digest] = timers[digest];
        Assert.Equal(5, jobs.Count);
        Assert.Equal(jobs.OrderBy(j => j.Key, StringComparer.Ordinal), timers.OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void DurableFunctions_AreTheOrchestrationsAndActivitiesTheStandAloneWorkerRuns()
    {
        static string NameOf(Type task) => task.GetCustomAttribute<DurableTaskAttribute>()!.Name.Name;

        Assert.Equal(
            DurableServiceCollectionExtensions.Orchestrators.Select(NameOf).Order(StringComparer.Ordinal),
            FunctionCatalog.NamesOf("orchestrationTrigger"));
        Assert.Equal(DurableServiceCollectionExtensions.ActivityNames, FunctionCatalog.NamesOf("activityTrigger"));
        Assert.NotEmpty(FunctionCatalog.NamesOf("activityTrigger"));
    }

    [Fact]
    public void TheQueueTrigger_ReadsTheSubmissionQueueTheStandAloneHostsReaderReads()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        // One queue trigger, on the queue the setting names (resolved by the Functions host), as the stand-alone host's reader reads it.
        var keep = Assert.Single(FunctionCatalog.Functions, f => FunctionCatalog.TriggerTypeOf(f) == "queueTrigger");
        Assert.Equal(DataRights.Functions.Durable.SubmissionFunctions.KeepName, FunctionCatalog.NameOf(keep));
        var trigger = keep.GetParameters().Select(p => p.GetCustomAttribute<Microsoft.Azure.Functions.Worker.QueueTriggerAttribute>()).Single(a => a is not null)!;
        Assert.Equal("%DataRights:Durable:SubmissionQueue%", trigger.QueueName);
        var configured = factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["DataRights:Durable:SubmissionQueue"];
        Assert.Equal(configured, factory.Services.GetRequiredService<DataRights.Host.Requests.SubmissionQueue>().Name);
        Assert.Contains(factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is SubmissionQueueListener);
    }

    [Theory]
    [InlineData("0 0 8 * * 1-5", "Europe/London")]
    [InlineData("0 0 18 * * 1-5", "Europe/London")]
    [InlineData("0 0 8 * * 1-5", "Europe/Amsterdam")]
    [InlineData("0 0 8 * * 1-5", "America/New_York")]
    [InlineData("0 0 8 * * 1-5", "America/Los_Angeles")]
    [InlineData("0 0 9 * * *", "UTC")]
    public void DigestTimer_FiresForAnyScheduleOnTheHour_InAnyWholeHourZone(string schedule, string zone)
    {
        var result = new DigestTimerValidator().Validate(null, new DataRights.Host.Workflow.WorkflowOptions { DigestSchedule = schedule, DigestTimeZone = zone });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("0 30 8 * * 1-5", "Europe/London")]
    [InlineData("0 0 8 * * 1-5", "Asia/Kolkata")]
    public void DigestTimer_ScheduleOffTheHour_StopsTheStartNamingTheSetting(string schedule, string zone)
    {
        var result = new DigestTimerValidator().Validate(null, new DataRights.Host.Workflow.WorkflowOptions { DigestSchedule = schedule, DigestTimeZone = zone });

        Assert.True(result.Failed);
        Assert.Contains("DataRights:Workflow:DigestSchedule", result.FailureMessage, StringComparison.Ordinal);
    }
}
