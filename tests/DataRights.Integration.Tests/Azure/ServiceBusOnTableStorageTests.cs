using System.Globalization;
using System.Net;
using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Host.Queue;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Storage.AzureTables;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// <c>DataRights:Storage:Provider=azure-tables</c> with <c>DataRights:Queue:Provider=servicebus</c>: the relay claims
/// work from Table storage (Azurite) and sends it to (a local fake of) Service Bus; deliveries run it from the table.
/// </summary>
public sealed class ServiceBusOnTableStorageTests
{
    [Fact]
    public async Task OnTableStorage_TheRelaySendsEachItemOnce_AndADeliveryRunsItOnce()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var fake = await FakeServiceBus.StartAsync(201);
        var settings = fake.Settings();
        foreach (var (key, value) in SharedTestKeys.Settings())
        {
            settings[key] = value;
        }

        settings["DataRights:Storage:Provider"] = "azure-tables";
        settings["DataRights:Storage:TableEndpoint"] = azurite.TableEndpoint.ToString();
        settings["DataRights:Storage:BlobEndpoint"] = azurite.BlobEndpoint.ToString();
        settings["DataRights:Storage:AccountKey"] = AzureTableConnection.DevelopmentAccountKey;
        settings["DataRights:Storage:TablePrefix"] = "Sb" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var factory = new DataRightsFactory(settings: settings) { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        Assert.IsType<AzureTableWorkOutbox>(factory.Services.GetRequiredService<IWorkOutbox>());
        var requestId = await SubmitAsync(client);

        var relay = factory.Services.GetRequiredService<WorkRelay>();
        var first = await relay.RelayAsync(CancellationToken.None);
        var second = await relay.RelayAsync(CancellationToken.None);

        Assert.True(first.Sent >= 2, $"only {first.Sent} sent");
        Assert.Equal(0, second.Sent);
        Assert.Equal(first.Sent, fake.Requests.Count);
        var message = fake.Requests.Single(r => !r.Header("BrokerProperties").Contains("ScheduledEnqueueTimeUtc", StringComparison.Ordinal));
        var messageId = JsonDocument.Parse(message.Header("BrokerProperties")).RootElement.GetProperty("MessageId").GetString()!;

        var (delivered, answer) = await Invocations.PostAsync(client, "work-item", Invocations.ServiceBus(messageId, message.Body));
        var (duplicate, again) = await Invocations.PostAsync(client, "work-item", Invocations.ServiceBus(messageId, message.Body, deliveryCount: 2));

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Contains("processed", answer.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains(nameof(DeliveryOutcome.AlreadyFinished), again.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("jane.doe@example.com", Assert.Single(factory.Outbox).To);
        var counts = await factory.Services.GetRequiredService<IWorkQueue>().CountsAsync(requestId, CancellationToken.None);
        Assert.Equal(1, counts["done"]);
        Assert.Equal(first.Sent - 1, counts.GetValueOrDefault("sent"));
        Assert.Equal(0, counts["leased"]);
    }
}
