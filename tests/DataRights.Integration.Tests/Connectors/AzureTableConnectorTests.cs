using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Connectors.AzureTable;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Sources;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>The <c>azure-table</c> connector on Azurite: masking, retention, purges, escaping, validation and connection tests.</summary>
public sealed class AzureTableConnectorTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Erase_MaskedCategory_MergesTheKeyedHashOfTheMaskKeyAndKeepsTheRest()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var maskKey = Enumerable.Repeat((byte)7, 32).ToArray();

        var outcome = await demo.Connector(maskKey).ExecuteAsync(SourceCall.For(AzureTableDemo.Person(3)), RequestType.Erasure, null, None);

        var expected = "erased:" + Convert.ToHexStringLower(HMACSHA256.HashData(maskKey, Encoding.UTF8.GetBytes("contact.preferences\u001f" + AzureTableDemo.Email(3))))[..24];
        var rows = await demo.Client.ListAsync(demo.Preferences, None);
        var masked = rows.Single(r => r.RowKey == "ACC-1003");
        Assert.Equal(1, outcome.Masked);
        Assert.Equal(expected, masked.Get("Email"));
        Assert.Equal(expected, masked.Get("FullName"));
        Assert.Equal(true, masked.Get("Voicemail"));
        Assert.Equal("en-GB", masked.Get("Language"));
        Assert.Equal(AzureTableDemo.Email(4), rows.Single(r => r.RowKey == "ACC-1004").Get("Email"));
        Assert.Equal(AzureTableDemo.People, rows.Count);
    }

    [Fact]
    public async Task Erase_NullMask_RemovesThePropertiesAndKeepsTheOthersWithTheirTypes()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var registration = demo.Registration with { Categories = [demo.Registration.Categories[0] with { Mask = "null" }, .. demo.Registration.Categories.Skip(1)] };

        var outcome = await demo.Connector(registration: registration).ExecuteAsync(SourceCall.For(AzureTableDemo.Person(3)), RequestType.Erasure, null, None);

        var masked = (await demo.Client.ListAsync(demo.Preferences, None)).Single(r => r.RowKey == "ACC-1003");
        Assert.Equal(1, outcome.Masked);
        Assert.Null(masked.Get("Email"));
        Assert.Null(masked.Get("FullName"));
        Assert.Equal(true, masked.Get("Voicemail"));
        Assert.Equal("ACC-1003", masked.Get("AccountId"));
        Assert.DoesNotContain("contact.preferences", (await demo.Connector(registration: registration).DiscoverAsync(SourceCall.For(AzureTableDemo.Person(3)), None)).Categories);
    }

    [Fact]
    public async Task Erase_RetainedCategory_KeepsInvoicesInRetentionWithTheirBasisAndDeletesThosePastIt()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);

        var outcome = await demo.Connector().ExecuteAsync(SourceCall.For(AzureTableDemo.Person(5)), RequestType.Erasure, null, None);

        var retained = Assert.Single(outcome.Retained);
        Assert.Equal("billing.invoice", retained.Category);
        Assert.Equal(2, retained.Count);
        Assert.StartsWith("UK tax law requires invoices", retained.LegalBasis, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2033, 1, 15), retained.RetainedUntil);
        var invoices = (await demo.Client.ListAsync(demo.Invoices, None)).Where(r => r.PartitionKey == "ACC-1005").ToList();
        Assert.Equal(["INV-2025", "INV-2026"], invoices.Select(r => r.RowKey));
        Assert.IsType<DateTimeOffset>(invoices[0].Get("IssuedOn"));

        // Devices deleted (2), the 2017 invoice past its 7 years deleted (1).
        Assert.Equal(3, outcome.Erased);
        Assert.Equal(0, await demo.CountAsync(demo.Devices, "OwnerEmail", AzureTableDemo.Email(5)));
    }

    [Fact]
    public async Task Purge_SparesHeldSubjects_IsBoundedPerStep_AndAgainRemovesNothing()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var connector = demo.Connector();
        var held = new HashSet<string> { LegalHold.HashSubject(AzureTableDemo.Email(5)), LegalHold.HashSubject(AzureTableDemo.Email(6)) };
        var cutoff = new DateOnly(2021, 1, 1);

        var dry = await connector.PurgeAsync(new PurgeCommand("telephony.device", cutoff, 25, DryRun: true, held), None);
        var afterDry = (await demo.Client.ListAsync(demo.Devices, None)).Count;
        var steps = new List<PurgeOutcome>();
        do
        {
            steps.Add(await connector.PurgeAsync(new PurgeCommand("telephony.device", cutoff, 25, DryRun: false, held), None));
        }
        while (!steps[^1].Complete && steps.Count < 20);
        var again = await connector.PurgeAsync(new PurgeCommand("telephony.device", cutoff, 25, DryRun: false, held), None);

        Assert.Equal((AzureTableDemo.People * 2, 58, 2), (afterDry, dry.Purged, dry.Held));
        Assert.All(steps, s => Assert.InRange(s.Purged, 0, 25));
        Assert.Equal(3, steps.Count);
        Assert.Equal(58, steps.Sum(s => s.Purged));
        Assert.Equal(2, steps[^1].Held);
        Assert.Equal((0, 2, true), (again.Purged, again.Held, again.Complete));
        var left = await demo.Client.ListAsync(demo.Devices, None);
        Assert.Equal(AzureTableDemo.People + 2, left.Count);
        Assert.Equal([AzureTableDemo.Email(5), AzureTableDemo.Email(6)], left.Where(r => r.RowKey == "dev-old").Select(r => r.GetText("OwnerEmail")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Purge_CategoryWithoutADate_IsNotSupported_AndAnUnknownOneNotHeld()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);

        var undated = await demo.Connector().PurgeAsync(new PurgeCommand("contact.preferences", new DateOnly(2030, 1, 1), 10, false, new HashSet<string>()), None);
        var unknown = await demo.Connector().PurgeAsync(new PurgeCommand("crm.note", new DateOnly(2030, 1, 1), 10, false, new HashSet<string>()), None);

        Assert.False(undated.Supported);
        Assert.Contains("queries.date", undated.Note, StringComparison.Ordinal);
        Assert.False(unknown.Applies);
    }

    [Fact]
    public async Task Discover_RequestersDetails_ReportsTheNamesWhosePropertyHoldsTheValueAndChangesNothing()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var person = AzureTableDemo.Person(3) with
        {
            DataPoints =
            [
                new("accountNumber", "account_id", "ACC1003", "hmac-sha256:a"),
                new("otherAccount", "account_id", "ACC1004", "hmac-sha256:b"),
                new("phone", "phone", "447700900003", "hmac-sha256:c"),
            ],
        };

        var found = await demo.Connector().DiscoverAsync(SourceCall.For(person), None);
        var without = await demo.Connector().DiscoverAsync(SourceCall.For(AzureTableDemo.Person(3)), None);

        Assert.Equal(["accountNumber"], found.MatchedDataPoints);
        Assert.Null(without.MatchedDataPoints);
        Assert.Equal(without.RecordCount, found.RecordCount);
        Assert.Equal(1, await demo.CountAsync(demo.Preferences, "AccountId", "ACC-1003"));
    }

    [Fact]
    public async Task Erase_EmailWithAQuoteAndKeysWithODataCharacters_TouchesOnlyThatPersonsRows()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        await demo.Client.UpsertAsync(demo.Devices,
        [
            new SourceRow("O'Brien & Sons", "dev 1+2% é'", new Dictionary<string, object> { ["OwnerEmail"] = "o'brien@example.com", ["RegisteredOn"] = "2026-03-01" }),
            new SourceRow("OBrien", "dev-1", new Dictionary<string, object> { ["OwnerEmail"] = "obrien@example.com", ["RegisteredOn"] = "2026-03-01" }),
        ], None);
        var connector = demo.Connector();
        var quoted = new SubjectIdentity("o'brien@example.com", "Pat O'Brien", null);

        var found = await connector.DiscoverAsync(SourceCall.For(quoted), None);
        var erased = await connector.ExecuteAsync(SourceCall.For(quoted), RequestType.Erasure, null, None);

        Assert.Equal((1, 1), (found.RecordCount, erased.Erased));
        var left = await demo.Client.ListAsync(demo.Devices, None);
        Assert.DoesNotContain(left, r => r.PartitionKey == "O'Brien & Sons");
        Assert.Contains(left, r => r.GetText("OwnerEmail") == "obrien@example.com");
        Assert.Equal((AzureTableDemo.People * 2) + 1, left.Count);
    }

    [Theory]
    [InlineData("' or OwnerEmail ne '")]
    [InlineData("x') or (PartitionKey ne '")]
    public async Task Erase_AnIdentityWrittenAsAFilter_IsALiteralAndChangesNothing(string hostile)
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var subject = new SubjectIdentity(hostile, "x", null);

        var found = await demo.Connector().DiscoverAsync(SourceCall.For(subject), None);
        var outcome = await demo.Connector().ExecuteAsync(SourceCall.For(subject), RequestType.Erasure, null, None);

        Assert.Equal(0, found.RecordCount);
        Assert.Equal(0, outcome.Erased + outcome.Masked);
        Assert.Equal(AzureTableDemo.People * 2, (await demo.Client.ListAsync(demo.Devices, None)).Count);
        Assert.Equal(AzureTableDemo.People * 3, (await demo.Client.ListAsync(demo.Invoices, None)).Count);
        Assert.All(await demo.Client.ListAsync(demo.Preferences, None), r => Assert.EndsWith("@example.com", r.GetText("Email"), StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DemoRegistration_HasNoProblems()
    {
        var registration = AzureTableDemo.CreateRegistration(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "x1");

        Assert.Empty(SourceRegistrationValidator.Validate(registration, SourceRegistry.ConnectorTypes));
    }

    [Fact]
    public void Validate_FiltersInsteadOfPropertyNamesAndBadConnection_AreRefusedNamingEachSetting()
    {
        var good = AzureTableDemo.CreateRegistration(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "x1");
        var preferences = good.Categories[0];
        var broken = good with
        {
            Connection = new Dictionary<string, string> { ["tableEndpoint"] = "http://tables.example.com/", ["accountKey"] = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1", ["region"] = "x" },
            Categories =
            [
                preferences with
                {
                    Queries = new Dictionary<string, string>
                    {
                        ["table"] = "Prefs; DROP", ["match"] = "Email eq 'x' or true", ["mask"] = "FullName, Row Key", ["rectify.name"] = "PartitionKey", ["filter"] = "Email ne ''",
                    },
                },
                good.Categories[1] with { Queries = new Dictionary<string, string> { ["table"] = "Devices" } },
            ],
        };

        var errors = SourceRegistrationValidator.Validate(broken, SourceRegistry.ConnectorTypes);

        Assert.Equal(
            ["categories[0].queries.filter", "categories[0].queries.mask", "categories[0].queries.match", "categories[0].queries.rectify.name", "categories[0].queries.table",
             "categories[1].queries.match", "connection.accountKey", "connection.region", "connection.tableEndpoint"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_MaskedCategoryThatLeavesTheEmail_OrManagedIdentityOverHttp_AreRefused()
    {
        var good = AzureTableDemo.CreateRegistration(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "x1");
        var leavesEmail = good with { Categories = [good.Categories[0] with { Queries = new Dictionary<string, string>(good.Categories[0].Queries) { ["mask"] = "FullName" } }] };
        var identityOverHttp = good with
        {
            Connection = new Dictionary<string, string> { ["tableEndpoint"] = "http://127.0.0.1:10002/devstoreaccount1", ["useManagedIdentity"] = "true" }, SecretSettings = [],
        };

        var first = SourceRegistrationValidator.Validate(leavesEmail, SourceRegistry.ConnectorTypes);
        var second = SourceRegistrationValidator.Validate(identityOverHttp, SourceRegistry.ConnectorTypes);

        Assert.Contains("(Email)", Assert.Single(first["categories[0].queries.mask"]), StringComparison.Ordinal);
        Assert.Equal(["connection.useManagedIdentity"], second.Keys);
    }

    [Theory]
    [InlineData("https://attacker.example/", true)]
    [InlineData("https://firmdata.table.core.windows.net.attacker.example/", true)]
    [InlineData("https://table.core.windows.net/", true)]
    [InlineData("https://firmdata.table.core.windows.net/", false)]
    [InlineData("https://firmdata.table.core.usgovcloudapi.net/", false)]
    public void Validate_ManagedIdentity_IsSentOnlyToAnAzureTableService(string endpoint, bool refused)
    {
        // The app's identity token goes to the address: anywhere else, whoever runs that host gets the app's access to
        // its own storage account.
        var good = AzureTableDemo.CreateRegistration(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "x1");
        var registration = good with { Connection = new Dictionary<string, string> { ["tableEndpoint"] = endpoint, ["useManagedIdentity"] = "true" }, SecretSettings = [] };

        var errors = SourceRegistrationValidator.Validate(registration, SourceRegistry.ConnectorTypes);

        Assert.Equal(refused, errors.ContainsKey("connection.tableEndpoint"));
        Assert.DoesNotContain("connection.useManagedIdentity", errors.Keys);
    }

    [Fact]
    public async Task Register_TheSourceAtThePipelinesOwnStorageAccount_IsRefused()
    {
        var rules = new SourceRules(
            Microsoft.Extensions.Options.Options.Create(new SourcesOptions()),
            Microsoft.Extensions.Options.Options.Create(new Host.Hosting.DataRightsOptions()),
            Microsoft.Extensions.Options.Options.Create(new KeyVaultOptions()),
            new SourceAddresses(Microsoft.Extensions.Options.Options.Create(new SourcesOptions()), new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" }),
            new global::Azure.Data.Tables.TableServiceClient(new Uri("https://pipelinestore.table.core.windows.net/"), new global::Azure.AzureSasCredential("sv=x")));
        var good = AzureTableDemo.CreateRegistration(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "x1");
        var own = good with { Connection = new Dictionary<string, string> { ["tableEndpoint"] = "https://pipelinestore.table.core.windows.net/", ["useManagedIdentity"] = "true" }, SecretSettings = [] };
        var firms = own with { Connection = new Dictionary<string, string> { ["tableEndpoint"] = "https://firmdata.table.core.windows.net/", ["useManagedIdentity"] = "true" } };

        Assert.Contains("own storage account", Assert.Single((await rules.ValidateAsync(own, None))["connection.tableEndpoint"]), StringComparison.Ordinal);
        Assert.DoesNotContain("connection.tableEndpoint", (await rules.ValidateAsync(firms, None)).Keys);
    }

    [Fact]
    public async Task Test_WithAWrongAccountKey_IsUnreachableWithTheReason()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var wrongKey = Convert.ToBase64String(Enumerable.Repeat((byte)1, 64).ToArray());
        var client = new AzureTableSourceClient(AzureTableConnection.WithAccountKey(demo.Endpoint, AzureTableConnection.DevelopmentAccountName, wrongKey));

        var test = await new AzureTableSourceConnector(client, demo.Registration, new byte[32], TimeProvider.System).TestAsync(None);

        Assert.False(test.Reachable);
        Assert.Contains("connection.accountKey", test.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, test.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_WithAMissingTable_IsUnreachableNamingTheSetting()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var registration = demo.Registration with { Categories = [demo.Registration.Categories[1] with { Queries = new Dictionary<string, string> { ["table"] = "NoSuchTable", ["match"] = "OwnerEmail" } }] };

        var test = await demo.Connector(registration: registration).TestAsync(None);

        Assert.False(test.Reachable);
        Assert.Contains("queries.table", test.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rectify_Restrict_AndExport_WorkOnThePersonsRowsOnly()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var connector = demo.Connector();
        var person = AzureTableDemo.Person(9);

        var restricted = await connector.ExecuteAsync(SourceCall.For(person), RequestType.Restriction, new ActionInstructions(), None);
        var rectified = await connector.ExecuteAsync(SourceCall.For(person), RequestType.Rectification,
            new ActionInstructions { Corrections = [new Correction("email", "New.Address@Example.com"), new Correction("name", "Kim Ninth"), new Correction("phone", "+44 20 7946 0000")] }, None);
        var sink = new RecordingSink();
        var exported = await connector.ExportAsync(SourceCall.For(person with { Email = "new.address@example.com" }), sink, None);
        var found = await connector.DiscoverAsync(SourceCall.For(person with { Email = "new.address@example.com" }), None);

        var row = (await demo.Client.ListAsync(demo.Preferences, None)).Single(r => r.RowKey == "ACC-1009");
        Assert.Equal((1, 2), (restricted.Restricted, rectified.Corrected));
        Assert.Contains("phone", rectified.Note, StringComparison.Ordinal);
        Assert.Equal(("new.address@example.com", "Kim Ninth", true), (row.GetText("Email"), row.GetText("FullName"), row.Get("Restricted")));
        Assert.True(found.AccountReferenceMatched);
        Assert.Equal(1, exported.Exported);
        var table = Assert.Single(sink.Tables, t => t.Rows.Count > 0);
        Assert.True(table.Provided);
        Assert.Contains("Voicemail", table.Columns);
        Assert.Equal(0, (await connector.ExecuteAsync(SourceCall.For(person), RequestType.Restriction, new ActionInstructions(), None)).Restricted);
        Assert.Equal(1, (await demo.Client.ListAsync(demo.Preferences, None)).Count(r => r.Get("Restricted") is true));
    }

    [Fact]
    public async Task Export_InvoicesWithExportSettings_GivesThoseColumnsWithDatesAsText()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var sink = new RecordingSink();

        var outcome = await demo.Connector().ExportAsync(SourceCall.For(AzureTableDemo.Person(2)), sink, None);

        Assert.Equal(1 + 2 + 3, outcome.Exported);
        var invoices = sink.Tables.Single(t => t.Category == "billing.invoice");
        Assert.Equal(["RowKey", "IssuedOn", "AmountPence"], invoices.Columns);
        Assert.Equal(["INV-2017", "2017-03-01T00:00:00Z", 2001], invoices.Rows[0]);
    }

    private sealed class RecordingSink : IExportSink
    {
        public List<(string Category, IReadOnlyList<string> Columns, bool Provided, List<IReadOnlyList<object?>> Rows)> Tables { get; } = [];

        public ValueTask BeginTableAsync(string category, string table, IReadOnlyList<string> columns, bool providedByPerson, CancellationToken cancellationToken)
        {
            Tables.Add((category, columns, providedByPerson, []));
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
        {
            Tables[^1].Rows.Add([.. values]);
            return ValueTask.CompletedTask;
        }
    }
}
