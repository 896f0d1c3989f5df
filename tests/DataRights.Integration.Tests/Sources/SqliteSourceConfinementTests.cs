using System.Net;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using DataRights.Host.Sources.Sqlite;

namespace DataRights.Integration.Tests.Sources;

/// <summary>A <c>sqlite</c> source reaches only files in the sources folder, reads only with read-only statements, and its test tells nothing about other files.</summary>
public sealed class SqliteSourceConfinementTests
{
    private static object Cards(string path, string discover = "SELECT id AS record_key FROM payment_cards WHERE customer_email = $email") => new
    {
        displayName = "Cards", connectorType = "sqlite", access = "read-write", region = "eu-west",
        connection = new Dictionary<string, string> { ["path"] = path },
        identityFields = new[] { "email" },
        categories = new[]
        {
            new
            {
                key = "billing.payment_card", displayName = "Billing payment card", strategy = "delete",
                queries = new Dictionary<string, string> { ["discover"] = discover, ["delete"] = "DELETE FROM payment_cards WHERE id = $record_key" },
            },
        },
    };

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/hostname")]
    [InlineData("../datarights.db")]
    public async Task Register_PathOutsideTheSourcesFolder_Returns400NamingTheFieldAndSavesNothing(string path)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await SendAsync(client, HttpMethod.Put, "/api/admin/sources/cards", Cards(path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("connection.path", out _));
        Assert.DoesNotContain(await factory.Stored.RegistrationsAsync(), r => r.Registration.Key == "cards");
    }

    [Fact]
    public async Task Register_LinkInTheSourcesFolderLeadingOutOfIt_Returns400AndSavesNothing()
    {
        using var outside = new TempFolder();
        var target = Path.Combine(outside.Path, "billing.db");
        DemoSources.EnsureBilling(target, new DateOnly(2026, 11, 2));
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await client.GetAsync("/healthz");
        File.CreateSymbolicLink(Path.Combine(factory.DataDirectory, "sources", "elsewhere.db"), target);

        using var response = await SendAsync(client, HttpMethod.Put, "/api/admin/sources/cards", Cards("elsewhere.db"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("connection.path", out _));
        Assert.DoesNotContain(await factory.Stored.RegistrationsAsync(), r => r.Registration.Key == "cards");
    }

    [Fact]
    public async Task Test_MissingFile_AnswersAsAFailingQueryDoesAndCreatesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await SendAsync(client, HttpMethod.Put, "/api/admin/sources/cards", Cards("billing.db", "SELECT id AS record_key FROM no_such_table WHERE customer_email = $email"));
        await SendAsync(client, HttpMethod.Put, "/api/admin/sources/ghost", Cards("ghost.db"));

        var failing = await (await SendAsync(client, HttpMethod.Post, "/api/admin/sources/cards/test", new { })).JsonAsync();
        var missing = await (await SendAsync(client, HttpMethod.Post, "/api/admin/sources/ghost/test", new { })).JsonAsync();

        Assert.False(missing.GetProperty("reachable").GetBoolean());
        Assert.Equal(failing.GetRawText(), missing.GetRawText());
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "sources", "ghost.db")));
    }

    [Fact]
    public async Task Discover_StatementThatWrites_IsRefusedBeforeItRuns()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "billing.db");
        DemoSources.EnsureBilling(path, new DateOnly(2026, 11, 2));
        var before = Database.Scalar(path, "SELECT COUNT(*) FROM payment_cards");
        var person = DemoCrmConnector.Person(7);
        var billing = DemoSources.Registrations.Single(r => r.Key == "billing");
        var registration = billing with
        {
            Categories =
            [
                new CategoryPolicy
                {
                    Key = "billing.payment_card", DisplayName = "Billing payment card", Strategy = "delete",
                    Queries = new Dictionary<string, string>
                    {
                        ["discover"] = "DELETE FROM payment_cards WHERE customer_email = $email RETURNING id AS record_key",
                        ["export"] = "DELETE FROM payment_cards WHERE customer_email = $email RETURNING last4",
                    },
                },
            ],
        };
        using var database = new SqliteDatabase(path);
        var connector = new SqliteSourceConnector(database, registration, new byte[32], TimeProvider.System);

        var test = await connector.TestAsync(CancellationToken.None);
        await Assert.ThrowsAsync<NotReadOnlyStatementException>(() => connector.DiscoverAsync(SourceCall.For(new SubjectIdentity(person.Email, person.FullName, null)), CancellationToken.None));

        Assert.Equal("not-read-only", test.Error);
        Assert.Equal(before, Database.Scalar(path, "SELECT COUNT(*) FROM payment_cards"));
    }

    [Fact]
    public async Task DemoDatabases_AreReadableByTheirOwnerOnly()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await client.GetAsync("/healthz");
        await (await SendAsync(client, HttpMethod.Post, "/api/admin/sources/crm/test", new { })).JsonAsync();

        var files = Directory.GetFiles(Path.Combine(factory.DataDirectory, "sources"), "*.db");

        Assert.Contains(files, f => f.EndsWith("crm.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("billing.db", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in files)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var request = WorkflowEndToEndTests.Staff(method, path);
        request.Content = System.Net.Http.Json.JsonContent.Create(body);
        return await client.SendAsync(request);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("datarights-test-").FullName;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path, recursive: true);
        }
    }
}
