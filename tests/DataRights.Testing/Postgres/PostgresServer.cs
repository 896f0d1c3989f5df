using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace DataRights.Testing.Postgres;

/// <summary>
/// A throw-away PostgreSQL cluster for tests: Debian's server binaries (<c>/usr/lib/postgresql/*/bin</c>,
/// installed by <c>./test.sh</c>) run <c>initdb</c> into a temporary folder and <c>pg_ctl</c> starts it on a
/// free loopback port with password sign-in (SCRAM) and TLS on, with a certificate the test makes itself
/// (<see cref="CertificatePath"/> is its own authority); disposing stops it and deletes the folder. PostgreSQL refuses
/// to run as root, so under root the cluster belongs to the <c>postgres</c> OS user (via <c>runuser</c>).
/// Tests that need it start it; if it cannot start they fail with the reason.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string Username = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asRoot;
    private readonly NpgsqlDataSource _admin;

    private PostgresServer(string bin, string folder, bool asRoot, int port, string password)
    {
        _bin = bin;
        _asRoot = asRoot;
        _folder = folder;
        Port = port;
        Password = password;
        _admin = NpgsqlDataSource.Create(ConnectionString("postgres"));
    }

    public int Port { get; }

    /// <summary>The server's self-signed certificate (PEM), which is also the authority to verify it against.</summary>
    public string CertificatePath => Path.Combine(_folder, "server.crt");

    /// <summary>The password of <see cref="Username"/> (random per cluster; host sign-in uses SCRAM).</summary>
    public string Password { get; }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Database = database, Username = Username, Password = Password, Pooling = true,
    }.ConnectionString;

    /// <summary>The newest installed server's bin folder, or null when no PostgreSQL server is installed.</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "No PostgreSQL server is installed (looked for /usr/lib/postgresql/*/bin/initdb): ./test.sh installs Debian's postgresql package. The PostgreSQL connector tests need it and do not skip.");
        var asRoot = Environment.UserName == "root";

        // Under root the folder must be reachable by the postgres user, so not under root's own TMPDIR.
        var folder = Path.Combine(asRoot ? "/tmp" : Path.GetTempPath(), "datarights-pg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(folder);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await File.WriteAllTextAsync(Path.Combine(folder, "pwfile"), password + "\n", cancellationToken);
        using (var certificate = TestCertificates.CreateServer())
        {
            TestCertificates.WritePem(certificate, Path.Combine(folder, "server.crt"), Path.Combine(folder, "server.key"));
        }

        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", folder], asPostgres: false, cancellationToken);
        }

        var data = Path.Combine(folder, "data");
        try
        {
            await RunAsync(Path.Combine(bin, "initdb"),
                ["-D", data, "-U", Username, "--pwfile=" + Path.Combine(folder, "pwfile"), "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                asRoot, cancellationToken);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }

        Exception? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var port = FreePort();
            // Throw-away data: no fsync; TCP on loopback only, no Unix socket.
            await File.WriteAllTextAsync(Path.Combine(folder, "data", "postgresql.auto.conf"), string.Join('\n',
                "listen_addresses = '127.0.0.1'",
                $"port = {port.ToString(CultureInfo.InvariantCulture)}",
                "unix_socket_directories = ''",
                "ssl = on", $"ssl_cert_file = '{Path.Combine(folder, "server.crt")}'", $"ssl_key_file = '{Path.Combine(folder, "server.key")}'",
                "fsync = off", "synchronous_commit = off", "full_page_writes = off",
                "max_connections = 40", "shared_buffers = 16MB") + "\n", cancellationToken);
            try
            {
                await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start"], asRoot, cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                // Most likely the port was taken between choosing and binding it: choose again.
                last = new InvalidOperationException(ex.Message + " Server log: " + ReadLog(folder), ex);
                continue;
            }

            var server = new PostgresServer(bin, folder, asRoot, port, password);
            try
            {
                await using var connection = await server._admin.OpenConnectionAsync(cancellationToken);
                return server;
            }
            catch (NpgsqlException ex)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"PostgreSQL started on port {port} but refused the test's sign-in: {ex.Message} Server log: {ReadLog(folder)}", ex);
            }
        }

        TryDelete(folder);
        throw new InvalidOperationException("PostgreSQL did not start after 3 attempts: " + last!.Message, last);
    }

    /// <summary>Creates an empty database with a fresh name and runs <paramref name="schemaSql"/> in it; returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string schemaSql, CancellationToken cancellationToken = default)
    {
        var name = "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await using (var create = _admin.CreateCommand("CREATE DATABASE " + name))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var dataSource = NpgsqlDataSource.Create(ConnectionString(name));
        await using var schema = dataSource.CreateCommand(schemaSql);
        await schema.ExecuteNonQueryAsync(cancellationToken);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _asRoot, CancellationToken.None);
        }
        finally
        {
            TryDelete(_folder);
        }
    }

    private static string ReadLog(string folder)
    {
        var log = Path.Combine(folder, "server.log");
        return File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(8)) : "(none)";
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; it holds no secrets beyond this run's random password.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/tmp",
        };
        if (asPostgres)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within {CommandTimeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments.Take(1))}... failed (exit {process.ExitCode}): {(await error).Trim()} {(await output).Trim()}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
