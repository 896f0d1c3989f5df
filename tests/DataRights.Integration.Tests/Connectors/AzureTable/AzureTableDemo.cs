using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Sources;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Connectors.AzureTable;

/// <summary>
/// A telecom's own tables on Azurite, seeded for the <c>azure-table</c> connector tests: customer preferences
/// (masked with a keyed hash on erasure), devices (deleted; dated as ISO text, for purges) and invoices (kept 7
/// years, dated as <c>Edm.DateTime</c>). Every table name carries a suffix of the test's own, so tests share one Azurite.
/// </summary>
public sealed class AzureTableDemo
{
    /// <summary>The environment variable the registration's <c>accountKey</c> reference names (Azurite's public development key).</summary>
    public const string KeyVariable = "DATARIGHTS_SOURCE_TEST_AZURITE_TABLE_KEY";

    public const int People = 60;

    /// <summary>The clock of the tests: invoices of 2017 are past their 7 years, those of 2025 and 2026 are not.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    private AzureTableDemo(Uri endpoint, string suffix)
    {
        Endpoint = endpoint;
        Preferences = "Preferences" + suffix;
        Devices = "Devices" + suffix;
        Invoices = "Invoices" + suffix;
        Client = new AzureTableSourceClient(Connection(endpoint));
        Registration = CreateRegistration(endpoint, suffix);
    }

    public Uri Endpoint { get; }

    public string Preferences { get; }

    public string Devices { get; }

    public string Invoices { get; }

    public AzureTableSourceClient Client { get; }

    public SourceRegistration Registration { get; }

    public static AzureTableConnection Connection(Uri endpoint) =>
        AzureTableConnection.WithAccountKey(endpoint, AzureTableConnection.DevelopmentAccountName, AzureTableConnection.DevelopmentAccountKey);

    public static string Email(int n) => $"customer{n}@example.com";

    public static SubjectIdentity Person(int n) => new(Email(n), $"Customer {n}", $"ACC-{1000 + n}");

    /// <summary>The registration of the demo tables (tables named with <paramref name="suffix"/>).</summary>
    public static SourceRegistration CreateRegistration(Uri endpoint, string suffix) => new()
    {
        Key = "telecom-tables", DisplayName = "Customer preferences and devices", ConnectorType = SourceRegistrationValidator.AzureTableType,
        Access = "read-write", Region = "eu-west",
        Connection = new Dictionary<string, string> { ["tableEndpoint"] = endpoint.AbsoluteUri, ["accountKey"] = "env:" + KeyVariable },
        SecretSettings = ["accountKey"],
        IdentityFields = ["email"],
        Categories =
        [
            new()
            {
                Key = "contact.preferences", DisplayName = "Contact preferences", Strategy = "mask", Mask = "keyed_hash", Provided = true,
                Queries = new Dictionary<string, string>
                {
                    ["table"] = "Preferences" + suffix, ["match"] = "Email", ["mask"] = "Email, FullName", ["account"] = "AccountId",
                    ["restrict"] = "Restricted", ["rectify.name"] = "FullName", ["rectify.email"] = "Email",
                },
            },
            new()
            {
                Key = "telephony.device", DisplayName = "Devices", Strategy = "delete",
                Queries = new Dictionary<string, string> { ["table"] = "Devices" + suffix, ["match"] = "OwnerEmail", ["date"] = "RegisteredOn" },
            },
            new()
            {
                Key = "billing.invoice", DisplayName = "Invoices", Strategy = "retain", RetentionPeriod = "P7Y",
                LegalBasis = "UK tax law requires invoices to be kept (we keep them 7 years); UK GDPR Art. 17(3)(b)",
                Queries = new Dictionary<string, string> { ["table"] = "Invoices" + suffix, ["match"] = "CustomerEmail", ["date"] = "IssuedOn", ["export"] = "RowKey, IssuedOn, AmountPence" },
            },
        ],
        Purposes = ["To provide your phone service as you set it up"],
    };

    /// <summary>
    /// Creates and fills the tables: per person one preferences row, two devices (one registered in 2019, one in 2026)
    /// and three invoices (2017, 2025, 2026), partitioned by account.
    /// </summary>
    public static async Task<AzureTableDemo> CreateAsync(Uri endpoint)
    {
        Environment.SetEnvironmentVariable(KeyVariable, AzureTableConnection.DevelopmentAccountKey);
        var demo = new AzureTableDemo(endpoint, Guid.NewGuid().ToString("N")[..12]);
        foreach (var table in new[] { demo.Preferences, demo.Devices, demo.Invoices })
        {
            await demo.Client.CreateTableIfNotExistsAsync(table, CancellationToken.None);
        }

        var preferences = new List<SourceRow>();
        var devices = new List<SourceRow>();
        var invoices = new List<SourceRow>();
        for (var n = 0; n < People; n++)
        {
            var account = $"ACC-{1000 + n}";
            preferences.Add(new SourceRow("prefs", account, new Dictionary<string, object>
            {
                ["Email"] = Email(n), ["FullName"] = $"Customer {n}", ["AccountId"] = account, ["Voicemail"] = true, ["Language"] = "en-GB",
            }));
            devices.Add(new SourceRow(account, "dev-old", new Dictionary<string, object> { ["OwnerEmail"] = Email(n), ["RegisteredOn"] = "2019-04-01", ["Imei"] = $"35{n:D13}" }));
            devices.Add(new SourceRow(account, "dev-new", new Dictionary<string, object> { ["OwnerEmail"] = Email(n), ["RegisteredOn"] = "2026-02-01", ["Imei"] = $"36{n:D13}" }));
            foreach (var (number, issued) in new[] { ("INV-2017", new DateTimeOffset(2017, 3, 1, 0, 0, 0, TimeSpan.Zero)), ("INV-2025", new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)), ("INV-2026", new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero)) })
            {
                invoices.Add(new SourceRow(account, number, new Dictionary<string, object> { ["CustomerEmail"] = Email(n), ["IssuedOn"] = issued, ["AmountPence"] = 1999 + n }));
            }
        }

        await demo.Client.UpsertAsync(demo.Preferences, preferences, CancellationToken.None);
        await demo.Client.UpsertAsync(demo.Devices, devices, CancellationToken.None);
        await demo.Client.UpsertAsync(demo.Invoices, invoices, CancellationToken.None);
        return demo;
    }

    /// <summary>The connector as the registry builds it, on the fake clock, with <paramref name="maskKey"/> (32 zero bytes by default).</summary>
    public AzureTableSourceConnector Connector(byte[]? maskKey = null, SourceRegistration? registration = null) =>
        new(Client, registration ?? Registration, maskKey ?? new byte[32], new FakeTimeProvider(Now));

    public async Task<int> CountAsync(string table, string property, string value) =>
        (await Client.ListAsync(table, CancellationToken.None)).Count(r => r.GetText(property) == value);
}
