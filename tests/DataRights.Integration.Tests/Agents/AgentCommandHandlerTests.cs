using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataRights.Agent;
using DataRights.Core.Agents;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Host.Sources;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Agents;

/// <summary>The agent's command handling through its port, against the demo billing database (a real SQLite file).</summary>
public sealed class AgentCommandHandlerTests : IAsyncLifetime
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));
    private Testing.ServiceBus.AmqpServiceBusStandIn _broker = null!;
    private AgentKit _agent = null!;

    public Task InitializeAsync()
    {
        _broker = AgentKit.StartedBroker();
        _agent = new AgentKit(_broker, new HttpClientHandler(), new Uri("https://pipeline.example.com/"), Clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Discover_AnswersCountsAndCategories_InTheContractsShape()
    {
        var (name, email, _) = DemoCrmConnector.Person(8);
        using var answer = await AnswerAsync(Command("discover.billing.1@r1", AgentCommandKind.Discover, new SubjectIdentity(email, name, null)));

        Assert.True(answer.RootElement.GetProperty("records").GetInt32() > 0);
        Assert.Contains("billing.invoice", answer.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(HttpSourceConnector.ParseDiscovery(JsonSerializer.SerializeToUtf8Bytes(answer.RootElement)).RecordCount, answer.RootElement.GetProperty("records").GetInt32());
    }

    [Fact]
    public async Task Erase_ErasesMasksAndKeeps_ThenTheSameCommandAgain_AnswersTheSameWithoutRunning()
    {
        var (name, email, _) = DemoCrmConnector.Person(9);
        var command = Command("execute.billing.1@r2", AgentCommandKind.Erase, new SubjectIdentity(email, name, null));

        var first = await _agent.Handler.AnswerAsync(command, lastAttempt: false, CancellationToken.None);
        var outcome = HttpSourceConnector.ParseErasure(first);
        Assert.True(outcome.Erased > 0 && outcome.Masked > 0);
        Assert.Equal("billing.invoice", Assert.Single(outcome.Retained).Category);
        Assert.Equal(0, _agent.Count("payment_cards", "customer_email", email));

        AddCard(email);
        var again = await _agent.Handler.AnswerAsync(command, lastAttempt: false, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(1, _agent.Count("payment_cards", "customer_email", email));
    }

    [Fact]
    public async Task Erase_CarriesEachKeptCategorysGround_SoThePersonIsCitedTheRightException()
    {
        await using var claims = new AgentKit(_broker, new HttpClientHandler(), new Uri("https://pipeline.example.com/"), Clock, registration: r => r with
        {
            Categories = [.. r.Categories.Select(c => c.Key == "billing.invoice" ? c with { Ground = "legal-claims" } : c)],
        });
        var (name, email, _) = DemoCrmConnector.Person(10);

        var answer = await claims.Handler.AnswerAsync(Command("execute.billing.1@r3", AgentCommandKind.Erase, new SubjectIdentity(email, name, null)), lastAttempt: false, CancellationToken.None);

        using var json = JsonDocument.Parse(answer);
        Assert.Equal("legal-claims", Assert.Single(json.RootElement.GetProperty("retained").EnumerateArray()).GetProperty("ground").GetString());
        var kept = Assert.Single(HttpSourceConnector.ParseErasure(answer).Retained);
        Assert.Equal(("billing.invoice", ErasureGround.LegalClaims), (kept.Category, kept.Ground));
    }

    [Fact]
    public async Task FollowUpErasure_OfAPersonHeldSinceItWasSent_ErasesNothing_AndAnswersWhy()
    {
        var (name, email, _) = DemoCrmConnector.Person(13);
        var pipeline = new HeldPipeline(Core.Sources.Registry.LegalHold.HashSubject(email));
        await using var kit = new AgentKit(_broker, pipeline, new Uri("https://pipeline.example.com/"), Clock);
        var cards = kit.Count("payment_cards", "customer_email", email);
        Assert.True(cards > 0);
        var command = Command("erase.billing.follow-up@f1", AgentCommandKind.Erase, new SubjectIdentity(email, name, null));
        await using (var client = new global::Azure.Messaging.ServiceBus.ServiceBusClient(_broker.ConnectionString))
        await using (var sender = client.CreateSender(AgentKit.Queue))
        {
            await sender.SendMessageAsync(new global::Azure.Messaging.ServiceBus.ServiceBusMessage(AgentEnvelope.Seal(command, AgentKit.Secret)) { MessageId = command.CommandId });
        }

        Assert.Equal(CallbackResult.Accepted, await kit.ReceiveOneAsync());

        Assert.Equal(["/api/callbacks/t/proceed", "/api/callbacks/t"], pipeline.Paths);
        Assert.Contains("A legal hold now covers these records", pipeline.Answer, StringComparison.Ordinal);
        Assert.Equal(cards, kit.Count("payment_cards", "customer_email", email));
    }

    /// <summary>A pipeline whose check names one person as held now, and which takes any answer.</summary>
    private sealed class HeldPipeline(string heldHash) : HttpMessageHandler
    {
        public List<string> Paths { get; } = [];

        public string Answer { get; private set; } = string.Empty;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Paths.Add(request.RequestUri!.AbsolutePath);
            if (request.RequestUri.AbsolutePath.EndsWith("/proceed", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { proceed = true, held = new[] { heldHash } }) };
            }

            Answer = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }

    [Fact]
    public async Task Erase_AndPurge_OfASourceTheAgentHasReadOnly_WriteNothing_WhateverThePipelineAsks()
    {
        await using var readOnly = new AgentKit(_broker, new HttpClientHandler(), new Uri("https://pipeline.example.com/"), Clock, access: "read");
        var (name, email, _) = DemoCrmConnector.Person(12);
        var cards = readOnly.Count("payment_cards", "customer_email", email);
        Assert.True(cards > 0);

        var erased = await readOnly.Handler.AnswerAsync(Command("execute.billing.1@r9", AgentCommandKind.Erase, new SubjectIdentity(email, name, null)), lastAttempt: false, CancellationToken.None);
        var purged = await readOnly.Handler.AnswerAsync(
            Command("purge.billing.1@p9", AgentCommandKind.Purge, new SubjectIdentity(email, name, null)) with
            {
                Subject = null, Purge = new AgentPurgeOrder("billing.payment_card", DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime.AddYears(1)), 100, DryRun: false, []),
            },
            lastAttempt: false,
            CancellationToken.None);

        Assert.Contains("read-only on the agent", JsonDocument.Parse(erased).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(purged).RootElement.GetProperty("supported").GetBoolean());
        Assert.Equal(cards, readOnly.Count("payment_cards", "customer_email", email));
    }

    [Fact]
    public async Task Answers_AreKeptFourteenDaysWhileTheAgentRuns_AndAnExportsIsNotKeptAtAll()
    {
        // A clock of its own, from now: an answer's age is its file's.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var agent = new AgentKit(_broker, new HttpClientHandler(), new Uri("https://pipeline.example.com/"), clock);
        var (name, email, _) = DemoCrmConnector.Person(13);
        var search = Command("discover.billing.1@r13", AgentCommandKind.Discover, new SubjectIdentity(email, name, null));
        var export = Command("execute.billing.1@r13", AgentCommandKind.Export, new SubjectIdentity(email, name, null));

        await agent.Handler.AnswerAsync(search, lastAttempt: false, CancellationToken.None);
        await agent.Handler.AnswerAsync(export, lastAttempt: false, CancellationToken.None);

        Assert.NotNull(await agent.Answers.FindAsync(search.CommandId, CancellationToken.None));
        Assert.Null(await agent.Answers.FindAsync(export.CommandId, CancellationToken.None));
        Assert.Single(Directory.GetFiles(Path.Combine(agent.State, "answers")));
        clock.Advance(DataRights.Agent.FileAnswerStore.KeepFor + TimeSpan.FromDays(1));

        // Saving another sweeps the folder (the old answer was not looked up): nothing older than the limit is left on disk.
        var next = Command("discover.billing.2@r14", AgentCommandKind.Discover, new SubjectIdentity(email, name, null));
        await agent.Handler.AnswerAsync(next, lastAttempt: false, CancellationToken.None);
        Assert.Single(Directory.GetFiles(Path.Combine(agent.State, "answers")));
        Assert.NotNull(await agent.Answers.FindAsync(next.CommandId, CancellationToken.None));
        Assert.Null(await agent.Answers.FindAsync(search.CommandId, CancellationToken.None));
    }

    [Fact]
    public async Task Export_AnswersTheTablesTheContractDefines_WhichThePipelineReads()
    {
        var (name, email, _) = DemoCrmConnector.Person(10);
        var answer = await _agent.Handler.AnswerAsync(Command("execute.billing.1@r3", AgentCommandKind.Export, new SubjectIdentity(email, name, null)), false, CancellationToken.None);

        var sink = new ListSink();
        var outcome = await HttpSourceConnector.WriteExportAsync(answer, sink, CancellationToken.None);
        Assert.True(outcome.Exported > 0);
        Assert.Contains(sink.Tables, t => t.Category == "billing.invoice" && t.Columns.Contains("invoice_number"));
        Assert.Contains(sink.Rows, r => r.Contains(email));
    }

    [Fact]
    public async Task Export_NamesWhatItFoundButCouldNotCopy_SoThePersonsCopyDoesNotLookComplete()
    {
        await using var partial = new AgentKit(_broker, new HttpClientHandler(), new Uri("https://pipeline.example.com/"), Clock, registration: r => r with
        {
            Categories = [.. r.Categories.Select(c => c.Key == "billing.payment_card" ? c with { Queries = c.Queries.Where(q => q.Key != "export").ToDictionary() } : c)],
        });
        var (name, email, _) = DemoCrmConnector.Person(11);
        var cards = partial.Count("payment_cards", "customer_email", email);
        Assert.True(cards > 0);

        var answer = await partial.Handler.AnswerAsync(Command("execute.billing.1@r4", AgentCommandKind.Export, new SubjectIdentity(email, name, null)), false, CancellationToken.None);

        var sink = new ListSink();
        var outcome = await HttpSourceConnector.WriteExportAsync(answer, sink, CancellationToken.None);
        Assert.DoesNotContain(sink.Tables, t => t.Category == "billing.payment_card");
        Assert.Equal($"Records we hold but could not copy automatically: Payment cards ({cards}). The privacy team will send them.", outcome.Note);
    }

    [Theory]
    [InlineData("\"two\\nlines\"")]
    [InlineData("\"\"")]
    [InlineData("42")]
    public async Task ExportAnswer_WithANoteThatIsNotOneLineOfText_IsNotInTheContractsShape(string note) =>
        await Assert.ThrowsAsync<InvalidDataException>(() => HttpSourceConnector.WriteExportAsync(
            System.Text.Encoding.UTF8.GetBytes("{\"tables\": [], \"note\": " + note + "}"), new ListSink(), CancellationToken.None));

    [Fact]
    public async Task Purge_RunsTheCategoryToTheEndInBatches_AndADryRunCountsWithoutRemoving()
    {
        var order = new AgentPurgeOrder("billing.invoice", new DateOnly(2030, 1, 1), BatchSize: 50, DryRun: true, HeldSubjects: []);
        var dry = AgentWaitedAnswers.Parse(await _agent.Handler.AnswerAsync(new AgentCommand("purge.1", AgentCommandKind.Purge, "billing", Clock.GetUtcNow()) { Purge = order }, false, CancellationToken.None));
        var total = Rows("invoices");
        Assert.Equal(total, dry.Outcome!.Purged);

        var real = AgentWaitedAnswers.Parse(await _agent.Handler.AnswerAsync(
            new AgentCommand("purge.2", AgentCommandKind.Purge, "billing", Clock.GetUtcNow()) { Purge = order with { DryRun = false } }, false, CancellationToken.None));

        Assert.Equal(total, real.Outcome!.Purged);
        Assert.True(real.Outcome.Complete);
        Assert.Equal(0, Rows("invoices"));
    }

    [Fact]
    public async Task Purge_CategoryWithoutAPurgeStatement_AnswersNotSupported()
    {
        var order = new AgentPurgeOrder("billing.payment_card", new DateOnly(2030, 1, 1), 50, DryRun: false, HeldSubjects: []);
        var answer = AgentWaitedAnswers.Parse(await _agent.Handler.AnswerAsync(new AgentCommand("purge.3", AgentCommandKind.Purge, "billing", Clock.GetUtcNow()) { Purge = order }, false, CancellationToken.None));

        Assert.False(answer.Outcome!.Supported);
    }

    [Fact]
    public async Task UnknownSource_IsAnsweredWithAnErrorStaffCanAct_On()
    {
        var answer = await _agent.Handler.AnswerAsync(Command("discover.hr.1@r4", AgentCommandKind.Discover, new SubjectIdentity("kim@example.com", "Kim", null)) with { Source = "hr" }, false, CancellationToken.None);

        using var json = JsonDocument.Parse(answer);
        Assert.Contains("This agent serves no source 'hr'", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingDatabase_ThrowsSoTheMessageComesBack_AndOnTheLastAttemptAnswersTheFailure()
    {
        File.WriteAllText(_agent.BillingPath, "this is not a database");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var command = Command("discover.billing.1@r5", AgentCommandKind.Discover, new SubjectIdentity("kim@example.com", "Kim", null));

        await Assert.ThrowsAnyAsync<Exception>(() => _agent.Handler.AnswerAsync(command, lastAttempt: false, CancellationToken.None));
        var last = await _agent.Handler.AnswerAsync(command, lastAttempt: true, CancellationToken.None);

        using var json = JsonDocument.Parse(last);
        Assert.StartsWith("The agent could not carry out the step at its database", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SealedCommand_OpensOnlyWithTheSecretAndItsOwnMessageId()
    {
        var command = Command("discover.billing.1@r6", AgentCommandKind.Discover, new SubjectIdentity("kim@example.com", "Kim", null));
        var sealedBody = AgentEnvelope.Seal(command, AgentKit.Secret);

        Assert.Equal(command.Subject, AgentEnvelope.Open(sealedBody, command.CommandId, AgentKit.Secret).Subject);
        Assert.DoesNotContain("kim@example.com", System.Text.Encoding.UTF8.GetString(sealedBody), StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => AgentEnvelope.Open(sealedBody, command.CommandId, "another secret, not the shared one"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => AgentEnvelope.Open(sealedBody, "discover.billing.1@another", AgentKit.Secret));
    }

    private static AgentCommand Command(string id, string kind, SubjectIdentity subject) =>
        new(id, kind, "billing", Clock.GetUtcNow()) { Subject = subject, RequestId = "r", Callback = new Uri("https://pipeline.example.com/api/callbacks/t") };

    private async Task<JsonDocument> AnswerAsync(AgentCommand command) => JsonDocument.Parse(await _agent.Handler.AnswerAsync(command, false, CancellationToken.None));

    private void AddCard(string email)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_agent.BillingPath};Pooling=False");
        connection.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO payment_cards (customer_email, last4, expires) VALUES ($email, '4242', '2030-01')";
        insert.Parameters.AddWithValue("$email", email);
        insert.ExecuteNonQuery();
    }

    private int Rows(string table)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_agent.BillingPath};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class ListSink : IExportSink
    {
        public List<(string Category, IReadOnlyList<string> Columns)> Tables { get; } = [];

        public List<string> Rows { get; } = [];

        public ValueTask BeginTableAsync(string category, string table, IReadOnlyList<string> columns, bool providedByPerson, CancellationToken cancellationToken)
        {
            Tables.Add((category, columns));
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
        {
            Rows.Add(string.Join("|", values));
            return ValueTask.CompletedTask;
        }
    }
}
