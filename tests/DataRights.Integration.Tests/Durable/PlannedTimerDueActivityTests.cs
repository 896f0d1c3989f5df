using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// <see cref="PlannedTimerDueActivity"/> on Azurite: a deadline timer the orchestration keeps (no work item) acts once,
/// however often the request is told of it.
/// </summary>
public sealed class PlannedTimerDueActivityTests
{
    [Fact]
    public async Task ADeadlineReminder_ToldTwice_AndFiredByTheOrchestration_RemindsThePrivacyTeamOnce()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(), AnnounceOnlyWhenDrained = true };
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var waiting = RequestStage.Of((await store.GetAsync(id, CancellationToken.None))!).Timers;
        var reminder = waiting.First(t => t.Kind == TimerKind.DeadlineReminder);
        factory.Clock.Advance(reminder.At - factory.Clock.GetUtcNow());
        var activity = factory.Services.GetRequiredService<PlannedTimerDueActivity>();
        var step = new PlannedTimerStep(id, "deadline-reminder", reminder.Tag);

        var first = await activity.CarryOutAsync(step, CancellationToken.None);
        var told = (await store.GetAsync(id, CancellationToken.None))!;
        var again = await activity.CarryOutAsync(step, CancellationToken.None);

        // The first telling records the reminder and commits the email to the privacy team; the stage no longer lists it.
        var email = $"{id}:message:staff-deadline-reminder:{reminder.Tag}";
        Assert.Equal(WorkResult.Done, first.Result);
        Assert.Contains(first.Open!, w => w.Id == email);
        Assert.DoesNotContain(reminder, first.Stage!.Timers);
        Assert.Equal(waiting.Count - 1, first.Stage.Timers.Count);

        // Told again, nothing changes: the same version, the email still the one open.
        Assert.Equal(told.Version, (await store.GetAsync(id, CancellationToken.None))!.Version);
        Assert.Equal(told.Version, again.Stage!.Version);
        Assert.Single(again.Open!, w => w.Id == email);

        // The orchestration's own timer for it fires as the clock has passed it, and its email goes: one of each.
        await factory.DrainAsync();
        var trail = await store.GetAuditTrailAsync(id, CancellationToken.None);
        Assert.Single(trail, e => e.Action == "deadline.reminded");
        var dueSoon = Assert.Single(factory.Outbox, m => m.Subject.StartsWith("Due soon:", StringComparison.Ordinal));

        // Staff read the date and where the request stands in words, not as keys ("2027-01-07", "awaiting_approval").
        Assert.Matches(@"^Due soon: DR-\d{4}-\d{6} is due \d{1,2} [A-Z][a-z]+ \d{4}$", dueSoon.Subject);
        Assert.Matches(@"It is (waiting for approval|being carried out|being searched for in the systems|waiting for the requester's answer)\.", dueSoon.Text);
        Assert.DoesNotContain("awaiting", dueSoon.Text, StringComparison.Ordinal);
    }
}
