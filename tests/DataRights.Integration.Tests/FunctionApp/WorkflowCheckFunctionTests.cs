using System.Net;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Functions.Timers;
using DataRights.Host.Durable;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Storage.AzureTables;
using DataRights.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>
/// The Function App's workflow-check timer: it looks at each open request's orchestration through the Durable client the
/// Functions host binds to it, and starts again, through the same client, the one that is not there.
/// </summary>
public sealed class WorkflowCheckFunctionTests
{
    [Fact]
    public async Task WorkflowCheckTimer_StartsTheOrchestrationOfAnOpenRequestThatHasNone_ThroughItsBoundClient()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        using var client = functionApp.CreateClient();
        using var response = await client.PostJsonAsync(Submissions.Valid("timer.check@example.com"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await functionApp.TakeInSubmissionsAsync();
        var id = await functionApp.Services.WaitingIdAsync("timer.check@example.com");
        var instanceId = RequestOrchestrator.InstanceId(id);
        var startedAtIntake = functionApp.Durable.Started.Count(s => s.InstanceId == instanceId);
        var others = functionApp.Durable.Started.Count(s => s.InstanceId != instanceId);

        // The binding's task hub has no such instance (it never ran): staff are told so, through the client bound to the function.
        var missing = await Durable.WorkflowCheckTests.WorkflowAsync(client, id);
        Assert.Equal("missing", missing.GetProperty("state").GetString());
        Assert.Equal("Not running: no workflow carries this open request. The hourly workflow check starts it again.", missing.GetProperty("summary").GetString());

        // The hourly check, last run two hours ago, is due.
        var now = TimeProvider.System.GetUtcNow();
        await functionApp.Services.GetRequiredService<IJobRunStore>().RecordAsync(WorkflowCheckJob.JobName, now.AddHours(-2), now.AddHours(-2), CancellationToken.None);
        var timers = ActivatorUtilities.CreateInstance<TimerFunctions>(functionApp.Services);
        await timers.WorkflowCheck(new TimerInfo(), functionApp.Durable, CancellationToken.None);

        Assert.Equal(1, startedAtIntake);
        var restart = functionApp.Durable.Started.Where(s => s.InstanceId == instanceId).Skip(1);
        Assert.Equal(RequestOrchestrator.Name, Assert.Single(restart).Name);
        var trail = await functionApp.Services.GetRequiredService<IRequestStore>().GetAuditTrailAsync(id, CancellationToken.None);
        Assert.Single(trail, e => e.Action == "workflow.restarted" && e.Actor == WorkflowCheckJob.Actor);

        // Once the instance runs, the next hour's check starts nothing.
        functionApp.Durable.Instances[instanceId] = new OrchestrationMetadata(RequestOrchestrator.Name, instanceId) { RuntimeStatus = OrchestrationRuntimeStatus.Running };
        await functionApp.Services.GetRequiredService<IJobRunStore>().RecordAsync(WorkflowCheckJob.JobName, now.AddHours(-1), now.AddHours(-1), CancellationToken.None);
        await timers.WorkflowCheck(new TimerInfo(), functionApp.Durable, CancellationToken.None);
        Assert.Equal("running", (await Durable.WorkflowCheckTests.WorkflowAsync(client, id)).GetProperty("state").GetString());
        Assert.Equal(2, functionApp.Durable.Started.Count(s => s.InstanceId == instanceId));
        Assert.Single(await functionApp.Services.GetRequiredService<IRequestStore>().GetAuditTrailAsync(id, CancellationToken.None), e => e.Action == "workflow.restarted");
        Assert.Equal(others, functionApp.Durable.Started.Count(s => s.InstanceId != instanceId));
    }

    [Fact]
    public async Task WorkflowCheckTimer_StartsAgainTheNightlyPurgeWhoseOrchestrationFailed_ThroughItsBoundClient()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        var now = TimeProvider.System.GetUtcNow();
        var region = PurgeRegions.Find("eu-west")!;
        var occurrence = PurgeOrchestrations.DueOccurrence(region, now, TimeSpan.FromDays(2))!.Value;
        var failed = PurgeOrchestrations.InstanceId(region, occurrence, dryRun: false);
        functionApp.Durable.Instances[failed] = new OrchestrationMetadata(PurgeOrchestrator.Name, failed) { RuntimeStatus = OrchestrationRuntimeStatus.Failed };
        await functionApp.Services.GetRequiredService<IJobRunStore>().RecordAsync(WorkflowCheckJob.JobName, now.AddHours(-2), now.AddHours(-2), CancellationToken.None);
        var timers = ActivatorUtilities.CreateInstance<TimerFunctions>(functionApp.Services);

        await timers.WorkflowCheck(new TimerInfo(), functionApp.Durable, CancellationToken.None);

        var again = Assert.Single(functionApp.Durable.Started, s => s.Name == PurgeOrchestrator.Name);
        Assert.Equal(PurgeOrchestrations.ResumeInstanceId(failed, 1), again.InstanceId);
        var input = Assert.IsType<PurgeRunInput>(again.Input);
        Assert.Equal((PurgeOrchestrations.TimerRunId(region, occurrence, dryRun: false), PurgeOrchestrations.TimerActor, occurrence), (input.RunId, input.Actor, input.ScheduledFor));
    }

