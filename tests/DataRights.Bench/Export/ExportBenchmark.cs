using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DataRights.Bench.Hosting;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;
using DataRights.Host.Exports;
using DataRights.Host.Hosting;
using DataRights.Host.Sources;
using DataRights.Host.Sources.Sqlite;
using DataRights.Storage.AzureTables.Blobs;
using DataRights.Testing.Azurite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DataRights.Bench.Export;

/// <summary>
/// The real export path for one person: each source's connector streams the person's rows into its
/// sealed part (AES-256-GCM), then the packager writes the sealed ZIP (JSON, CSV per table, portable
/// copy, summary page), the parts and the package kept in Blob storage (a private Azurite on loopback, in memory, as
/// the program keeps them). Each size runs in a fresh process so its peak working set is its own (Azurite's is not
/// counted); the raw limit is a plain streaming SELECT of the same rows in the same process.
/// </summary>
internal static class ExportBenchmark
{
    private const int Sources = 4;

    public static async Task<int> RunAsync(bool quick, TextWriter output, CancellationToken cancellationToken)
    {
        var machine = MachineFacts.Collect(await SqliteVersion.ReadAsync(cancellationToken));
        output.WriteLine("DataRights bench: export (connector ExportAsync into sealed parts, then the sealed ZIP package; Blob storage on Azurite)");
        output.WriteLine($"Machine   : {machine.Summary}");
        var results = new List<Figures>();
        foreach (var records in quick ? new[] { 1_000, 10_000 } : [10_000, 100_000])
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in Environment.GetCommandLineArgs().Skip(1).TakeWhile(a => a != "export").Append("export").Append("--child-records").Append(records.ToString(CultureInfo.InvariantCulture)))
            {
                start.ArgumentList.Add(arg);
            }

