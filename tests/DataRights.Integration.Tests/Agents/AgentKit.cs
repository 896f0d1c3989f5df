using System.Net;
using System.Text;
using Azure.Messaging.ServiceBus;
using DataRights.Agent;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Hosting;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Agents;

/// <summary>
/// An on-premises agent for tests: its own state folder with the demo billing database (the SQL fixture of the
/// connector contract tests) registered as source <c>billing</c>, the shared secret in a variable, and the pieces the
/// agent's worker wires together, receiving through the real Service Bus SDK from the stand-in broker and posting to the
/// pipeline under test (its in-memory server), on the pipeline's fake clock.
/// </summary>
internal sealed class AgentKit : IAsyncDisposable
{
    public const string AgentName = "branch";
    public const string Queue = "agent-branch";
    public const string SecretVariable = "DATARIGHTS_SOURCE_TEST_AGENT_SECRET";
    public static readonly byte[] Secret = Encoding.UTF8.GetBytes("the secret the pipeline and its agent share, 32+ bytes");

    private readonly ServiceBusClient _client;
    private readonly AgentSources _sources;

    static AgentKit() => System.Environment.SetEnvironmentVariable(SecretVariable, Encoding.UTF8.GetString(Secret));

    public AgentKit(AmqpServiceBusStandIn broker, HttpMessageHandler pipeline, Uri pipelineUrl, TimeProvider time, string? access = null, Func<SourceRegistration, SourceRegistration>? registration = null)
    {
        State = Directory.CreateTempSubdirectory("datarights-agent-").FullName;
        Directory.CreateDirectory(Path.Combine(State, "sources"));
        DemoSources.EnsureBilling(BillingPath, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        Pipeline = new CountingHandler(pipeline);
        var agent = Options.Create(new AgentOptions
        {
            Name = AgentName, PipelineUrl = pipelineUrl, Secret = "env:" + SecretVariable, StateDirectory = State, AllowHttpCallbacks = true, MaxAttempts = 3,
        });
        var billing = access is null ? DemoSources.Registrations[1] : DemoSources.Registrations[1] with { Access = access };
        _sources = new AgentSources(Options.Create(new AgentSourcesOptions { Registered = [registration?.Invoke(billing) ?? billing] }), agent, time, NullLoggerFactory.Instance);
        Answers = new FileAnswerStore(agent, time);
        Handler = new AgentCommandHandler(_sources, Answers, NullLogger<AgentCommandHandler>.Instance);
        Processor = new CommandProcessor(Handler, new CallbackClient(new HttpClient(Pipeline, disposeHandler: false), agent, time), agent, time, NullLogger<CommandProcessor>.Instance);
        _client = new ServiceBusClient(broker.ConnectionString);
        Receiver = _client.CreateReceiver(Queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock });
    }

    public string State { get; }

    public string BillingPath => Path.Combine(State, "sources", "billing.db");

    public AgentCommandHandler Handler { get; }

    public FileAnswerStore Answers { get; }

    public CommandProcessor Processor { get; }

    public ServiceBusReceiver Receiver { get; }

    /// <summary>Every answer the agent posted, and what the pipeline said; set <see cref="CountingHandler.FailNext"/> to play an unreachable pipeline.</summary>
    public CountingHandler Pipeline { get; }

    /// <summary>A broker with the agent's queue, duplicate detection on (as infra/modules/servicebus.bicep declares agents' queues).</summary>
    public static AmqpServiceBusStandIn StartedBroker(TimeProvider? time = null)
    {
        var broker = new AmqpServiceBusStandIn(new Dictionary<string, TopicSettings>(), time,
            new Dictionary<string, TopicSettings> { [Queue] = new(RequiresDuplicateDetection: true, TimeSpan.FromMinutes(10)) });
        broker.Start();
        return broker;
    }

