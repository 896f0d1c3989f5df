using DataRights.Testing;
using DataRights.Testing.Azurite;
using static DataRights.Integration.Tests.Durable.DurableJourneyTests;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Events;

/// <summary>Events published by the request's orchestration (the RunWorkItem activity), on the local task hub, to the in-test broker.</summary>
public sealed class DurableEventTests
{
    private const string Person = "jane.doe@example.com";

    [Fact]
    public async Task Orchestration_PublishesTheRequestsEvents_AndRetriesThroughABrokerOutage()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var broker = ServiceBusStandIns.Started();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 2);
        var settings = new Dictionary<string, string?>(ServiceBusStandIns.Settings(broker))
        {
            ["DataRights:Workflow:MaxAttempts"] = "8",
            ["DataRights:Workflow:RetryBaseDelay"] = "00:00:02",
        };
        using var factory = DurableFactory(azurite, settings, crm);
        using var client = factory.CreateClient();

        broker.Stop();
        var id = await SubmitAsync(client, factory.Services, Person);
        await UntilAsync(() => factory.Logs.Lines.Any(l => l.Contains($"{id}:event:received:1", StringComparison.Ordinal) && l.Contains("failed", StringComparison.OrdinalIgnoreCase)), factory);
        broker.Start();

        var verification = await MailAsync(factory, m => m.To == Person && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        var approval = await MailAsync(factory, m => m.To == "approver@example.com");
        await FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await UntilAsync(() => broker.Messages.Any(m => m.MessageId == $"{id}:event:completed:1") && broker.Messages.Any(m => m.MessageId == $"{id}:event:received:1"), factory);

        Assert.Equal(
            [$"{id}:event:approved:1", $"{id}:event:completed:1", $"{id}:event:received:1", $"{id}:event:verified:1"],
            broker.Messages.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.All(broker.Messages, m => Assert.DoesNotContain(Person, m.BodyText, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task UntilAsync(Func<bool> condition, Infrastructure.DataRightsFactory factory)
    {
        var until = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(90);
        while (!condition())
        {
            if (TimeProvider.System.GetUtcNow() > until)
            {
                throw new TimeoutException("Not seen in 90 s. The host logged:\n" + string.Join('\n', factory.Logs.Lines.TakeLast(60)));
            }

            await Task.Delay(100);
        }
    }

}
