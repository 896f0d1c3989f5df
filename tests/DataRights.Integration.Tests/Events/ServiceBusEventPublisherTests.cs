using System.Text.Json;
using Azure.Messaging.ServiceBus;
using DataRights.Core.Events;
using DataRights.Core.Ports;
using DataRights.Events.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Events;

/// <summary>The Service Bus adapter through the real SDK (AMQP, the $cbs token, the sender link) against the in-test broker.</summary>
public sealed class ServiceBusEventPublisherTests
{
    [Fact]
    public async Task PublishAsync_SendsTheCloudEventWithItsIdAsMessageId()
    {
        await using var broker = ServiceBusStandIns.Started();
        await using var services = Services(broker);
        var publisher = services.GetRequiredService<IEventPublisher>();

        await publisher.PublishAsync(Event("r1:event:completed:1"), CancellationToken.None);

        var message = Assert.Single(broker.Messages);
        Assert.Equal("events", message.Topic);
        Assert.Equal("r1:event:completed:1", message.MessageId);
        Assert.Equal(OutgoingEvent.ContentType, message.ContentType);
        Assert.Equal("org.datarights.request.completed", message.Subject);
        Assert.Equal("org.datarights.request.completed", message.ApplicationProperties["type"]);
        Assert.Equal("/datarights", message.ApplicationProperties["source"]);
        Assert.Equal("r1:event:completed:1", JsonDocument.Parse(message.Body).RootElement.GetProperty("id").GetString());
        Assert.True(broker.TokensReceived > 0);
    }

    [Fact]
    public async Task PublishAsync_SameEventTwice_TopicKeepsOne()
    {
        await using var broker = ServiceBusStandIns.Started();
        await using var services = Services(broker);
        var publisher = services.GetRequiredService<IEventPublisher>();

        await publisher.PublishAsync(Event("r1:event:verified:1"), CancellationToken.None);
        await publisher.PublishAsync(Event("r1:event:verified:1"), CancellationToken.None);

        Assert.Single(broker.Messages);
        Assert.Equal(1, broker.Duplicates);
    }

    [Fact]
    public async Task PublishAsync_BrokerDown_Throws_ThenSendsOnceItIsBack()
    {
        await using var broker = ServiceBusStandIns.Started();
        await using var services = Services(broker);
        var publisher = services.GetRequiredService<IEventPublisher>();
        await publisher.PublishAsync(Event("r1:event:received:1"), CancellationToken.None);

        broker.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => publisher.PublishAsync(Event("r1:event:verified:1"), CancellationToken.None));
        broker.Start();
        await publisher.PublishAsync(Event("r1:event:verified:1"), CancellationToken.None);

        Assert.Equal(["r1:event:received:1", "r1:event:verified:1"], broker.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public void Options_NeitherOrBothWaysToReachServiceBus_AreRefused()
    {
        var validator = new ServiceBusEventsOptionsValidator();
        Assert.True(validator.Validate(null, new ServiceBusEventsOptions()).Failed);
        Assert.True(validator.Validate(null, new ServiceBusEventsOptions { ConnectionString = "Endpoint=sb://x/", FullyQualifiedNamespace = "x.servicebus.windows.net" }).Failed);
        Assert.True(validator.Validate(null, new ServiceBusEventsOptions { FullyQualifiedNamespace = "https://x.servicebus.windows.net/" }).Failed);
        Assert.True(validator.Validate(null, new ServiceBusEventsOptions { FullyQualifiedNamespace = "x.servicebus.windows.net" }).Succeeded);
    }

    private static ServiceProvider Services(Testing.ServiceBus.AmqpServiceBusStandIn broker)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(ServiceBusStandIns.Settings(broker)).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddServiceBusEventPublisher();
        var provider = services.BuildServiceProvider();
        Assert.IsType<ServiceBusSender>(provider.GetRequiredService<ServiceBusSender>());
        return provider;
    }

    private static OutgoingEvent Event(string id) =>
        new(id, RequestEventNames.TypeOf("completed"), "/datarights", "requests/r1", $$"""{"specversion":"1.0","id":"{{id}}","type":"org.datarights.request.completed"}""");
}
