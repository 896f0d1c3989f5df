using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Sources;
using DataRights.Testing.Azurite;

namespace DataRights.Bench.Discovery;

/// <summary>
/// <c>discovery --azure-table</c>: discovery of one person through the <c>azure-table</c> connector on Azurite, in a
/// table of 10k rows (20 per person), against the same query sent raw (HttpClient, Shared Key Lite signed by hand,
/// no pipeline, no entity parsing), for a person matched by an ordinary property (Azurite scans the table) and by
/// the partition key (one partition read). A raw point read of one row is given for scale.
/// </summary>
internal static class AzureTableDiscoveryBenchmark
{
    private const int Rows = 10_000;
    private const int RowsPerPerson = 20;
    private const string Table = "BenchDevices";

    public static async Task<int> RunAsync(int lookups, TextWriter output, CancellationToken cancellationToken)
    {
        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        var connection = AzureTableConnection.WithAccountKey(azurite.TableEndpoint, AzureTableConnection.DevelopmentAccountName, AzureTableConnection.DevelopmentAccountKey);
        var client = new AzureTableSourceClient(connection);
        var build = Stopwatch.StartNew();
        await client.CreateTableIfNotExistsAsync(Table, cancellationToken);
        var rows = Enumerable.Range(0, Rows).Select(i => new SourceRow(Email(i / RowsPerPerson), $"dev-{i:D6}", new Dictionary<string, object>
        {
            ["OwnerEmail"] = Email(i / RowsPerPerson), ["RegisteredOn"] = "2026-10-01", ["Imei"] = $"35{i:D13}", ["Model"] = "Handset X",
        })).ToList();
        await client.UpsertAsync(Table, rows, cancellationToken);
        build.Stop();

        output.WriteLine("DataRights bench: discovery on Azure Table storage (AzureTableSourceConnector.DiscoverAsync for one person, Azurite 3.35 in memory)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Table     : {Rows:N0} rows, {RowsPerPerson} per person, partitioned by the person's email (seeded in {build.Elapsed.TotalSeconds:0.0} s); {lookups} lookups each, after 20 warm-up"));
        using var http = new HttpClient();
        var byProperty = Connector(client, "OwnerEmail");
        var byPartition = Connector(client, "PartitionKey");
        var people = Rows / RowsPerPerson;

