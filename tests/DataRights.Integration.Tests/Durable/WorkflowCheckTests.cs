using System.Net;
using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Durable.DurableJourneyTests;
using static DataRights.Integration.Tests.Durable.DurablePathTests;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// The hourly workflow check on the local task hub over Azurite and the real clock: an open request whose orchestration
/// was stopped, or is gone from the task hub, is recorded and carried on by a new one; requests whose orchestration is
/// live are left alone.
/// </summary>
public sealed class WorkflowCheckTests
{
    private const string Person = "jane.doe@example.com";

    [Fact]
    public async Task StoppedWorkflow_OfAnOpenRequest_IsRecordedAndStartedAgain_AndCarriesTheRequestOn()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 2);
        using var factory = DurableFactory(azurite, crm);
        using var client = factory.CreateClient();
        var durable = factory.Services.GetRequiredService<DurableTaskClient>();
        var check = factory.Services.GetRequiredService<WorkflowCheckJob>();
        var id = await SubmitAsync(client, factory.Services, Person);
        var verification = await MailAsync(factory, Subject("Please confirm your request"));
        await StepAsync(factory, id, "awaiting-verification");

        // While its orchestration runs, the check leaves the request alone; staff see what it waits for.
        Assert.Equal((1, 0), await check.CheckAsync(CancellationToken.None));
        var waiting = await WorkflowAsync(client, id);
        Assert.Equal("running", waiting.GetProperty("state").GetString());
        Assert.Equal("reminder to the person to confirm their request", waiting.GetProperty("next").GetString());
        Assert.Equal(2, waiting.GetProperty("stepsWaiting").GetInt32());
        Assert.StartsWith("Waiting for the reminder to the person to confirm their request, due ", waiting.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(", or for a decision (a person's link, or staff).", waiting.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // An operator stops it (or it failed): the request would wait for ever.
        var instanceId = RequestOrchestrator.InstanceId(id);
        await durable.TerminateInstanceAsync(instanceId, "stopped for the test");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await durable.WaitForInstanceCompletionAsync(instanceId)).RuntimeStatus);

        var stopped = await WorkflowAsync(client, id);
        Assert.Equal("terminated", stopped.GetProperty("state").GetString());
        Assert.Equal("Stopped by an operator. The hourly workflow check starts it again.", stopped.GetProperty("summary").GetString());

        var first = await check.CheckAsync(CancellationToken.None);
        await StepAsync(factory, id, "awaiting-verification");
        var again = await check.CheckAsync(CancellationToken.None);

        Assert.Equal((1, 1), first);
        Assert.Equal((1, 0), again);
        var (valid, entries) = await TrailAsync(client, id);
        Assert.True(valid);
        var restart = Assert.Single(entries, e => e.GetProperty("action").GetString() == "workflow.restarted");
        Assert.Equal("terminated", restart.GetProperty("details").GetProperty("found").GetString());
        Assert.Equal(WorkflowCheckJob.Actor, restart.GetProperty("actor").GetString());

        // Staff read it in plain words on the request's page.
        using var console = StaffConsole.ConsoleClient.Create(factory);
        await StaffConsole.ConsoleClient.SignInAsync(console);
        var page = WebUtility.HtmlDecode(await console.GetStringAsync($"/staff/requests/{id}"));
        Assert.Contains("The request's workflow had stopped (an operator had stopped it); it was started again and took on the request's open work.", page, StringComparison.Ordinal);
        Assert.Contains("DataRights (hourly workflow check)", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Workflow</dt><dd>Waiting for the reminder to the person to confirm their request, due ", page, StringComparison.Ordinal);

        // Stopped again at once (a fault a restart cannot mend): it is left for an hour this time, and the trail gains nothing.
        await durable.TerminateInstanceAsync(instanceId, "stopped again for the test");
        await durable.WaitForInstanceCompletionAsync(instanceId);
        Assert.Equal((1, 0), await check.CheckAsync(CancellationToken.None));
        Assert.Single((await TrailAsync(client, id)).Entries, e => e.GetProperty("action").GetString() == "workflow.restarted");
        Assert.DoesNotContain(factory.Outbox, m => m.Subject.Contains("has stopped moving", StringComparison.Ordinal));
        Assert.StartsWith(
            "Stopped by an operator. It was started again once and stopped again; the hourly workflow check starts it again from ",
            (await WorkflowAsync(client, id)).GetProperty("summary").GetString(),
            StringComparison.Ordinal);

        // Started a second time (as the check does once the hour is up) and stopped again: the stopped workflow can send
        // nothing, so the check itself tells staff, once a day however often it finds it held.
        await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new WorkflowRestarted(WorkflowCheckJob.Actor, "terminated"), CancellationToken.None);
        await StepAsync(factory, id, "awaiting-verification");
        await durable.TerminateInstanceAsync(instanceId, "stopped a third time for the test");
        await durable.WaitForInstanceCompletionAsync(instanceId);
        Assert.Equal((1, 0), await check.CheckAsync(CancellationToken.None));
        Assert.Equal((1, 0), await check.CheckAsync(CancellationToken.None));
        var alert = Assert.Single(factory.Outbox, m => m.Subject.Contains("has stopped moving", StringComparison.Ordinal));
        Assert.Equal("privacy-team@example.com", alert.To);
        Assert.Contains("it has been started again 2 times, and has stopped once more (an operator had stopped it).", alert.Text, StringComparison.Ordinal);
        Assert.Contains("no reminders, deadline notices or emails to the person go out. The hourly check starts it again on ", alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Person, alert.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"Request {id}: staff were emailed that its workflow keeps stopping (2 restart(s))", StringComparison.Ordinal));
        var held = (await WorkflowAsync(client, id)).GetProperty("summary").GetString();
        Assert.StartsWith("Stopped by an operator. It was started again 2 times and stopped again; the hourly workflow check starts it again from ", held, StringComparison.Ordinal);
        Assert.EndsWith(" UTC. The check emails the privacy team about it once a day.", held, StringComparison.Ordinal);

        // A decision starts the orchestration again, as always: the person's link leads to discovery and the approval request.
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        await MailAsync(factory, m => m.To == "approver@example.com");
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        Assert.Equal(1, crm.DiscoverCalls);
        Assert.Single(factory.Outbox, m => m.Subject.StartsWith("Please confirm your request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkflowGoneFromTheTaskHub_IsStartedAgain_WithTheRequestsTimers()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var factory = DurableFactory(azurite, Timings(("VerificationReminderAfter", "00:00:15"), ("VerificationExpiresAfter", "00:10:00")));
        using var client = factory.CreateClient();
        var durable = factory.Services.GetRequiredService<DurableTaskClient>();
        var id = await SubmitAsync(client, factory.Services, Person);
        await MailAsync(factory, Subject("Please confirm your request"));
        await StepAsync(factory, id, "awaiting-verification");
        var instanceId = RequestOrchestrator.InstanceId(id);
        await durable.TerminateInstanceAsync(instanceId, "stopped for the test");
        await durable.WaitForInstanceCompletionAsync(instanceId);
        Assert.True((await durable.PurgeInstanceAsync(instanceId)).PurgedInstanceCount == 1);

        Assert.DoesNotContain(factory.Outbox, m => m.Subject.StartsWith("Reminder", StringComparison.Ordinal));

        var (_, restarted) = await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);

        Assert.Equal(1, restarted);
        var (_, entries) = await TrailAsync(client, id);
        Assert.Equal("missing", Assert.Single(entries, e => e.GetProperty("action").GetString() == "workflow.restarted").GetProperty("details").GetProperty("found").GetString());

        // The reminder was a timer of the orchestration that went: the new one took it on from the request's open work.
        var reminder = await MailAsync(factory, Subject("Reminder: please confirm your request"));
        Assert.Equal(Person, reminder.To);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await durable.GetInstanceAsync(instanceId))?.RuntimeStatus);
    }

    [Fact]
    public async Task ListThatCannotBeRead_IsLogged_AndTheOtherListIsStillChecked()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var factory = DurableFactory(azurite);
        using var client = factory.CreateClient();
        var durable = factory.Services.GetRequiredService<DurableTaskClient>();
        var id = await SubmitAsync(client, factory.Services, Person);
        await MailAsync(factory, Subject("Please confirm your request"));
        var instanceId = RequestOrchestrator.InstanceId(id);
        await durable.TerminateInstanceAsync(instanceId, "stopped for the test");
        await durable.WaitForInstanceCompletionAsync(instanceId);

        // The list of closed requests with work left cannot be read (a row that fails, throttling).
        var store = ClosedListFails.Around(factory.Services.GetRequiredService<IRequestStore>());
        var job = ActivatorUtilities.CreateInstance<WorkflowCheckJob>(factory.Services, store);
        var (_, restarted) = await job.CheckAsync(CancellationToken.None);

        Assert.Equal(1, restarted);
        Assert.Contains(factory.Logs.Lines, l => l.Contains("could not read its list of closed requests with work left (TableStorageException)", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Lines, l => l.Contains("1 workflow(s) started again, 1 look-up(s) failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppedWorkflow_OfAClosedRequestWithWorkLeft_IsStartedAgain_AndTakesOnTheExportsDeletion()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 2);
        using var factory = DurableFactory(azurite, Timings(("ExportLinkLifetime", "01:00:00")), crm);
        using var client = factory.CreateClient();
        var durable = factory.Services.GetRequiredService<DurableTaskClient>();
        var check = factory.Services.GetRequiredService<WorkflowCheckJob>();
        string id;
        using (var submitted = await client.PostJsonAsync(new { type = "access", email = Person, fullName = "Jane Doe", jurisdiction = "UK" }))
        {
            id = await factory.Services.WaitingIdAsync(Person);
        }

        await FollowAsync(client, (await MailAsync(factory, Subject("Please confirm your request"))).PathOfLink("/verify/"), "Yes, this is my request");
        await FollowAsync(client, (await MailAsync(factory, m => m.To == "approver@example.com")).PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await MailAsync(factory, Subject("Your data is ready"));
        Assert.Equal("completed", await StatusAsync(client, id));

        // Closed, with the export's deletion still to come (its reminders and deadline timers dropped at the close): its
        // workflow goes on, and the check leaves it alone.
        const string Deletion = "deletion of the person's download file";
        var instanceId = RequestOrchestrator.InstanceId(id);
        await NextAsync(client, id, Deletion);
        Assert.Equal((1, 0), await check.CheckAsync(CancellationToken.None));

        // Its workflow stops before the link expires: the check finds the closed request and starts it again.
        await durable.TerminateInstanceAsync(instanceId, "stopped for the test");
        await durable.WaitForInstanceCompletionAsync(instanceId);
        Assert.Equal(
            "Stopped by an operator. The hourly workflow check starts it again.",
            (await WorkflowAsync(client, id)).GetProperty("summary").GetString());
        Assert.Equal((1, 1), await check.CheckAsync(CancellationToken.None));
        var (_, entries) = await TrailAsync(client, id);
        Assert.Equal("terminated", Assert.Single(entries, e => e.GetProperty("action").GetString() == "workflow.restarted").GetProperty("details").GetProperty("found").GetString());

        // The new workflow took on the deletion, due when the link expires (an hour here, the shortest allowed).
        var restarted = await NextAsync(client, id, Deletion);
        Assert.Equal("running", restarted.GetProperty("state").GetString());
        var summary = restarted.GetProperty("summary").GetString()!;
        Assert.StartsWith("Waiting for the deletion of the person's download file, due ", summary, StringComparison.Ordinal);
        // Closed, the request awaits no decision: the sentence does not offer one.
        Assert.EndsWith(" UTC.", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("decision", summary, StringComparison.Ordinal);
        Assert.Equal((1, 0), await check.CheckAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 24)]
    [InlineData(40, 24)]
    public void RestartedWorkflow_IsHeldLongerEachTime_UpToADay(int restarts, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), WorkflowCheckJob.HeldFor(restarts));

    /// <summary>
    /// The request's workflow once it waits for <paramref name="next"/> alone: the orchestration reads its work first, and
    /// drops the timers a closed request can no longer use.
    /// </summary>
    private static async Task<JsonElement> NextAsync(HttpClient client, string id, string next)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var workflow = await WorkflowAsync(client, id);
        while (workflow.GetProperty("next").ValueKind != JsonValueKind.String || workflow.GetProperty("next").GetString() != next
            || Count(workflow, "stepsWaiting") != 1 || Count(workflow, "stepsRunning") != 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"The workflow did not come to wait for the {next}: {workflow}");
            await Task.Delay(200);
            workflow = await WorkflowAsync(client, id);
        }

        return workflow;

        static int Count(JsonElement workflow, string name) =>
            workflow.GetProperty(name).ValueKind == JsonValueKind.Number ? workflow.GetProperty(name).GetInt32() : -1;
    }

    internal static async Task<JsonElement> WorkflowAsync(HttpClient client, string id)
    {
        using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/workflow");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static async Task<(bool Valid, List<JsonElement> Entries)> TrailAsync(HttpClient client, string id)
    {
        using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        using var response = await client.SendAsync(request);
        var json = await response.JsonAsync();
        return (json.GetProperty("chainValid").GetBoolean(), [.. json.GetProperty("entries").EnumerateArray()]);
    }

    /// <summary>The request store, whose list of closed requests with work left cannot be read.</summary>
    public class ClosedListFails : System.Reflection.DispatchProxy
    {
        private IRequestStore? _inner;

        public static IRequestStore Around(IRequestStore inner)
        {
            var proxy = Create<IRequestStore, ClosedListFails>();
            ((ClosedListFails)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IRequestStore.ListClosedWithRunAsync)
                ? Task.FromException<IReadOnlyList<Core.Requests.DataSubjectRequest>>(new Storage.AzureTables.TableStorageException("Reading the closed requests failed (test)."))
                : targetMethod.Invoke(_inner, args);
    }
}