    /// <summary>The pipeline's settings for agents on <paramref name="broker"/>.</summary>
    public static Dictionary<string, string?> PipelineSettings(AmqpServiceBusStandIn broker) => new()
    {
        ["DataRights:Agents:ServiceBus:ConnectionString"] = broker.ConnectionString,
        ["DataRights:Agents:ServiceBus:MaxRetries"] = "0",
    };

    /// <summary>The agent that serves the pipeline in <paramref name="factory"/> from <paramref name="broker"/>.</summary>
    public static AgentKit For(DataRightsFactory factory, AmqpServiceBusStandIn broker) =>
        new(broker, factory.Server.CreateHandler(), new Uri(factory.Services.GetRequiredService<IOptions<DataRightsOptions>>().Value.LinkBase + "/"), factory.Clock);

    /// <summary>Registers the agent's billing source in the pipeline (<c>billing</c>, replacing the demo one), as staff would.</summary>
    public static async Task RegisterAsync(HttpClient client, string timeout = "PT1H")
    {
        using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/billing");
        request.Content = System.Net.Http.Json.JsonContent.Create(Registration(timeout));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The pipeline's registration of the billing source behind the agent: its categories and policies, no statements.</summary>
    public static object Registration(string timeout, string agent = AgentName) => new
    {
        displayName = "Billing (on premises)", connectorType = SourceRegistrationValidator.AgentType, access = "read-write", region = "eu-west", identityFields = new[] { "email" },
        connection = new Dictionary<string, string> { ["agent"] = agent, ["secret"] = "env:" + SecretVariable, ["timeout"] = timeout },
        secretSettings = new[] { "secret" },
        categories = DemoSources.Registrations[1].Categories.Select(c => new
        {
            key = c.Key, displayName = c.DisplayName, strategy = c.Strategy, mask = c.Mask, legalBasis = c.LegalBasis, retentionPeriod = c.RetentionPeriod, provided = c.Provided,
        }),
    };

    /// <summary>Receives one command through the SDK (PeekLock) and processes it as the agent's worker does.</summary>
    public async Task<CallbackResult?> ReceiveOneAsync()
    {
        var message = await Receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(message);
        return await Processor.ProcessAsync(Receiver, message, CancellationToken.None);
    }

    /// <summary>Rows of a table of the agent's billing database for an email.</summary>
    public int Count(string table, string emailColumn, string email)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={BillingPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {emailColumn} = $email";
        command.Parameters.AddWithValue("$email", email);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await _client.DisposeAsync();
        _sources.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(State, recursive: true);
    }

    /// <summary>Passes answers to the pipeline, keeping each body and status; can answer 503 itself instead, as an unreachable pipeline.</summary>
    internal sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        /// <summary>The answers posted (not the checks before an erasure).</summary>
        public List<(string Path, string Body, HttpStatusCode Status)> Posted { get; } = [];

        /// <summary>The checks an agent makes just before erasing (<c>{callback}/proceed</c>), with the pipeline's answer.</summary>
        public List<HttpStatusCode> Checks { get; } = [];

        /// <summary>How many of the next answers fail as if the pipeline could not be reached.</summary>
        public int FailNext { get; set; }

        /// <summary>How many of the next checks before an erasure fail as if the pipeline could not be reached.</summary>
        public int FailNextCheck { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/proceed", StringComparison.Ordinal))
            {
                HttpResponseMessage checkResponse;
                if (FailNextCheck > 0)
                {
                    FailNextCheck--;
                    checkResponse = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
                }
                else
                {
                    checkResponse = await base.SendAsync(request, cancellationToken);
                }

                Checks.Add(checkResponse.StatusCode);
                return checkResponse;
            }

            if (FailNext > 0)
            {
                FailNext--;
                Posted.Add((request.RequestUri!.AbsolutePath, body, HttpStatusCode.ServiceUnavailable));
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            var response = await base.SendAsync(request, cancellationToken);
            Posted.Add((request.RequestUri!.AbsolutePath, body, response.StatusCode));
            return response;
        }
    }
}