        // The lanes take turns lookup by lookup, so warm-up and drift in Azurite hit them alike.
        var lanes = await MeasureAsync(lookups, people,
        [
            async p => (await byProperty.DiscoverAsync(SourceCall.For(new SubjectIdentity(Email(p), "x", null)), cancellationToken)).RecordCount,
            p => RawQueryAsync(http, azurite.TableEndpoint, $"OwnerEmail eq '{Email(p)}'", cancellationToken),
            async p => (await byPartition.DiscoverAsync(SourceCall.For(new SubjectIdentity(Email(p), "x", null)), cancellationToken)).RecordCount,
            p => RawQueryAsync(http, azurite.TableEndpoint, $"PartitionKey eq '{Email(p)}'", cancellationToken),
            p => RawPointAsync(http, azurite.TableEndpoint, Email(p), $"dev-{p * RowsPerPerson:D6}", cancellationToken),
        ]);
        var (connectorScan, rawScan, connectorPartition, rawPartition, rawPoint) = (lanes[0], lanes[1], lanes[2], lanes[3], lanes[4]);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"match = OwnerEmail (a property: Azurite reads the whole table)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  connector p50 {connectorScan.P50:0.00} ms (p99 {connectorScan.P99:0.00}), raw filter query p50 {rawScan.P50:0.00} ms (p99 {rawScan.P99:0.00}): ratio {connectorScan.P50 / rawScan.P50:0.00} x"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"match = PartitionKey (the person's partition only)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  connector p50 {connectorPartition.P50:0.00} ms (p99 {connectorPartition.P99:0.00}), raw filter query p50 {rawPartition.P50:0.00} ms (p99 {rawPartition.P99:0.00}): ratio {connectorPartition.P50 / rawPartition.P50:0.00} x"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw point read of one row: p50 {rawPoint.P50:0.00} ms (p99 {rawPoint.P99:0.00})"));
        output.WriteLine();
        output.WriteLine("README row:");
        output.WriteLine("| date | rows | match | connector p50 ms | raw query p50 ms | ratio | raw point read p50 ms |");
        output.WriteLine("|---|---:|---|---:|---:|---:|---:|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {Rows:N0} | property | {connectorScan.P50:0.00} | {rawScan.P50:0.00} | {connectorScan.P50 / rawScan.P50:0.00} | {rawPoint.P50:0.00} |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {Rows:N0} | PartitionKey | {connectorPartition.P50:0.00} | {rawPartition.P50:0.00} | {connectorPartition.P50 / rawPartition.P50:0.00} | {rawPoint.P50:0.00} |"));
        return 0;
    }

    private static AzureTableSourceConnector Connector(AzureTableSourceClient client, string match) => new(client, new SourceRegistration
    {
        Key = "devices", DisplayName = "Devices", ConnectorType = SourceRegistrationValidator.AzureTableType, Access = "read-write", Region = "eu-west",
        IdentityFields = ["email"],
        Categories = [new CategoryPolicy { Key = "telephony.device", DisplayName = "Telephony device", Strategy = "delete", Queries = new Dictionary<string, string> { ["table"] = Table, ["match"] = match, ["date"] = "RegisteredOn" } }],
    }, new byte[32], TimeProvider.System);

    private static string Email(int person) => string.Create(CultureInfo.InvariantCulture, $"owner.{person}@example.net");

    private static async Task<(double P50, double P99)[]> MeasureAsync(int lookups, int people, Func<int, Task<int>>[] lanes)
    {
        var random = new Random(42);
        var latencies = lanes.Select(_ => new List<double>(lookups)).ToArray();
        for (var i = 0; i < lookups + 20; i++)
        {
            var person = random.Next(people);
            for (var lane = 0; lane < lanes.Length; lane++)
            {
                var clock = Stopwatch.StartNew();
                var found = await lanes[lane](person);
                clock.Stop();
                if (found != RowsPerPerson && !(lane == lanes.Length - 1 && found == 1))
                {
                    throw new InvalidOperationException($"Lane {lane} found {found} rows of person {person}.");
                }

                if (i >= 20)
                {
                    latencies[lane].Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        return [.. latencies.Select(l =>
        {
            l.Sort();
            return (l[l.Count / 2], l[(int)(l.Count * 0.99)]);
        })];
    }

    // The same request the connector sends, minus everything around it: one GET, signed, the body read and its rows counted.
    private static async Task<int> RawQueryAsync(HttpClient http, Uri endpoint, string filter, CancellationToken cancellationToken)
    {
        var count = 0;
        string? nextPartition = null, nextRow = null;
        do
        {
            var url = $"{endpoint.AbsoluteUri.TrimEnd('/')}/{Table}()?$filter={Uri.EscapeDataString(filter)}"
                + (nextPartition is null ? string.Empty : "&NextPartitionKey=" + Uri.EscapeDataString(nextPartition))
                + (nextRow is null ? string.Empty : "&NextRowKey=" + Uri.EscapeDataString(nextRow));
            using var response = await http.SendAsync(Signed(url), cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            count += CountOf(body, "\"PartitionKey\"");
            nextPartition = response.Headers.TryGetValues("x-ms-continuation-NextPartitionKey", out var np) ? np.First() : null;
            nextRow = response.Headers.TryGetValues("x-ms-continuation-NextRowKey", out var nr) ? nr.First() : null;
        }
        while (nextPartition is not null || nextRow is not null);

        return count;
    }

    private static async Task<int> RawPointAsync(HttpClient http, Uri endpoint, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(Signed($"{endpoint.AbsoluteUri.TrimEnd('/')}/{Table}(PartitionKey='{Uri.EscapeDataString(partitionKey)}',RowKey='{rowKey}')"), cancellationToken);
        response.EnsureSuccessStatusCode();
        return CountOf(await response.Content.ReadAsStringAsync(cancellationToken), "\"PartitionKey\"");
    }

    private static HttpRequestMessage Signed(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        var date = TimeProvider.System.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        var toSign = date + "\n/" + AzureTableConnection.DevelopmentAccountName + request.RequestUri!.AbsolutePath;
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(AzureTableConnection.DevelopmentAccountKey), Encoding.UTF8.GetBytes(toSign)));
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", "2019-02-02");
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json") { Parameters = { new NameValueHeaderValue("odata", "minimalmetadata") } });
        request.Headers.Authorization = new AuthenticationHeaderValue("SharedKeyLite", AzureTableConnection.DevelopmentAccountName + ":" + signature);
        return request;
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
