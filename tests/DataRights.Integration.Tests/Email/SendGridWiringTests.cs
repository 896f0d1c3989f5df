using System.Collections.Concurrent;
using System.Net;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Email.SendGrid;
using DataRights.Email.SendGrid.SentLog;
using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using DataRights.Integration.Tests.Workflow;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Email;

/// <summary>The host with DataRights:Email:Provider=sendgrid against a local fake of the Mail Send API.</summary>
public sealed class SendGridWiringTests
{
    [Fact]
    public async Task SendGrid_Accepts_MessageIsSentOnceEvenWhenItsWorkIsDeliveredAgain()
    {
        await using var fake = await FakeMailSend.StartAsync(HttpStatusCode.Accepted);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();

        // Its step delivered again (an activity that crashed after sending, before marking its work done).
        var (putBack, ranAgain) = await factory.RunStepsAgainAsync(StepRedelivery.IsEmail);
        Assert.NotEqual(0, putBack);
        Assert.Equal(putBack, ranAgain); // the redelivered message work ran again

        var body = Assert.Single(fake.Requests);
        Assert.Contains("\"click_tracking\":{\"enable\":false", body, StringComparison.Ordinal);
        Assert.Empty(factory.Outbox);

        // Staff keep one copy of it, as with the file outbox, without the link SendGrid was given.
        var copy = Assert.Single(await factory.Services.GetRequiredService<ISentEmailCopies>().ListAsync(id, CancellationToken.None));
        Assert.Contains("[link: Confirm my request — removed from this copy]", copy.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/verify/", copy.Body, StringComparison.Ordinal);
        Assert.Contains("/verify/", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendGrid_StepDeliveredAgainWhileItsFirstRunStillSends_SendsNothing_AndWaitsWithoutSpendingAnAttempt()
    {
        await using var fake = await FakeMailSend.StartAsync(HttpStatusCode.Accepted);
        using var factory = NewFactory(fake, announceOnlyWhenDrained: true);
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var email = Assert.Single((await store.GetAsync(id, CancellationToken.None))!.Progress.Owed, o => o.Kind == WorkItem.Message);
        var activity = factory.Services.GetRequiredService<RunWorkItemActivity>();
        var step = new WorkStep(id, email.Id, Attempt: new WorkflowOptions().MaxAttempts);
        fake.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The first run is inside SendGrid's call when the step, on its last attempt, is delivered again (a stall past the
        // visibility timeout).
        var first = activity.CarryOutAsync(step, CancellationToken.None);
        await WaitUntilAsync(() => !fake.Requests.IsEmpty);
        var second = await activity.CarryOutAsync(step, CancellationToken.None);

        Assert.Equal(WorkResult.NotNow, second.Result);
        Assert.Equal(factory.Clock.GetUtcNow() + new SendGridOptions().SendHold, second.RetryAt);
        fake.Gate.SetResult();
        Assert.Equal(WorkResult.Done, (await first).Result);

        // Asked again when the hold would have ended: the email went once, nothing was given up, staff were not alerted.
        Assert.Equal(WorkResult.Done, (await activity.CarryOutAsync(step, CancellationToken.None)).Result);
        Assert.Single(fake.Requests);
        var request = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Contains(email.Id, request.Progress.WorkDone);
        Assert.Empty(request.Progress.Alerts);
    }

    [Fact]
    public async Task SendGrid_AManualSourcesTaskEmailAnotherRunOfItsStepIsSending_IsTriedAgainWhenThatRunsHoldEnds_NotSentTwice()
    {
        await using var fake = await FakeMailSend.StartAsync(HttpStatusCode.Accepted);
        using var factory = NewFactory(fake, announceOnlyWhenDrained: true, registeredSources: true);
        using var client = factory.CreateClient();
        await Sources.ManualSourceTests.RegisterAsync(client);
        var id = await SubmitAsync(client, factory.Services);
        await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);
        var search = new PendingSourceStep(SourceStep.Discover, "sage", 1);
        var other = await factory.Services.GetRequiredService<ISentMessageLog>().ClaimAsync(search.IdFor(id) + ":task", factory.Clock.GetUtcNow(), TimeSpan.FromMinutes(2));
        var step = factory.Services.GetRequiredService<RunSourceStepActivity>();

        var outcome = await step.CarryOutAsync(new SourceStepRun(id, "discover", "sage", 1, 1), CancellationToken.None);

        Assert.Equal((WorkResult.Failed, other.HeldUntil), (outcome.Result, outcome.RetryAt));
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task SendGrid_Refuses_DeadLettersAtOnceAlertsStaffAndDoesNotLoop()
    {
        await using var fake = await FakeMailSend.StartAsync(HttpStatusCode.BadRequest);
        using var factory = NewFactory(fake);
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);

        await factory.DrainAsync();
        await factory.AdvanceAsync(TimeSpan.FromMinutes(5));

        // The verification email, then the staff alert about it: both refused, each tried once.
        Assert.Equal(2, fake.Requests.Count);
        Assert.Empty((await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!.Progress.Owed);
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}");
        using var response = await client.SendAsync(request);
        Assert.Equal(2, (await response.JsonAsync()).GetProperty("progress").GetProperty("alerts").GetArrayLength());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    /// <summary>The host on SendGrid; with no data source unless <paramref name="registeredSources"/> (then those the staff API registers).</summary>
    private static DataRightsFactory NewFactory(FakeMailSend fake, bool announceOnlyWhenDrained = false, bool registeredSources = false) => new(settings: new Dictionary<string, string?>
    {
        ["DataRights:Email:Provider"] = "sendgrid",
        ["DataRights:SendGrid:ApiKey"] = "SG.test-key",
        ["DataRights:SendGrid:FromEmail"] = "privacy@example.com",
        ["DataRights:SendGrid:BaseAddress"] = fake.BaseAddress,
        ["DataRights:SendGrid:MaxAttempts"] = "1",
    })
    { Sources = registeredSources ? null : new InMemorySourceRegistry(), AnnounceOnlyWhenDrained = announceOnlyWhenDrained };

    private sealed class FakeMailSend : IAsyncDisposable
    {
        private WebApplication? _app;

        public ConcurrentQueue<string> Requests { get; } = new();

        /// <summary>When set, each request is held (after it was counted) until the gate opens.</summary>
        public TaskCompletionSource? Gate { get; set; }

        public string BaseAddress => _app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";

        public static async Task<FakeMailSend> StartAsync(HttpStatusCode status)
        {
            var fake = new FakeMailSend();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
            var app = builder.Build();
            app.MapPost("/v3/mail/send", async (HttpContext context) =>
            {
                fake.Requests.Enqueue(await new StreamReader(context.Request.Body).ReadToEndAsync());
                if (fake.Gate is { } gate)
                {
                    await gate.Task;
                }

                context.Response.StatusCode = (int)status;
                if (status == HttpStatusCode.Accepted)
                {
                    context.Response.Headers["X-Message-Id"] = "fake-" + fake.Requests.Count;
                }
                else
                {
                    await context.Response.WriteAsJsonAsync(new { errors = new[] { new { message = "The from address does not match a verified Sender Identity." } } });
                }
            });
            await app.StartAsync();
            fake._app = app;
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
