using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Scheduling;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Scheduling;

public sealed class OverdueDigestTests
{
    [Fact]
    public async Task Digest_OnAWorkingMorningWithAnOverdueRequest_IsSentOnceListingIt()
    {
        // Monday 2 November 2026, 09:30 UTC; the request is due Wednesday 2 December.
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        await SubmitAndVerifyAsync(factory, client);
        var scheduler = DigestOnly(factory);
        await scheduler.RunDueAsync(CancellationToken.None);

        // Friday 4 December 08:00 GMT: two days overdue.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 8, 0, 30, TimeSpan.Zero));
        await factory.DrainAsync();
        var ran = await scheduler.RunDueAsync(CancellationToken.None);
        var again = await scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(1, ran);
        Assert.Equal(0, again);
        var digest = Assert.Single(factory.Outbox, m => m.Subject.StartsWith("Privacy requests digest", StringComparison.Ordinal));
        Assert.Equal("privacy-team@example.com", digest.To);
        Assert.Contains("1 overdue", digest.Subject, StringComparison.Ordinal);
        Assert.Matches(@"DR-2026-000001 \(erasure, United Kingdom\): due Wednesday 2 December 2026, (waiting for the requester to confirm|being searched for in the systems|waiting for approval)\r?\n", digest.Text);
    }

    [Fact]
    public async Task Digest_MissedWhileTheHostWasDown_IsCaughtUpOnceNotForEveryMissedMorning()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        await SubmitAndVerifyAsync(factory, client);
        var scheduler = DigestOnly(factory);
        await scheduler.RunDueAsync(CancellationToken.None);

        // Down from Monday 2 November to Thursday 10 December: six weekday mornings missed.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero));
        var ran = await scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(1, ran);
        Assert.Single(factory.Outbox, m => m.Subject.StartsWith("Privacy requests digest for Thursday 10 December 2026", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Digest_WithNothingDueSoon_SendsNoEmail()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        await SubmitAndVerifyAsync(factory, client);
        var scheduler = DigestOnly(factory);
        await scheduler.RunDueAsync(CancellationToken.None);

        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 8, 0, 30, TimeSpan.Zero));
        var ran = await scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(1, ran);
        Assert.DoesNotContain(factory.Outbox, m => m.Subject.StartsWith("Privacy requests digest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Digest_WithARequestSetAside_ListsItWithItsDueDate_AndNothingThePersonSent()
    {
        // Monday 2 November 2026, 09:30 UTC: nothing stored is due, but a submission received then is set aside.
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        var scheduler = DigestOnly(factory);
        await scheduler.RunDueAsync(CancellationToken.None);
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var received = factory.Clock.GetUtcNow();
        var aside = new ReceivedSubmission("dr_0000000000000000000000d1", IntakeChannel.WebForm, received, new IntakeSubmission("erasure", "aside.digest@example.com", "Dee Aside", "UK", null, null));
        await inbox.AddAsync(aside, CancellationToken.None);
        await inbox.MarkAsync(aside.Id, new SubmissionSetAside(received, 3, TryAgain: false), CancellationToken.None);

        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 8, 0, 30, TimeSpan.Zero));
        await scheduler.RunDueAsync(CancellationToken.None);

        var digest = Assert.Single(factory.Outbox, m => m.Subject.StartsWith("Privacy requests digest", StringComparison.Ordinal));
        Assert.Contains("0 overdue, 0 due within 3 days", digest.Subject, StringComparison.Ordinal);
        Assert.Contains("Received but set aside, not taken in (see them in the staff console: http://localhost:7071/staff/set-aside):", digest.Text, StringComparison.Ordinal);
        Assert.Contains("- erasure received Monday 2 November 2026 (UK): due Wednesday 2 December 2026", digest.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("aside.digest@example.com", digest.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Dee Aside", digest.Text, StringComparison.Ordinal);
    }

    // The host also runs the nightly purge timers; these tests count the digest's runs alone.
    private static JobScheduler DigestOnly(DataRightsFactory factory) => new(
        factory.Services.GetServices<IScheduledJob>().Where(j => j.Name == "overdue-digest"),
        factory.Services.GetRequiredService<DataRights.Core.Ports.IJobRunStore>(),
        factory.Clock,
        factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<JobScheduler>>());
}
