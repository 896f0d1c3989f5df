using DataRights.Testing.ServiceBus;

namespace DataRights.Integration.Tests.Events;

/// <summary>The stand-in broker with the <c>events</c> topic as infra/modules/servicebus.bicep declares it.</summary>
internal static class ServiceBusStandIns
{
    public static AmqpServiceBusStandIn Started(TimeProvider? time = null)
    {
        var bicep = Path.Combine(Hosting.SettingsDocumentationTests.RepositoryRoot(), "infra", "modules", "servicebus.bicep");
        var broker = new AmqpServiceBusStandIn(new Dictionary<string, TopicSettings> { ["events"] = TopicSettings.FromBicep(bicep, "events") }, time);
        broker.Start();
        return broker;
    }

    /// <summary>Settings that point the program at <paramref name="broker"/>, with no client-side retries (the step retries).</summary>
    public static Dictionary<string, string?> Settings(AmqpServiceBusStandIn broker) => new()
    {
        ["DataRights:Events:ServiceBus:ConnectionString"] = broker.ConnectionString,
        ["DataRights:Events:ServiceBus:MaxRetries"] = "0",
        ["DataRights:Events:ServiceBus:TryTimeout"] = "00:00:10",
    };
}
