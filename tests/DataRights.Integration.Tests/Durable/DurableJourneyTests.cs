using DataRights.Core.Ports;
using DataRights.Core.Sources;
using DataRights.Host.Durable;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// Each request's work runs in its own orchestration on the local task hub (the
/// gRPC sidecar over Azure Storage on Azurite), with the pipeline's records in Table and Blob storage on the same Azurite
/// (as <c>./run.sh</c> runs), on the real clock, through HTTP as a person and an approver use it.
/// </summary>
public sealed class DurableJourneyTests
{
    private const string Person = "jane.doe@example.com";

    [Fact]
    public async Task Erasure_RunsInTheRequestsOrchestration_FromFormToCompletionEmail()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        var billing = new InMemoryDataSource("billing", "Billing", SourceAccess.Read);
        crm.Add(Person, 3);
        billing.Add(Person, 2);
        using var factory = DurableFactory(azurite, crm, billing);
        using var client = factory.CreateClient();

        var id = await SubmitAsync(client, factory.Services, Person);
        var verification = await MailAsync(factory, m => m.To == Person && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        var approval = await MailAsync(factory, m => m.To == "approver@example.com");
        Assert.Contains("CRM: 3 records", approval.Text, StringComparison.Ordinal);
        await FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        var completion = await MailAsync(factory, m => m.Subject.Contains("is complete", StringComparison.Ordinal));

        Assert.Contains("CRM: deleted 3 records", completion.Text, StringComparison.Ordinal);
        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Equal(0, crm.RecordsOf(Person));
        Assert.Equal(1, crm.ExecuteCalls);
        Assert.Equal(2, crm.DiscoverCalls); // the search, and the re-check after erasure; none repeated
        // Closed, the request's reminders and deadline notices could change nothing: they are dropped, and its orchestration
        // ends (its run marked ended) rather than waiting a month for them.
        var durable = factory.Services.GetRequiredService<DurableTaskClient>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            var ended = await durable.WaitForInstanceCompletionAsync(RequestOrchestrator.InstanceId(id), getInputsAndOutputs: true, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
            Assert.Equal("completed", ended.ReadCustomStatusAs<RequestRunStatus>()!.Step);
        }

        Assert.True((await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!.RunEnded);
        Assert.Single(factory.Outbox, m => m.To == Person && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        Assert.Single(factory.Outbox, m => m.Subject.Contains("is complete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachWaitForAPerson_IsTheOrchestrationsOwnTimers_EndingWithItsStage_TheStatusNamingWhatComesNext()
    {
        // The verification reminder and expiry wait until the person confirms; the approvers' reminder and escalation
        // until they ask a question; the question's reminder and notice until it is answered: timers of the request's
        // orchestration, from the request's stage, with no work item in the store, let go of as each wait ends; and
        // the orchestration's status names the wait that is left, not a reminder that can no longer be sent.
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 2);
        using var factory = DurableFactory(azurite, crm);
        using var client = factory.CreateClient();
        var store = factory.Services.GetRequiredService<IRequestStore>();
        static List<string> Waits(RequestRunStatus status) =>
            [.. status.Timers.Where(t => !t.StartsWith("deadline-reminder:", StringComparison.Ordinal) && !t.StartsWith("overdue:", StringComparison.Ordinal))];

        var id = await SubmitAsync(client, factory.Services, Person);
        var status = await StepAsync(factory, id, "awaiting-verification", until: s => s.Timers.Count > 0);
        Assert.Equal("reminder to the person to confirm their request", status.Next);
        Assert.Equal(["verification-reminder:1", "verification-expiry:1"], Waits(status));

        var verification = await MailAsync(factory, m => m.To == Person && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        var approval = await MailAsync(factory, m => m.To == "approver@example.com");
        status = await StepAsync(factory, id, "awaiting-approval", until: s => s.Next == "reminder to the approvers");
        Assert.Equal(["approval-reminder:1", "approval-escalation:1"], Waits(status));

        await FollowAsync(client, approval.PathOfLink("/approve/"), "Send question", ("decision", "ask"), ("question", "Which account do you mean?"));
        status = await StepAsync(factory, id, "awaiting-information", until: s => s.Next == "reminder to the person to answer our question");
        Assert.Equal(["information-reminder:1", "information-unanswered:1"], Waits(status));

        // Deadline reminders matter until the close: they still wait, as timers of the orchestration too.
        Assert.Contains(status.Timers, t => t.StartsWith("deadline-reminder:", StringComparison.Ordinal));
        Assert.Contains(status.Timers, t => t.StartsWith("overdue:", StringComparison.Ordinal));
        Assert.Empty(await TimersAsync(store, id, string.Empty));
    }

    [Fact]
    public async Task AStartDeliveredAgain_ByTheBackend_IsLeftOut_AndTheRequestCarriesOn()
    {
        // What Azurite stalling past the visibility timeout did in the intake bench: the request orchestration's start
        // message comes again once its first delivery is in the history. It is left out, so the history still loads and
        // the request goes on when the person confirms.
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 1);
        using var factory = DurableFactory(azurite, crm);
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services, Person);
        await StepAsync(factory, id, "awaiting-verification");

        var configuration = factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var backend = new DurableTask.AzureStorage.AzureStorageOrchestrationService(new DurableTask.AzureStorage.AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new DurableTask.AzureStorage.StorageAccountClientProvider(azurite.ConnectionString),
            TaskHubName = configuration["DataRights:Durable:HubName"]!,
        });
        var instance = RequestOrchestrator.InstanceId(id);
        var running = (await backend.GetOrchestrationStateAsync(instance, allExecutions: false)).Single().OrchestrationInstance;
        await backend.SendTaskOrchestrationMessageAsync(new DurableTask.Core.TaskMessage
        {
            OrchestrationInstance = running,
            Event = new DurableTask.Core.History.ExecutionStartedEvent(-1, "{}") { Name = RequestOrchestrator.Name, OrchestrationInstance = running },
        });
        // Once the repeat has reached the orchestration (left out, or taken into its history):
        await WaitForLogAsync(factory, l => l.Contains(instance, StringComparison.Ordinal) && (l.Contains("[3447]", StringComparison.Ordinal) || l.Contains("Multiple ExecutionStartedEvent", StringComparison.Ordinal)));

        var verification = await MailAsync(factory, m => m.To == Person && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        var approval = await MailAsync(factory, m => m.To == "approver@example.com");

        Assert.Contains("CRM: 1 record", approval.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("Multiple ExecutionStartedEvent", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Lines, l => l.Contains("[3447]", StringComparison.Ordinal) && l.Contains(instance, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingSource_IsRetriedByThePolicy_ThenRecordedWhileTheOtherSourceFinishes()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        var broken = new InMemoryDataSource("recordings", "Call recordings") { FailDiscoveries = int.MaxValue };
        crm.Add(Person, 1);
        using var factory = DurableFactory(azurite, crm, broken);
        using var client = factory.CreateClient();

        await SubmitAsync(client, factory.Services, Person);
        var verification = await MailAsync(factory, m => m.To == Person && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        var approval = await MailAsync(factory, m => m.To == "approver@example.com");

        Assert.Equal(1, crm.DiscoverCalls);
        Assert.Equal(3, broken.DiscoverCalls);
        Assert.Contains("Call recordings: FAILED", approval.Text, StringComparison.Ordinal);
        Assert.Contains("CRM: 1 record", approval.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_TwentySources_SearchesThemAllAtOnce()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var sources = Enumerable.Range(1, 20).Select(i => new InMemoryDataSource($"s{i}", $"Source {i}")).ToArray();
        var begun = 0;
        var allBegun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var source in sources)
        {
            source.Add(Person, 1);

            // Each search waits until all twenty have begun, so the discovery ends only if they run at once.
            source.BeforeDiscover = async token =>
            {
                if (Interlocked.Increment(ref begun) == sources.Length)
                {
                    allBegun.TrySetResult();
                }

                await allBegun.Task.WaitAsync(token);
            };
        }

        using var factory = DurableFactory(azurite, sources);
        using var client = factory.CreateClient();

        await SubmitAsync(client, factory.Services, Person);
        var verification = await MailAsync(factory, m => m.To == Person && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        var approval = await MailAsync(factory, m => m.To == "approver@example.com");

        Assert.All(sources, source => Assert.Contains($"{source.Descriptor.DisplayName}: 1 record", approval.Text, StringComparison.Ordinal));
        Assert.All(sources, source => Assert.Equal(1, source.DiscoverCalls));
    }

    internal static DataRightsFactory DurableFactory(AzuriteServer azurite, params InMemoryDataSource[] sources) =>
        DurableFactory(azurite, new Dictionary<string, string?>(), sources);

    /// <summary>As above, with <paramref name="settings"/> added over the Durable ones (e.g. short workflow timings).</summary>
    internal static DataRightsFactory DurableFactory(AzuriteServer azurite, IReadOnlyDictionary<string, string?> settings, params InMemoryDataSource[] sources)
    {
        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataRights:Durable:HubName"] = "hub" + Guid.NewGuid().ToString("N")[..12],
            // The pipeline's records in Table and Blob storage on the same Azurite, as ./run.sh keeps them.
            ["DataRights:Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["DataRights:Storage:ExportContainer"] = "exports-" + Guid.NewGuid().ToString("N")[..12],
            ["DataRights:Workflow:MaxAttempts"] = "3",
            ["DataRights:Workflow:RetryBaseDelay"] = "00:00:01",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var factory = new DataRightsFactory(settings: all)
        {
            Sources = new InMemorySourceRegistry(sources),
            AzureStorageTaskHub = true,
        };

        // The orchestrations' timers run on the real clock, so the host does too.
        factory.ConfigureServices = services => services.AddSingleton(TimeProvider.System);
        return factory;
    }

    internal static async Task<OutboxMessage> MailAsync(DataRightsFactory factory, Func<OutboxMessage, bool> match)
    {
        var until = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(90);
        while (TimeProvider.System.GetUtcNow() < until)
        {
            if (factory.Outbox.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The expected email did not arrive in 90 s. The host logged:\n" + string.Join('\n', factory.Logs.Lines.TakeLast(80)));
    }

    private static async Task WaitForLogAsync(DataRightsFactory factory, Func<string, bool> match)
    {
        var until = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (!factory.Logs.Lines.Any(match))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < until, "The expected log line did not come in 60 s.");
            await Task.Delay(100);
        }
    }

    /// <summary>The request's open timers whose kind starts with <paramref name="kind"/> (<c>verification-reminder:1</c>...), in order.</summary>
    private static async Task<List<string>> TimersAsync(IRequestStore store, string requestId, string kind) =>
        [.. (await store.GetWithOpenWorkAsync(requestId, CancellationToken.None))!.OpenWork
            .Select(w => w.Id[(w.Id.IndexOf(":timer:", StringComparison.Ordinal) is var at and >= 0 ? at + ":timer:".Length : w.Id.Length)..])
            .Where(t => t.StartsWith(kind, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>The orchestration's custom status once it names <paramref name="step"/> with nothing running (and <paramref name="until"/> holds).</summary>
    internal static async Task<RequestRunStatus> StepAsync(DataRightsFactory factory, string requestId, string step, Func<RequestRunStatus, bool>? until = null)
    {
        var client = factory.Services.GetRequiredService<DurableTaskClient>();
        RequestRunStatus? status = null;
        for (var i = 0; i < 300; i++)
        {
            var instance = await client.GetInstanceAsync(RequestOrchestrator.InstanceId(requestId), getInputsAndOutputs: true);
            status = instance?.ReadCustomStatusAs<RequestRunStatus>();
            if (status is { Running: 0 } && status.Step == step && (until?.Invoke(status) ?? true))
            {
                return status;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The orchestration did not reach {step}; its status: {status}");
    }
}
