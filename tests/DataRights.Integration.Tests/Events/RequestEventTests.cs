using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Host.Events;
using DataRights.Core.Retention;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Retention;
using DataRights.Integration.Tests.Workflow;
using DataRights.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Events;

/// <summary>The program publishing a request's changes and purge reports to the in-test broker through the real SDK.</summary>
public sealed class RequestEventTests
{
    private const string Email = "jane.doe@example.com";

    [Fact]
    public async Task Journey_PublishesReceivedVerifiedApprovedCompleted_InOrder_AsCloudEventsWithoutPersonalData()
    {
        await using var broker = ServiceBusStandIns.Started();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Email, 3);
        using var factory = new DataRightsFactory(settings: ServiceBusStandIns.Settings(broker)) { Sources = new InMemorySourceRegistry(crm) };
        using var client = factory.CreateClient();

        var id = await WorkflowEndToEndTests.SubmitAndVerifyAsync(factory, client);
        using var approved = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { note = "Checked against the CRM record of Jane Doe" });
        Assert.True(approved.IsSuccessStatusCode);
        await factory.DrainAsync();

        Assert.Equal("completed", await WorkflowEndToEndTests.StatusAsync(client, id));
        var events = broker.Messages.Select(m => JsonDocument.Parse(m.Body).RootElement).ToList();
        Assert.Equal(
            ["org.datarights.request.received", "org.datarights.request.verified", "org.datarights.request.approved", "org.datarights.request.completed"],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(
            [$"{id}:event:received:1", $"{id}:event:verified:1", $"{id}:event:approved:1", $"{id}:event:completed:1"],
            broker.Messages.Select(m => m.MessageId));
        Assert.All(broker.Messages.Zip(events), pair =>
        {
            var (message, e) = pair;
            Assert.Equal("1.0", e.GetProperty("specversion").GetString());
            Assert.Equal(message.MessageId, e.GetProperty("id").GetString());
            Assert.Equal("/datarights", e.GetProperty("source").GetString());
            Assert.Equal("application/json", e.GetProperty("datacontenttype").GetString());
            Assert.True(e.GetProperty("time").GetDateTimeOffset() > DateTimeOffset.MinValue);
            var data = e.GetProperty("data");
            Assert.Equal(id, data.GetProperty("requestId").GetString());
            Assert.Equal("DR-2026-000001", data.GetProperty("reference").GetString());
            Assert.Equal("UK", data.GetProperty("jurisdiction").GetString());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", data.GetProperty("dueOn").GetString());
            Assert.Equal(e.GetProperty("type").GetString(), message.Subject);
            Assert.DoesNotContain(Email, message.BodyText, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Jane", message.BodyText, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Doe", message.BodyText, StringComparison.Ordinal);
            Assert.DoesNotContain("ACC-1001", message.BodyText, StringComparison.Ordinal);
        });
        Assert.Equal(["received", "verified", "executing", "completed"], events.Select(e => e.GetProperty("data").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task PublishingStep_RunAgain_SendsTheSameMessageId_TopicKeepsOne()
    {
        await using var broker = ServiceBusStandIns.Started();
        using var factory = new DataRightsFactory(settings: ServiceBusStandIns.Settings(broker)) { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        var id = await WorkflowEndToEndTests.SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        var received = Assert.Single(broker.Messages);

        // The step delivered again (a crash after the send, before the step was marked done).
        var handler = factory.Services.GetServices<Host.Workflow.IWorkHandler>().OfType<EventWorkHandler>().Single();
        var item = await EventItemAsync(factory, id, received.MessageId);
        await handler.HandleAsync(new WorkAttempt(item, 2), isLastAttempt: false, CancellationToken.None);

        Assert.Equal(received.MessageId, Assert.Single(broker.Messages).MessageId);
        Assert.Equal(1, broker.Duplicates);
    }

    [Fact]
    public async Task BrokerDown_PublishingStepIsRetried_AndTheEventArrivesOnceItIsBack()
    {
        await using var broker = ServiceBusStandIns.Started();
        using var factory = new DataRightsFactory(settings: ServiceBusStandIns.Settings(broker)) { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        broker.Stop();
        var id = await WorkflowEndToEndTests.SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        Assert.Empty(broker.Messages);
        Assert.Contains(factory.Logs.Lines, line => line.Contains($"{id}:event:received:1", StringComparison.Ordinal) && line.Contains("retr", StringComparison.OrdinalIgnoreCase));

        broker.Start();
        await factory.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.Equal($"{id}:event:received:1", Assert.Single(broker.Messages).MessageId);
    }

    [Fact]
    public async Task PurgeRun_PublishesItsReport()
    {
        await using var broker = ServiceBusStandIns.Started();
        using var factory = new DataRightsFactory(settings: ServiceBusStandIns.Settings(broker));
        using var client = factory.CreateClient();

        var report = await PurgeKit.RunNowAsync(client, "us-west", dryRun: false);

        var message = Assert.Single(broker.Messages);
        var e = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal("org.datarights.purge.finished", e.GetProperty("type").GetString());
        Assert.Equal(message.MessageId, e.GetProperty("id").GetString());
        var data = e.GetProperty("data");
        Assert.Equal(report.GetProperty("id").GetString(), data.GetProperty("runId").GetString());
        Assert.Equal("us-west", data.GetProperty("region").GetString());
        Assert.Equal(report.GetProperty("rows").GetArrayLength(), data.GetProperty("lines").GetArrayLength());
        Assert.DoesNotContain("@", message.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PurgeReport_BrokerDownAtTheEnd_IsPublishedWhenTheFinishIsRetried_AndOnlyOnce()
    {
        await using var broker = ServiceBusStandIns.Started();
        using var factory = new DataRightsFactory(settings: ServiceBusStandIns.Settings(broker));
        using var client = factory.CreateClient();
        var purges = factory.Services.GetRequiredService<PurgeOrchestrations>();
        var hub = factory.Services.GetRequiredService<DurableTaskClient>();
        var store = factory.Services.GetRequiredService<IPurgeStore>();
        var region = PurgeRegions.Find("eu-west")!;
        var now = factory.Clock.GetUtcNow();
        var runId = PurgeOrchestrations.StaffRunId(region, PurgeOrchestrations.StaffOccurrence(now), dryRun: false);
        var instanceId = PurgeOrchestrations.StaffInstanceId(runId);

        broker.Stop();
        Assert.True(await purges.StartNowAsync(hub, region, runId, now, "staff:test", dryRun: false, CancellationToken.None));
        await factory.DrainAsync();

        // The run is finished in the store, its report not published: the finish activity waits for its retry.
        var run = await store.GetAsync(runId, CancellationToken.None);
        Assert.Equal(PurgeRun.Completed, run?.Status);
        Assert.Empty(broker.Messages);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await hub.GetInstanceAsync(instanceId))?.RuntimeStatus);

        // The retry's timer (5 s) is set by the task hub's own clock, the real one: the program's clock is moved past it.
        broker.Start();
        factory.Clock.SetUtcNow(TimeProvider.System.GetUtcNow().AddSeconds(6));
        await factory.DrainAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await hub.GetInstanceAsync(instanceId))?.RuntimeStatus);
        Assert.Single(broker.Messages);

        // An orchestration carrying the finished run again publishes its report again: a duplicate the broker drops.
        await hub.ScheduleNewOrchestrationInstanceAsync(
            PurgeOrchestrator.Name, new PurgeRunInput(runId, region.Key, now, "staff:test", DryRun: false, BatchesPerGeneration: 50), new StartOrchestrationOptions("purge-again"));
        await factory.DrainAsync();

        var message = Assert.Single(broker.Messages);
        Assert.Equal(PurgeReportPublisher.EventId(run!), message.MessageId);
        Assert.Equal(1, broker.Duplicates);
        Assert.Equal("completed", JsonDocument.Parse(message.Body).RootElement.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task NoServiceBus_EventsAreWrittenToTheDataFolder_AndTheStartSaysSo()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        var id = await WorkflowEndToEndTests.SubmitAsync(client, factory.Services);
        await factory.DrainAsync();

        Assert.Contains(factory.Logs.Lines, line => line.Contains("Events are not published: no Service Bus configured", StringComparison.Ordinal));
        var file = Path.Combine(factory.DataDirectory, "events", FileEventSink.FileName($"{id}:event:received:1"));
        Assert.Equal("org.datarights.request.received", JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("type").GetString());
    }

    private static async Task<WorkItem> EventItemAsync(DataRightsFactory factory, string requestId, string itemId)
    {
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var request = await store.GetAsync(requestId, CancellationToken.None);
        Assert.NotNull(request);
        var decision = factory.Services.GetRequiredService<Host.Workflow.WorkflowEngine>().Start(request with { Status = Core.Requests.RequestStatus.Received }, "test");
        return Core.Workflow.OwedWork.Of(Assert.Single(decision.Effects, e => e.Id == itemId)).For(requestId);
    }
}
