using System.Net;
using System.Text.Json;
using DataRights.Agent;
using DataRights.Core.Agents;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using DataRights.Testing.ServiceBus;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Agents;

/// <summary>
/// A source inside the firm's network, through its agent: the pipeline puts sealed commands on the agent's queue
/// (through the SDK, on the stand-in broker), the agent receives them with PeekLock, runs the SQL connector on its real
/// SQLite database and answers through the signed callback; the request goes on from those answers.
/// </summary>
public sealed class AgentEndToEndTests
{
    [Fact]
    public async Task Erasure_ThroughTheAgent_DiscoversErasesAndKeepsInvoices_ReportedInTheCompletionEmail()
    {
        await using var scene = await Scene.StartAsync();
        var (broker, factory, client, agent) = scene;
        var (name, email, _) = DemoCrmConnector.Person(2);
        var invoices = agent.Count("invoices", "customer_email", email);
        Assert.True(invoices > 0 && agent.Count("payment_cards", "customer_email", email) > 0);

        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);

        // The discovery command is on the queue, named by its step and request, and says nothing readable about the person.
        var discover = Assert.Single(broker.Messages, m => m.Topic == AgentKit.Queue);
        Assert.StartsWith("discover.billing.1@", discover.MessageId, StringComparison.Ordinal);
        Assert.Equal(OutgoingAgentCommand.ContentType, discover.ContentType);
        Assert.Equal("discover", discover.ApplicationProperties["kind"]);
        Assert.DoesNotContain(email, discover.BodyText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(factory.Outbox, m => m.To == "approver@example.com");

        Assert.Equal(CallbackResult.Accepted, await agent.ReceiveOneAsync());
        await factory.DrainAsync();
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Billing (on premises):", approval.Text, StringComparison.Ordinal);
        Assert.Contains("Invoices", approval.Text, StringComparison.Ordinal); // the category's display name, not its key
        Assert.DoesNotContain("billing.invoice", approval.Text, StringComparison.Ordinal);

        await WorkflowEndToEndTests.FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
        var erase = Assert.Single(broker.Messages, m => m.Topic == AgentKit.Queue && m.MessageId.StartsWith("execute.billing.1@", StringComparison.Ordinal));
        Assert.Equal("erase", erase.ApplicationProperties["kind"]);
        Assert.Equal(CallbackResult.Accepted, await agent.ReceiveOneAsync());
        await factory.DrainAsync();

        Assert.Equal(0, agent.Count("payment_cards", "customer_email", email));
        Assert.Equal(0, agent.Count("accounts", "email", email));
        Assert.Equal(invoices, agent.Count("invoices", "customer_email", email));
        var completion = factory.Outbox.Single(m => m.To == email && m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("Billing (on premises):", completion.Text, StringComparison.Ordinal);
        Assert.Contains("UK tax law requires invoices to be kept", completion.Text, StringComparison.Ordinal);
        Assert.Single(await factory.Stored.AuditAsync("source.executed", "system:billing:callback"));

        // Both commands were completed on the queue only after their answers were taken; nothing is left.
        Assert.Equal(2, broker.Queue(AgentKit.Queue).Completed.Count);
        Assert.Equal(0, broker.Queue(AgentKit.Queue).Pending);
        Assert.All(agent.Pipeline.Posted, p => Assert.Equal(HttpStatusCode.NoContent, p.Status));
    }

    [Fact]
    public async Task Access_ThroughTheAgent_ItsTablesAreInThePersonsDownload()
    {
        await using var scene = await Scene.StartAsync();
        var (broker, factory, client, agent) = scene;
        var (name, email, _) = DemoCrmConnector.Person(3);

        await SearchedThroughTheAgentAndApprovedAsync(factory, client, agent, "access", name, email);
        Assert.Contains(broker.Messages, m => m.Topic == AgentKit.Queue && m.ApplicationProperties["kind"] as string == "export");
        Assert.Equal(CallbackResult.Accepted, await agent.ReceiveOneAsync());
        await factory.DrainAsync();

        var ready = factory.Outbox.Single(m => m.To == email && m.Links.Any(l => l.Contains("/download/", StringComparison.Ordinal)));
        var page = await client.GetStringAsync(ready.PathOfLink("/download/"));
        using var download = await client.PostAsync(ready.PathOfLink("/download/"), new FormUrlEncodedContent([new("__csrf", Forms.CsrfToken(page))]));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await download.Content.ReadAsByteArrayAsync()), System.IO.Compression.ZipArchiveMode.Read);
        using var records = new StreamReader(zip.GetEntry("Billing on premises/records.json")!.Open());
        var text = await records.ReadToEndAsync();
        Assert.Contains("invoice_number", text, StringComparison.Ordinal);
        Assert.Contains(email, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_NotTakenTheFirstTime_MessageIsAbandonedAndRedelivered_AnsweredTheSameWithoutRunningTwice()
    {
        await using var scene = await Scene.StartAsync();
        var (broker, factory, client, agent) = scene;
        var (name, email, _) = DemoCrmConnector.Person(4);
        await SearchedThroughTheAgentAndApprovedAsync(factory, client, agent, "erasure", name, email);

        // The pipeline cannot be reached: the erasure ran, but the message is abandoned, not completed.
        agent.Pipeline.FailNext = 1;
        Assert.Equal(CallbackResult.TryAgain, await agent.ReceiveOneAsync());
        Assert.Equal(1, broker.Queue(AgentKit.Queue).Pending);
        Assert.Equal(0, agent.Count("payment_cards", "customer_email", email));

        // A card for the person appears in between: had the command run again, it would be erased too.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={agent.BillingPath};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO payment_cards (customer_email, last4, expires) VALUES ($email, '4242', '2030-01')";
            insert.Parameters.AddWithValue("$email", email);
            insert.ExecuteNonQuery();
        }

        Assert.Equal(CallbackResult.Accepted, await agent.ReceiveOneAsync());
        await factory.DrainAsync();

        var erase = broker.Queue(AgentKit.Queue).Completed.Last();
        Assert.Equal(2, broker.Queue(AgentKit.Queue).Deliveries[erase.MessageId]);
        var answers = agent.Pipeline.Posted.Where(p => p.Body.Contains("erased", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal(answers[0].Body, answers[1].Body);
        Assert.Equal(1, agent.Count("payment_cards", "customer_email", email));
        Assert.Single(factory.Outbox, m => m.To == email && m.Subject.Contains("is complete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LegalHold_PlacedWhileTheErasureWaitsOnTheQueue_TheAgentErasesNothing_AndTheStepIsRecordedAsHeld()
    {
        await using var scene = await Scene.StartAsync();
        var (broker, factory, client, agent) = scene;
        var (name, email, _) = DemoCrmConnector.Person(6);
        await SearchedThroughTheAgentAndApprovedAsync(factory, client, agent, "erasure", name, email);
        var cards = agent.Count("payment_cards", "customer_email", email);
        Assert.True(cards > 0);
        Assert.Single(broker.Messages, m => m.Topic == AgentKit.Queue && m.MessageId.StartsWith("execute.billing.1@", StringComparison.Ordinal));

        // The agent is away; meanwhile the legal team places a hold on the person.
        using (var placed = await WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/holds", new { scope = "person", email, reason = "Employment tribunal claim 2026/114" }))
        {
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        Assert.Equal(CallbackResult.Refused, await agent.ReceiveOneAsync());
        await factory.DrainAsync();

        Assert.Equal([HttpStatusCode.Conflict], agent.Pipeline.Checks);
        Assert.Equal(cards, agent.Count("payment_cards", "customer_email", email));
        Assert.DoesNotContain(agent.Pipeline.Posted, p => p.Body.Contains("erased", StringComparison.Ordinal));
        Assert.Equal(0, broker.Queue(AgentKit.Queue).Pending);
        Assert.Single(await factory.Stored.AuditAsync("source.executed", "system:legal-hold"));
        var completion = factory.Outbox.Single(m => m.To == email && m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("legal hold", completion.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErasureCheck_WhenThePipelineCannotSay_ErasesNothingYet_AndTheCommandComesBack()
    {
        await using var scene = await Scene.StartAsync();
        var (broker, factory, client, agent) = scene;
        var (name, email, _) = DemoCrmConnector.Person(7);
        await SearchedThroughTheAgentAndApprovedAsync(factory, client, agent, "erasure", name, email);
        var cards = agent.Count("payment_cards", "customer_email", email);

        agent.Pipeline.FailNextCheck = 1;
        Assert.Equal(CallbackResult.TryAgain, await agent.ReceiveOneAsync());

        Assert.Equal(cards, agent.Count("payment_cards", "customer_email", email));
        Assert.Equal(1, broker.Queue(AgentKit.Queue).Pending);

        Assert.Equal(CallbackResult.Accepted, await agent.ReceiveOneAsync());
        await factory.DrainAsync();

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], agent.Pipeline.Checks);
        Assert.Equal(0, agent.Count("payment_cards", "customer_email", email));
        Assert.Single(factory.Outbox, m => m.To == email && m.Subject.Contains("is complete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StepSentAgain_SameCommandId_QueueKeepsOneCommand()
    {
        await using var broker = AgentKit.StartedBroker();
        using var factory = new DataRightsFactory(settings: AgentKit.PipelineSettings(broker));
        using var client = factory.CreateClient();
        await AgentKit.RegisterAsync(client);
        var (name, email, _) = DemoCrmConnector.Person(5);
        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);
        var sent = Assert.Single(broker.Messages, m => m.Topic == AgentKit.Queue);

        // The step's work sent once more, as after a crash between sending and recording: the same message id.
        var connector = Assert.IsType<AgentSourceConnector>(factory.Services.GetRequiredService<Core.Sources.IDataSourceRegistry>().Connector("billing"));
        var request = sent.MessageId[(sent.MessageId.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var call = new Core.Sources.SourceCall(new Core.Sources.SubjectIdentity(email, name, null), request, new Uri("http://localhost:7071/api/callbacks/x")) { Step = "discover.billing.1" };
        await connector.DiscoverAsync(call, CancellationToken.None);

        Assert.Equal(sent.MessageId, AgentSourceConnector.CommandId(call));
        Assert.Single(broker.Messages, m => m.Topic == AgentKit.Queue);
        Assert.Equal(1, broker.Duplicates);
    }

    [Fact]
    public async Task Agent_ThatNeverAnswers_FailsItsStepAfterItsTimeLimit_OtherSourcesGoOn_ApproversSeeWhy()
    {
        await using var broker = AgentKit.StartedBroker();
        using var factory = new DataRightsFactory(settings: AgentKit.PipelineSettings(broker));
        using var client = factory.CreateClient();
        await AgentKit.RegisterAsync(client, timeout: "PT2H");
        var (name, email, _) = DemoCrmConnector.Person(6);
        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);

        await factory.AdvanceAsync(TimeSpan.FromMinutes(119));
        Assert.DoesNotContain(factory.Outbox, m => m.To == "approver@example.com");
        await factory.AdvanceAsync(TimeSpan.FromMinutes(2));

        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Billing (on premises)", approval.Text, StringComparison.Ordinal);
        Assert.Contains("did not answer within 2 hours, its own time limit", approval.Text, StringComparison.Ordinal);
        Assert.Contains("check the agent is running", approval.Text, StringComparison.Ordinal);
        Assert.Contains("Customer records (CRM):", approval.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_OfAnAgentsSource_IsOneCommandPerCategory_AnsweredByTheAgentIntoTheReport()
    {
        await using var scene = await Scene.StartAsync();
        var (broker, factory, client, agent) = scene;
        var run = await PurgeOldInvoicesAsync(client, agent, "old.customer@example.com");
        Assert.Equal(CallbackResult.Accepted, await agent.ReceiveOneAsync());
        var report = await run;

        var purge = Assert.Single(broker.Messages, m => m.Topic == AgentKit.Queue);
        Assert.Equal("purge", purge.ApplicationProperties["kind"]);
        var line = Retention.PurgeKit.Line(report, "billing", "billing.invoice");
        Assert.Equal("done", line.GetProperty("state").GetString());
        Assert.Equal(1, Retention.PurgeKit.Count(line, "purged"));
        Assert.Equal(0, agent.Count("invoices", "customer_email", "old.customer@example.com"));
    }

    [Fact]
    public async Task LegalHold_PlacedWhileAPurgeWaitsOnTheQueue_ThePersonIsSpared()
    {
        await using var scene = await Scene.StartAsync();
        var (broker, factory, client, agent) = scene;
        var run = await PurgeOldInvoicesAsync(client, agent, "old.customer@example.com", "other.customer@example.com");

        // The purge command is on the queue, the agent away; meanwhile a hold is placed on one of the two people.
        for (var waited = 0; !broker.Messages.Any(m => m.Topic == AgentKit.Queue); waited++)
        {
            Assert.True(waited < 600, "The purge command never reached the queue.");
            await Task.Delay(50);
        }

        using (var placed = await WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/holds", new { scope = "person", email = "old.customer@example.com", reason = "Dispute over invoice 2010/7" }))
        {
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        Assert.Equal(CallbackResult.Accepted, await agent.ReceiveOneAsync());
        var report = await run;

        Assert.Equal([HttpStatusCode.OK], agent.Pipeline.Checks);
        Assert.Equal(1, agent.Count("invoices", "customer_email", "old.customer@example.com"));
        Assert.Equal(0, agent.Count("invoices", "customer_email", "other.customer@example.com"));
        var line = Retention.PurgeKit.Line(report, "billing", "billing.invoice");
        Assert.Equal(1, Retention.PurgeKit.Count(line, "purged"));
        Assert.Equal(1, Retention.PurgeKit.Count(line, "held"));
    }

    [Fact]
    public async Task Pipeline_WithoutServiceBusForAgents_FailsTheStepSayingWhy()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await AgentKit.RegisterAsync(client);
        var connector = Assert.IsType<AgentSourceConnector>(factory.Services.GetRequiredService<Core.Sources.IDataSourceRegistry>().Connector("billing"));
        var call = new Core.Sources.SourceCall(new Core.Sources.SubjectIdentity("kim@example.com", "Kim", null), "r1", new Uri("http://localhost:7071/api/callbacks/x")) { Step = "discover.billing.1" };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => connector.DiscoverAsync(call, CancellationToken.None));
        Assert.Contains("No Service Bus namespace is configured for on-premises agents", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>An invoice from 2010 for each address at the agent's source, then the region's purge of invoices older than 8 years, started (its report is the task's result).</summary>
    private static async Task<Task<JsonElement>> PurgeOldInvoicesAsync(HttpClient client, AgentKit agent, params string[] emails)
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={agent.BillingPath};Pooling=False"))
        {
            connection.Open();
            foreach (var email in emails)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO invoices (customer_email, issued_on, amount_pence) VALUES ($email, '2010-01-15', 1200)";
                insert.Parameters.AddWithValue("$email", email);
                insert.ExecuteNonQuery();
            }
        }

        await Retention.PurgeKit.SavePolicyAsync(client, "eu-west", Retention.PurgeKit.Rule("billing.invoice", "P8Y"));
        return Retention.PurgeKit.RunNowAsync(client, "eu-west", dryRun: false);
    }

    // Submitted and verified, the agent answers the search, the approver approves: the execution's command is on the queue.
    private static async Task SearchedThroughTheAgentAndApprovedAsync(DataRightsFactory factory, HttpClient client, AgentKit agent, string type, string name, string email)
    {
        await Journeys.SubmitAndVerifyAsync(factory, client, type, name, email);
        Assert.Equal(CallbackResult.Accepted, await agent.ReceiveOneAsync());
        await factory.DrainAsync();
        await WorkflowEndToEndTests.FollowAsync(client, factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
    }

    /// <summary>
    /// What most of these tests start from: the stand-in broker, the pipeline on it, a client, the agent with its
    /// database, and the agent's source registered; disposed in the reverse order.
    /// </summary>
    private sealed class Scene : IAsyncDisposable
    {
        private Scene(AmqpServiceBusStandIn broker, DataRightsFactory factory, HttpClient client, AgentKit agent) =>
            (Broker, Factory, Client, Agent) = (broker, factory, client, agent);

        public AmqpServiceBusStandIn Broker { get; }

        public DataRightsFactory Factory { get; }

        public HttpClient Client { get; }

        public AgentKit Agent { get; }

        public static async Task<Scene> StartAsync()
        {
            var broker = AgentKit.StartedBroker();
            var factory = new DataRightsFactory(settings: AgentKit.PipelineSettings(broker));
            var scene = new Scene(broker, factory, factory.CreateClient(), AgentKit.For(factory, broker));
            try
            {
                await AgentKit.RegisterAsync(scene.Client);
                return scene;
            }
            catch
            {
                await scene.DisposeAsync();
                throw;
            }
        }

        public void Deconstruct(out AmqpServiceBusStandIn broker, out DataRightsFactory factory, out HttpClient client, out AgentKit agent) =>
            (broker, factory, client, agent) = (Broker, Factory, Client, Agent);

        public async ValueTask DisposeAsync()
        {
            await Agent.DisposeAsync();
            Client.Dispose();
            Factory.Dispose();
            await Broker.DisposeAsync();
        }
    }
}
