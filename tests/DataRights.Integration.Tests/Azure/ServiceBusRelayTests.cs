using System.Net;
using System.Text.Json;
using DataRights.Host.Queue;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// DataRights:Queue:Provider=servicebus: committed work items are relayed to (a local fake of) Service Bus, and the
/// serviceBusTrigger's deliveries (POST /work-item) run them from the store.
/// </summary>
public sealed class ServiceBusRelayTests
{
    [Fact]
    public async Task Relay_AfterASubmission_SendsEachWorkItemWithItsIdAndTimersScheduled()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        var requestId = await SubmitAsync(client);

        var result = await RelayAsync(factory);

        var ids = Ids(factory.DatabasePath);
        Assert.Equal(ids.Count, result.Sent);
        Assert.Equal(ids.Count, fake.Requests.Count);
        Assert.True(ids.Count >= 2);
        foreach (var request in fake.Requests)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("/work-items/messages", request.Path);
            Assert.Equal("application/json", request.Header("Content-Type"));
            ServiceBusSenderTests.AssertValidSignature(request.Header("Authorization"), new Uri(fake.Endpoint, "work-items"), factory.Clock.GetUtcNow() + TimeSpan.FromMinutes(10));
            using var properties = JsonDocument.Parse(request.Header("BrokerProperties"));
            var messageId = properties.RootElement.GetProperty("MessageId").GetString()!;
            Assert.Contains(messageId, ids.Keys);
            using var body = JsonDocument.Parse(request.Body);
            Assert.Equal(messageId, body.RootElement.GetProperty("workItemId").GetString());
            Assert.Equal(requestId, body.RootElement.GetProperty("requestId").GetString());
            var due = ids[messageId];
            if (due > factory.Clock.GetUtcNow())
            {
                Assert.Equal(due.ToString("R", System.Globalization.CultureInfo.InvariantCulture), properties.RootElement.GetProperty("ScheduledEnqueueTimeUtc").GetString());
            }
            else
            {
                Assert.False(properties.RootElement.TryGetProperty("ScheduledEnqueueTimeUtc", out _));
            }

            // Keys only: no personal data on the queue.
            Assert.DoesNotContain("jane", request.Body, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(ids.Count, Database.Scalar(factory.DatabasePath, "SELECT COUNT(*) FROM work_items WHERE state = 'sent'"));
        Assert.Empty(factory.Outbox);
    }

    [Fact]
    public async Task Delivery_OfADueItem_RunsItOnceAndADuplicateDeliveryChangesNothing()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        await SubmitAsync(client);
        await RelayAsync(factory);
        var message = fake.Requests.Single(r => !r.Headers["BrokerProperties"].Contains("ScheduledEnqueueTimeUtc", StringComparison.Ordinal));
        var messageId = JsonDocument.Parse(message.Header("BrokerProperties")).RootElement.GetProperty("MessageId").GetString()!;