    [Fact]
    public async Task WorkflowCheckTimer_SetsAsideASubmissionWhoseTakingInStoppedAWorkerOnEachOfThreeOtherInstances()
    {
        // The check's own taking in is noted in the store every instance shares: three workers, each on an instance of its
        // own, stopped while taking this submission in at their checks; this instance's check sets it aside, unrun.
        await using var functionApp = await FunctionAppServer.StartAsync();
        var inbox = functionApp.Services.GetRequiredService<ISubmissionInbox>();
        var now = TimeProvider.System.GetUtcNow();
        var kept = new ReceivedSubmission(
            "dr_" + Guid.NewGuid().ToString("N")[..24], IntakeChannel.Api, now.AddMinutes(-11), new IntakeSubmission("access", "three.instances@example.com", "Kept Person", "UK", null, null));
        await inbox.AddAsync(kept, CancellationToken.None);
        var hub = functionApp.Services.GetRequiredService<IOptions<DurableOptions>>().Value.HubName;
        for (var instance = 1; instance <= 3; instance++)
        {
            await new AzureTableStepNotes(functionApp.Services.GetRequiredService<AzureTableStore>(), hub, stopsAllowed: 3)
                .TakeAsync(SubmissionTakeIns.StepOf(kept.Id), CancellationToken.None);
        }

        await functionApp.Services.GetRequiredService<IJobRunStore>().RecordAsync(WorkflowCheckJob.JobName, now.AddHours(-2), now.AddHours(-2), CancellationToken.None);
        await ActivatorUtilities.CreateInstance<TimerFunctions>(functionApp.Services).WorkflowCheck(new TimerInfo(), functionApp.Durable, CancellationToken.None);

        var setAside = Assert.Single(await inbox.ListSetAsideAsync(10, CancellationToken.None));
        Assert.Equal(kept.Id, setAside.Id);
        Assert.Equal(3, setAside.SetAside!.Stops);
        Assert.Null(await functionApp.Services.GetRequiredService<IRequestStore>().FindAwaitingVerificationAsync("three.instances@example.com", CancellationToken.None));
    }

    [Fact]
    public async Task WorkflowCheckTimer_DropsANoteOfAStepNoWorkerTookForAWeek_AndKeepsARecentOne()
    {
        // A worker on another instance stopped holding a step eight days ago, and the step was never delivered again (its
        // orchestration terminated meanwhile); another took a step an hour ago.
        await using var functionApp = await FunctionAppServer.StartAsync();
        var store = functionApp.Services.GetRequiredService<AzureTableStore>();
        var hub = functionApp.Services.GetRequiredService<IOptions<DurableOptions>>().Value.HubName;
        var now = TimeProvider.System.GetUtcNow();
        const string Old = "SearchSource\nnever delivered again", Recent = "SearchSource\ntaken an hour ago";
        await new AzureTableStepNotes(store, hub, stopsAllowed: 3, new FakeTimeProvider(now.AddDays(-8))).TakeAsync(Old, CancellationToken.None);
        await new AzureTableStepNotes(store, hub, stopsAllowed: 3, new FakeTimeProvider(now.AddHours(-1))).TakeAsync(Recent, CancellationToken.None);

        await functionApp.Services.GetRequiredService<IJobRunStore>().RecordAsync(WorkflowCheckJob.JobName, now.AddHours(-2), now.AddHours(-2), CancellationToken.None);
        await ActivatorUtilities.CreateInstance<TimerFunctions>(functionApp.Services).WorkflowCheck(new TimerInfo(), functionApp.Durable, CancellationToken.None);

        // The old note went (a step coming back after all counts afresh); the recent one still counts its worker's stop.
        var next = new AzureTableStepNotes(store, hub, stopsAllowed: 3);
        Assert.Equal(0, await next.TakeAsync(Old, CancellationToken.None));
        Assert.Equal(1, await next.TakeAsync(Recent, CancellationToken.None));
    }
}
