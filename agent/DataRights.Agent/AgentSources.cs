using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Host.Sources.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DataRights.Agent;

/// <summary>
/// The agent's sources and their connectors: the pipeline's own SQL connectors (SQLite files inside the sources folder,
/// PostgreSQL servers with a password from the environment), built once at start from the registrations.
/// </summary>
public sealed class AgentSources : IDisposable
{
    private readonly Dictionary<string, IDataSourceConnector> _connectors = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _owned = [];
    private readonly HashSet<string> _readOnly = new(StringComparer.Ordinal);

    public AgentSources(IOptions<AgentSourcesOptions> sources, IOptions<AgentOptions> agent, TimeProvider time, ILoggerFactory logs)
    {
        var o = sources.Value;
        var stateDirectory = Path.GetFullPath(agent.Value.StateDirectory);
        var folder = Path.GetFullPath(string.IsNullOrWhiteSpace(o.Folder) ? Path.Combine(stateDirectory, "sources") : o.Folder);
        var maskKey = MaskKey(agent.Value.MaskKey, stateDirectory);
        foreach (var r in o.Registered)
        {
            if (!string.Equals(r.Access, "read-write", StringComparison.Ordinal))
            {
                _readOnly.Add(r.Key);
            }

            _connectors[r.Key] = r.ConnectorType switch
            {
                "sqlite" => new SqliteSourceConnector(Own(new SqliteDatabase(SqlitePath(folder, r.Connection["path"]))), r, maskKey, time, logs.CreateLogger<SqliteSourceConnector>()),
                "postgres" => new PostgresSourceConnector(
                    Own(NpgsqlDataSource.Create(PostgresSourceConnector.ConnectionString(r, Environment(r.Connection["password"]), o.PostgresRootCertificate))),
                    r, maskKey, time, logs.CreateLogger<PostgresSourceConnector>()),
                _ => throw new InvalidOperationException($"The agent cannot run connector type '{r.ConnectorType}' (source {r.Key})."),
            };
        }
    }

    /// <summary>
    /// Whether the agent's own registration of <paramref name="sourceKey"/> is not <c>read-write</c>: such a source is never
    /// written (erased or purged), whatever the pipeline's registration of it says.
    /// </summary>
    public bool IsReadOnly(string sourceKey) => _readOnly.Contains(sourceKey);

    /// <summary>The connector of a source this agent serves; null when it serves no source of that key.</summary>
    public IDataSourceConnector? Connector(string sourceKey) => _connectors.GetValueOrDefault(sourceKey);

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>The value of an <c>env:NAME</c> reference (the registration rules allow no other kind here).</summary>
    internal static string Environment(string reference) =>
        reference.StartsWith(SecretReferenceRules.EnvironmentScheme, StringComparison.Ordinal)
        && System.Environment.GetEnvironmentVariable(reference[SecretReferenceRules.EnvironmentScheme.Length..]) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The environment variable of reference {reference} is not set.");

    private static string SqlitePath(string folder, string relative)
    {
        var root = folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        return full.StartsWith(root, StringComparison.Ordinal) ? full : throw new InvalidOperationException("connection.path must stay inside the sources folder.");
    }

    // The same key must mask the same value the same way on every run: kept in the state folder, readable by the agent only.
    private static byte[] MaskKey(string? reference, string stateDirectory)
    {
        if (!string.IsNullOrWhiteSpace(reference))
        {
            var key = Convert.FromBase64String(Environment(reference));
            return key.Length >= 32 ? key : throw new InvalidOperationException("DataRights:Agent:MaskKey must hold at least 32 bytes, base64-encoded.");
        }

        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, "mask.key");
        if (!File.Exists(path))
        {
            var fresh = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(path, create))
            {
                file.Write(fresh);
            }

            return fresh;
        }

        return File.ReadAllBytes(path);
    }
}