        var (first, answer) = await Invocations.PostAsync(client, "work-item", Invocations.ServiceBus(messageId, message.Body));
        var (second, _) = await Invocations.PostAsync(client, "work-item", Invocations.ServiceBus(messageId, message.Body, deliveryCount: 2));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(JsonValueKind.Object, answer.GetProperty("Outputs").ValueKind);
        Assert.Contains("processed", answer.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("ReturnValue").ValueKind);
        Assert.Equal("jane.doe@example.com", Assert.Single(factory.Outbox).To);
        Assert.Equal("done", Database.Text(factory.DatabasePath, "SELECT state FROM work_items WHERE id = $id", ("$id", messageId)));
    }

    [Fact]
    public async Task Delivery_WithOnlyTheQuotedMessageId_FindsTheItem()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        await SubmitAsync(client);
        await RelayAsync(factory);
        var id = Ids(factory.DatabasePath).Single(p => p.Value <= factory.Clock.GetUtcNow()).Key;

        var (response, _) = await Invocations.PostAsync(client, "work-item", Invocations.ServiceBus(id, body: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(factory.Outbox);
    }

    [Fact]
    public async Task Delivery_BeforeTheItemIsDue_RunsNothing()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        await SubmitAsync(client);
        await RelayAsync(factory);
        var later = Ids(factory.DatabasePath).First(p => p.Value > factory.Clock.GetUtcNow() + TimeSpan.FromHours(1)).Key;

        var (response, answer) = await Invocations.PostAsync(client, "work-item", Invocations.ServiceBus(later, null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("NotDueYet", answer.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("sent", Database.Text(factory.DatabasePath, "SELECT state FROM work_items WHERE id = $id", ("$id", later)));
        Assert.Empty(factory.Outbox);
    }

    [Fact]
    public async Task Relay_Unauthorized_KeepsEveryItemForTheNextSweepWhichSendsThem()
    {
        await using var fake = await FakeServiceBus.StartAsync(401, 201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        await SubmitAsync(client);

        var refused = await RelayAsync(factory);
        var pendingAfterRefusal = Database.Scalar(factory.DatabasePath, "SELECT COUNT(*) FROM work_items WHERE state = 'pending'");
        var swept = await RelayAsync(factory);

        Assert.Equal(401, refused.RefusedWithStatus);
        Assert.Equal(0, refused.Sent);
        Assert.Equal(Ids(factory.DatabasePath).Count, pendingAfterRefusal);
        Assert.Equal(Ids(factory.DatabasePath).Count, swept.Sent);
        Assert.Equal(0, Database.Scalar(factory.DatabasePath, "SELECT COUNT(*) FROM work_items WHERE state <> 'sent'"));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(FakeServiceBus.Key, StringComparison.Ordinal) || line.Contains("sig=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_ServerErrorOnce_IsRetriedAndEveryItemSent()
    {
        await using var fake = await FakeServiceBus.StartAsync(500, 201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        await SubmitAsync(client);

        var result = await RelayAsync(factory);

        Assert.Equal(Ids(factory.DatabasePath).Count, result.Sent);
        Assert.Equal(result.Sent + 1, fake.Requests.Count);
    }

    [Fact]
    public async Task Relay_ClaimAbandonedByACrash_IsSentByTheQueueRelayTimer()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        await SubmitAsync(client);

        // A relay claimed everything and died before sending (its claim ran out a while ago).
        Database.Execute(factory.DatabasePath, "UPDATE work_items SET state = 'relaying', lease_token = 'dead', lease_until = '2026-11-02T09:00:00.0000000Z'");
        var (response, answer) = await Invocations.PostAsync(client, "queue-relay", Invocations.Timer());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"{Ids(factory.DatabasePath).Count} work item(s) sent", answer.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(Ids(factory.DatabasePath).Count, fake.Requests.Count);
    }

    [Fact]
    public async Task Relay_AnItemSentAgainAfterAFailedAttempt_GetsAFreshMessageIdSoDuplicateDetectionKeepsIt()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        await SubmitAsync(client);
        await RelayAsync(factory);
        var id = Ids(factory.DatabasePath).Single(p => p.Value <= factory.Clock.GetUtcNow()).Key;

        // The first attempt failed and the queue put it back to run a little later.
        Database.Execute(factory.DatabasePath, $"UPDATE work_items SET state = 'pending', attempts = 1, not_before = '2026-11-02T09:35:00.0000000Z' WHERE id = '{id}'");
        await RelayAsync(factory);

        using var properties = JsonDocument.Parse(fake.Requests[^1].Header("BrokerProperties"));
        Assert.Equal(id + "#1", properties.RootElement.GetProperty("MessageId").GetString());
        Assert.Equal("Mon, 02 Nov 2026 09:35:00 GMT", properties.RootElement.GetProperty("ScheduledEnqueueTimeUtc").GetString());
    }

    [Fact]
    public async Task BackgroundRelay_SendsRightAfterTheCommitWithoutHelp()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        var settings = fake.Settings();
        settings["DataRights:Queue:BackgroundRelay"] = "true";
        using var factory = new DataRightsFactory(settings: settings) { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        await SubmitAsync(client);
        await fake.WaitForAsync(Ids(factory.DatabasePath).Count);

        Assert.Equal(Ids(factory.DatabasePath).Count, fake.Requests.Count);
    }

    [Fact]
    public async Task Delivery_NotAWorkItemMessage_Is400SoServiceBusRetriesAndDeadLettersIt()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/work-item", UriKind.Relative), new StringContent("not json", System.Text.Encoding.UTF8, "application/json"));
        var (mismatch, _) = await Invocations.PostAsync(client, "work-item", Invocations.ServiceBus("a", """{"workItemId":"b"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
    }

    [Fact]
    public async Task Delivery_WhenTheQueueIsLocal_IsRefused()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        var (response, _) = await Invocations.PostAsync(client, "work-item", Invocations.ServiceBus("x", null));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    private static DataRightsFactory NewFactory(FakeServiceBus fake) =>
        new(settings: fake.Settings()) { Sources = new InMemorySourceRegistry() };

    private static Task<RelayResult> RelayAsync(DataRightsFactory factory) =>
        factory.Services.GetRequiredService<WorkRelay>().RelayAsync(CancellationToken.None);

    private static Dictionary<string, DateTimeOffset> Ids(string databasePath)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, not_before FROM work_items";
        using var reader = command.ExecuteReader();
        var ids = new Dictionary<string, DateTimeOffset>();
        while (reader.Read())
        {
            ids[reader.GetString(0)] = DateTimeOffset.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return ids;
    }
}
