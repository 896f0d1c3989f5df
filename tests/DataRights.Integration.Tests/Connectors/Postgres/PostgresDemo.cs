using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Testing.Postgres;
using Npgsql;

namespace DataRights.Integration.Tests.Connectors.Postgres;

/// <summary>
/// A demo-like billing database on PostgreSQL (the SQLite demo's tables with native types, plus a
/// newsletter table that can be restricted) and its registration as a <c>postgres</c> source, whose
/// password is read from an environment variable by reference.
/// </summary>
internal static class PostgresDemo
{
    public const string PasswordVariable = "DATARIGHTS_SOURCE_TEST_PG_PASSWORD";
    public const int People = 12;

    public const string Schema = """
        CREATE TABLE accounts (id serial PRIMARY KEY, account_id text NOT NULL, email text NOT NULL, full_name text NOT NULL);
        CREATE TABLE invoices (id serial PRIMARY KEY, customer_email text NOT NULL, issued_on date NOT NULL, amount_pence integer NOT NULL);
        CREATE TABLE payment_cards (id serial PRIMARY KEY, customer_email text NOT NULL, last4 text NOT NULL, expires text NOT NULL);
        CREATE TABLE subscribers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, subscribed_at timestamptz NOT NULL, restricted boolean NOT NULL DEFAULT false);
        """;

    public static SubjectIdentity Person(int n) => DemoCrmConnectorContractTests.Person(n);

    /// <summary>A fresh seeded database on <paramref name="server"/> and a connector for it, built as the registry builds one.</summary>
    public static async Task<PostgresDemoSource> CreateAsync(
        PostgresServer server, params SubjectIdentity[] extraPeople)
    {
        var database = await server.CreateDatabaseAsync(Schema);
        var data = NpgsqlDataSource.Create(server.ConnectionString(database));
        foreach (var person in Enumerable.Range(1, People).Select(Person).Concat(extraPeople))
        {
            await SeedAsync(data, person);
        }

        Environment.SetEnvironmentVariable(PasswordVariable, server.Password);
        var registration = Registration(server.Port, database);
        var connectionString = PostgresSourceConnector.ConnectionString(registration, SecretReferences.Resolve(registration.Connection["password"]));
        var pool = NpgsqlDataSource.Create(connectionString);
        return new PostgresDemoSource(new PostgresSourceConnector(pool, registration, new byte[32], TimeProvider.System), registration, data, pool);
    }

    public static SourceRegistration Registration(int port, string database)
    {
        var billing = DemoSources.Registrations.Single(r => r.Key == "billing");
        return billing with
        {
            Key = "billing-pg",
            DisplayName = "Billing on PostgreSQL",
            ConnectorType = "postgres",
            Connection = new Dictionary<string, string>
            {
                ["host"] = "127.0.0.1", ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["database"] = database,
                ["username"] = PostgresServer.Username, ["password"] = "env:" + PasswordVariable,
            },
            SecretSettings = ["password"],
            Categories =
            [
                .. billing.Categories,
                new CategoryPolicy
                {
                    Key = "marketing.subscription", DisplayName = "Marketing subscription", Strategy = "delete", Provided = true,
                    Queries = new Dictionary<string, string>
                    {
                        ["discover"] = "SELECT id AS record_key, subscribed_at AS record_date FROM subscribers WHERE email = $email",
                        ["export"] = "SELECT email, subscribed_at FROM subscribers WHERE email = $email ORDER BY id",
                        ["delete"] = "DELETE FROM subscribers WHERE id = $record_key",
                        ["restrict"] = "UPDATE subscribers SET restricted = true WHERE email = $email",
                        ["unrestrict"] = "UPDATE subscribers SET restricted = false WHERE email = $email",
                    },
                },
            ],
        };
    }

    /// <summary>Runs a scalar query on the test's own connection (to check what the connector did).</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource data, string sql, params object[] values)
    {
        await using var command = data.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task SeedAsync(NpgsqlDataSource data, SubjectIdentity person)
    {
        var batch = data.CreateBatch();
        await using (batch)
        {
            void Add(string sql, params object[] values)
            {
                var command = new NpgsqlBatchCommand(sql);
                foreach (var value in values)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                batch.BatchCommands.Add(command);
            }

            Add("INSERT INTO accounts (account_id, email, full_name) VALUES ($1, $2, $3)", person.AccountReference ?? "ACC-X", person.Email, person.FullName);
            Add("INSERT INTO invoices (customer_email, issued_on, amount_pence) VALUES ($1, $2, 3499), ($1, $3, 4199)", person.Email, new DateOnly(2025, 3, 1), new DateOnly(2025, 4, 1));
            Add("INSERT INTO payment_cards (customer_email, last4, expires) VALUES ($1, '4242', '2028-09')", person.Email);
            Add("INSERT INTO subscribers (email, subscribed_at) VALUES ($1, $2)", person.Email, new DateTimeOffset(2025, 2, 1, 9, 30, 0, TimeSpan.Zero));
            await batch.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>A seeded PostgreSQL source: the connector, its registration, and a separate connection pool for checks.</summary>
internal sealed record PostgresDemoSource(PostgresSourceConnector Connector, SourceRegistration Registration, NpgsqlDataSource Data, NpgsqlDataSource ConnectorPool) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Data.DisposeAsync();
        await ConnectorPool.DisposeAsync();
    }
}