            using var child = Process.Start(start)!;
            var text = await child.StandardOutput.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            var figures = JsonSerializer.Deserialize<Figures>(text.Trim().Split('\n')[^1])!;
            results.Add(figures);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{figures.Records,8:N0} records: export {figures.ExportSeconds:0.00} s + package {figures.PackageSeconds:0.00} s = {figures.Records / (figures.ExportSeconds + figures.PackageSeconds):N0} records/s; raw SELECT {figures.RawSeconds:0.000} s; package {figures.PackageBytes / 1048576.0:0.0} MiB; peak working set {figures.PeakMiB:0} MiB (idle {figures.BaselineMiB:0} MiB)"));
        }

        var small = results[0];
        var large = results[^1];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Memory    : peak {large.PeakMiB:0} MiB at {large.Records:N0} records vs {small.PeakMiB:0} MiB at {small.Records:N0} = {large.PeakMiB / small.PeakMiB:0.00} x for {large.Records / small.Records} x the records (flat: the export streams)"));
        output.WriteLine();
        output.WriteLine("README rows:");
        output.WriteLine("| date | records | export + package s | records/s | raw SELECT s | package MiB | peak MiB | idle MiB |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {f.Records:N0} | {f.ExportSeconds + f.PackageSeconds:0.00} | {f.Records / (f.ExportSeconds + f.PackageSeconds):N0} | {f.RawSeconds:0.000} | {f.PackageBytes / 1048576.0:0.0} | {f.PeakMiB:0} | {f.BaselineMiB:0} |"));
        }

        return 0;
    }

    public static async Task<int> RunChildAsync(int records, TextWriter output, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchDirectory("datarights-bench-export-");
        var perSource = records / Sources;
        var registrations = new List<SourceRegistration>();
        for (var s = 0; s < Sources; s++)
        {
            var path = scratch.File($"source-{s}.db");
            Seed(path, perSource);
            registrations.Add(Registration($"source-{s}", path));
        }

        // Azurite and the Blob client before the baseline: the figures are the export's, not the SDK's start-up.
        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        var store = new AzureBlobExportStore(AzureBlobConnection.ForAzurite(azurite.BlobPort, AzureBlobConnection.DefaultContainer));
        await store.InitializeAsync(cancellationToken);
        SqliteConnection.ClearAllPools();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var baseline = self.WorkingSet64;

        // The raw read warm, as the export's reads are (once untimed, then timed): a cold first read flattered the export.
        foreach (var r in registrations)
        {
            await RawReadAsync(r.Connection["path"], cancellationToken);
        }

        var raw = Stopwatch.StartNew();
        foreach (var r in registrations)
        {
            await RawReadAsync(r.Connection["path"], cancellationToken);
        }

        raw.Stop();

        var options = Options.Create(new DataRightsOptions { DataDirectory = scratch.File("data") });
        var files = new ExportFiles(options, store);
        var request = Request(registrations);
        var export = Stopwatch.StartNew();
        var subject = new SourceCall(new SubjectIdentity(Email, "Bench Person", null), request.Id);
        foreach (var r in registrations)
        {
            using var database = new SqliteDatabase(r.Connection["path"]);
            var connector = new SqliteSourceConnector(database, r, new byte[32], TimeProvider.System);
            await using var part = await files.CreatePartAsync(request.Id, r.Key, cancellationToken);
            ExecutionOutcome outcome;
            await using (var sink = new ExportPartSink(part.Stream))
            {
                outcome = await connector.ExportAsync(subject, sink, cancellationToken);
            }

            await part.CommitAsync(cancellationToken);
            if (outcome.Exported != perSource)
            {
                throw new InvalidOperationException($"{r.Key} exported {outcome.Exported}, expected {perSource}.");
            }
        }

        export.Stop();
        var package = Stopwatch.StartNew();
        var packager = new ExportPackager(files, new Registrations(registrations), options, TimeProvider.System);
        var built = await packager.BuildAsync(request, cancellationToken);
        package.Stop();
        if (built.Records != perSource * Sources)
        {
            throw new InvalidOperationException($"The package holds {built.Records} records, expected {perSource * Sources}.");
        }

        self.Refresh();
        output.WriteLine(JsonSerializer.Serialize(new Figures(
            perSource * Sources, export.Elapsed.TotalSeconds, package.Elapsed.TotalSeconds, raw.Elapsed.TotalSeconds, built.Bytes, self.PeakWorkingSet64 / 1048576.0, baseline / 1048576.0)));
        return 0;
    }

    private sealed record Figures(int Records, double ExportSeconds, double PackageSeconds, double RawSeconds, long PackageBytes, double PeakMiB, double BaselineMiB);

    private const string Email = "bench.person@example.net";

    private static void Seed(string path, int rows)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var schema = connection.CreateCommand())
        {
            schema.Transaction = transaction;
            schema.CommandText = "CREATE TABLE events (id INTEGER PRIMARY KEY, email TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL); CREATE INDEX ix_events_email ON events (email);";
            schema.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO events (email, at, kind, detail) VALUES ($e, $at, $k, $d)";
        var e = insert.Parameters.Add("$e", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        var k = insert.Parameters.Add("$k", SqliteType.Text);
        var d = insert.Parameters.Add("$d", SqliteType.Text);
        for (var i = 0; i < rows + (rows / 10); i++)
        {
            e.Value = i < rows ? Email : $"someone.{i}@example.net";
            at.Value = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString("O", CultureInfo.InvariantCulture);
            k.Value = (i % 3) switch { 0 => "call", 1 => "sms", _ => "login" };
            d.Value = $"Event {i}: +44 20 7946 {i % 10000:D4}, \"quoted\", from the app";
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static async Task RawReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, kind, detail FROM events WHERE email = $e ORDER BY id";
        command.Parameters.AddWithValue("$e", Email);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long length = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            length += reader.GetString(0).Length + reader.GetString(1).Length + reader.GetString(2).Length;
        }

        GC.KeepAlive(length);
    }

    private static SourceRegistration Registration(string key, string path) => new()
    {
        Key = key, DisplayName = "Bench " + key, ConnectorType = "sqlite", Access = "read-write", Region = "eu-west",
        Connection = new Dictionary<string, string> { ["path"] = path }, IdentityFields = ["email"],
        Categories =
        [
            new CategoryPolicy
            {
                Key = "activity.event", DisplayName = "Activity event", Strategy = "delete", Provided = key == "source-0",
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = "SELECT id AS record_key FROM events WHERE email = $email",
                    ["export"] = "SELECT at, kind, detail FROM events WHERE email = $email ORDER BY id",
                    ["delete"] = "DELETE FROM events WHERE id = $record_key",
                },
            },
        ],
    };

    private static DataSubjectRequest Request(IReadOnlyList<SourceRegistration> sources)
    {
        var now = TimeProvider.System.GetUtcNow();
        return new DataSubjectRequest
        {
            Id = "benchexport", Reference = "DR-2026-999999", Type = RequestType.Access, Status = RequestStatus.Executing, Jurisdiction = Jurisdiction.UK,
            Channel = IntakeChannel.WebForm, Email = Email, FullName = "Bench Person", ReceivedAt = now,
            Deadline = new Deadline("UK", DateOnly.FromDateTime(now.UtcDateTime), DateOnly.FromDateTime(now.UtcDateTime).AddMonths(1), null),
            StatusTokenHash = "x", Fingerprint = "x", Version = 1, AuditHead = new AuditHead(0, string.Empty), UpdatedAt = now,
            Progress = RequestProgress.Empty with
            {
                Sources = [.. sources.Select(s => new SourceProgress { Key = s.Key, DisplayName = s.DisplayName, Access = SourceAccess.ReadWrite, Execution = StepState.Succeeded })],
            },
        };
    }

    private sealed class Registrations(IReadOnlyList<SourceRegistration> registrations) : ISourceRegistrationStore
    {
        public Task<IReadOnlyList<StoredRegistration>> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredRegistration>>([.. registrations.Select(r => new StoredRegistration(r, true, DateTimeOffset.UnixEpoch, "bench"))]);

        public Task SaveAsync(SourceRegistration registration, string actor, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeactivateAsync(string key, string actor, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
