using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Sources;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Connectors.Postgres;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>A <c>postgres</c> source registered through the staff API: the real registry builds its connector, resolving the password reference.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSourceApiTests(PostgresFixture postgres) : IAsyncDisposable
{
    private PostgresDemoSource? _source;

    public async ValueTask DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }
    }

    [Fact]
    public async Task Register_PostgresSource_IsTestableAndFindsThePerson()
    {
        _source = await PostgresDemo.CreateAsync(postgres.Server);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await client.GetAsync("/healthz");

        using var put = await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg", _source.Registration);
        using var test = await SendAsync(client, HttpMethod.Post, "/api/admin/sources/billing-pg/test", new { });
        var registry = (SourceRegistry)factory.Services.GetService(typeof(SourceRegistry))!;
        var found = await registry.Connector("billing-pg")!.DiscoverAsync(SourceCall.For(PostgresDemo.Person(9)), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True((await test.JsonAsync()).GetProperty("reachable").GetBoolean());
        Assert.Equal(["billing.invoice", "billing.payment_card", "contact.email", "marketing.subscription"], found.Categories);
    }

    [Fact]
    public async Task Register_PostgresWithoutHostOrPassword_Returns400NamingBoth()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var registration = PostgresDemo.Registration(postgres.Server.Port, "postgres");
        var connection = registration.Connection.Where(p => p.Key is not ("host" or "password")).ToDictionary();

        using var response = await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg", registration with { Connection = connection, SecretSettings = [] });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("connection.host", out _));
        Assert.True(errors.TryGetProperty("connection.password", out _));
    }

    [Fact]
    public async Task Register_PasswordFromAnyEnvironmentVariable_Returns400NamingTheField()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var registration = PostgresDemo.Registration(postgres.Server.Port, "postgres");

        using var response = await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg",
            registration with { Connection = new Dictionary<string, string>(registration.Connection) { ["password"] = "env:HOME" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DATARIGHTS_SOURCE_", (await response.JsonAsync()).GetProperty("errors").GetProperty("connection.password")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await factory.Stored.RegistrationsAsync(), r => r.Registration.Key == "billing-pg");
    }

    [Fact]
    public async Task Test_WrongPassword_SaysAuthenticationWithoutTheServersText()
    {
        Environment.SetEnvironmentVariable("DATARIGHTS_SOURCE_TEST_PG_WRONG", "not-the-password");
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var registration = PostgresDemo.Registration(postgres.Server.Port, "postgres");
        await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg",
            registration with { Connection = new Dictionary<string, string>(registration.Connection) { ["password"] = "env:DATARIGHTS_SOURCE_TEST_PG_WRONG" } });

        var result = await (await SendAsync(client, HttpMethod.Post, "/api/admin/sources/billing-pg/test", new { })).JsonAsync();

        Assert.False(result.GetProperty("reachable").GetBoolean());
        Assert.Equal("authentication", result.GetProperty("error").GetString());
        Assert.DoesNotContain("password authentication failed", result.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(factory.Logs.Lines, l => l.Contains("billing-pg failed: authentication (28P01)", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("password authentication failed", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Test_StatementTheServerFailsWithItsOwnText_DoesNotEchoIt()
    {
        _source = await PostgresDemo.CreateAsync(postgres.Server);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        const string marker = "leaked-by-the-server-7f3a";
        var category = _source.Registration.Categories[0] with
        {
            Queries = new Dictionary<string, string>
            {
                ["discover"] = $"SELECT id AS record_key FROM accounts WHERE email = $email OR CAST('{marker}' AS integer) = 1",
                ["delete"] = "DELETE FROM accounts WHERE id = $record_key",
            },
        };
        await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg", _source.Registration with { Categories = [category] });

        var result = await (await SendAsync(client, HttpMethod.Post, "/api/admin/sources/billing-pg/test", new { })).JsonAsync();

        Assert.Equal("database", result.GetProperty("error").GetString());
        Assert.DoesNotContain(marker, result.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_ServerWithoutTls_IsRefusedBeforeTheUserOrPasswordIsSent()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var received = new MemoryStream();
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            var stream = socket.GetStream();
            var buffer = new byte[4096];
            var read = await stream.ReadAsync(buffer);
            received.Write(buffer, 0, read);
            await stream.WriteAsync("N"u8.ToArray());

            // Whatever the client still sends before it hangs up.
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                while ((read = await stream.ReadAsync(buffer, guard.Token)) > 0)
                {
                    received.Write(buffer, 0, read);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // The client hung up.
            }
        });
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg", PostgresDemo.Registration(((IPEndPoint)listener.LocalEndpoint).Port, "billing"));

        var result = await (await SendAsync(client, HttpMethod.Post, "/api/admin/sources/billing-pg/test", new { })).JsonAsync();
        await server;

        Assert.Equal("tls", result.GetProperty("error").GetString());
        Assert.Equal(8, received.Length);
        Assert.Equal([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f], received.ToArray());
    }

    [Fact]
    public async Task Test_WithTheServersAuthorityConfigured_VerifiesTheCertificate()
    {
        _source = await PostgresDemo.CreateAsync(postgres.Server);
        var other = Path.Combine(Path.GetTempPath(), "datarights-other-ca-" + Guid.NewGuid().ToString("N") + ".crt");
        using (var certificate = DataRights.Testing.TestCertificates.CreateServer())
        {
            await File.WriteAllTextAsync(other, certificate.ExportCertificatePem());
        }

        try
        {
            var trusted = await TestWithAuthorityAsync(postgres.Server.CertificatePath);
            var untrusted = await TestWithAuthorityAsync(other);

            Assert.True(trusted.GetProperty("reachable").GetBoolean());
            Assert.Equal("tls", untrusted.GetProperty("error").GetString());
        }
        finally
        {
            File.Delete(other);
        }
    }

    [Fact]
    public async Task Discover_StatementThatWrites_FailsInTheReadOnlyTransactionAndChangesNothing()
    {
        _source = await PostgresDemo.CreateAsync(postgres.Server);
        var registration = _source.Registration with
        {
            Categories =
            [
                new CategoryPolicy
                {
                    Key = "billing.payment_card", DisplayName = "Billing payment card", Strategy = "delete",
                    Queries = new Dictionary<string, string> { ["discover"] = "WITH gone AS (DELETE FROM payment_cards WHERE customer_email = $email RETURNING id) SELECT id AS record_key FROM gone" },
                },
            ],
        };
        var connector = new PostgresSourceConnector(_source.ConnectorPool, registration, new byte[32], TimeProvider.System);
        var before = await _source.Data.ScalarAsync<long>("SELECT COUNT(*) FROM payment_cards");

        var test = await connector.TestAsync(CancellationToken.None);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connector.DiscoverAsync(SourceCall.For(PostgresDemo.Person(3)), CancellationToken.None));

        Assert.Equal("not-read-only", test.Error);
        Assert.Equal(before, await _source.Data.ScalarAsync<long>("SELECT COUNT(*) FROM payment_cards"));
    }

    private async Task<System.Text.Json.JsonElement> TestWithAuthorityAsync(string authority)
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Sources:PostgresRootCertificate"] = authority });
        using var client = factory.CreateClient();
        await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg", _source!.Registration);
        return await (await SendAsync(client, HttpMethod.Post, "/api/admin/sources/billing-pg/test", new { })).JsonAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var request = WorkflowEndToEndTests.Staff(method, path);
        request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }
}
