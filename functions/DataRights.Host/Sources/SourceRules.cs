using DataRights.Core.Sources.Registry;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// What a registration may reach, checked when it is registered (each problem named by its field) and
/// again when its connector is built (defence in depth): secret references under the configured prefixes,
/// <c>sqlite</c> paths inside the sources folder (never the pipeline's own store, nor through a link out of
/// the folder), HTTP base addresses that are not link-local and, outside Development, not internal.
/// </summary>
public sealed class SourceRules
{
    private readonly SourceAddresses _addresses;

    private readonly Azure.Data.Tables.TableServiceClient? _pipelineTables;

    public SourceRules(
        IOptions<SourcesOptions> sources, IOptions<DataRightsOptions> dataRights, IOptions<KeyVaultOptions> vault, SourceAddresses addresses, Azure.Data.Tables.TableServiceClient? pipelineTables = null)
    {
        _addresses = addresses;
        _pipelineTables = pipelineTables;
        Folder = sources.Value.FolderPath(dataRights.Value.DataDirectory);
        Secrets = new SecretReferenceRules(sources.Value.EnvironmentPrefix, sources.Value.KeyVaultNamePrefix, !string.IsNullOrWhiteSpace(vault.Value.VaultUri));
    }

    /// <summary>The sources folder, as a full path.</summary>
    public string Folder { get; }

    public SecretReferenceRules Secrets { get; }

    /// <summary>Every problem of a registration: the core rules, then where it points.</summary>
    public async Task<Dictionary<string, string[]>> ValidateAsync(SourceRegistration r, CancellationToken cancellationToken)
    {
        var errors = SourceRegistrationValidator.Validate(r, SourceRegistry.ConnectorTypes, Secrets).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (r.ConnectorType == "sqlite" && !errors.ContainsKey("connection.path") && PathProblem(r.Connection["path"]) is { } pathProblem)
        {
            errors["connection.path"] = [pathProblem];
        }

        if (r.ConnectorType == "http" && !errors.ContainsKey("connection.baseUrl") && Uri.TryCreate(r.Connection.GetValueOrDefault("baseUrl"), UriKind.Absolute, out var baseUrl)
            && await _addresses.ProblemAsync(baseUrl.IdnHost, cancellationToken) is { } addressProblem)
        {
            errors["connection.baseUrl"] = [addressProblem];
        }

        if (r.ConnectorType == SourceRegistrationValidator.AzureTableType && !errors.ContainsKey("connection.tableEndpoint")
            && Uri.TryCreate(r.Connection.GetValueOrDefault("tableEndpoint"), UriKind.Absolute, out var tableEndpoint) && !tableEndpoint.IsLoopback
            && _pipelineTables is { } own && string.Equals(tableEndpoint.IdnHost, own.Uri.IdnHost, StringComparison.OrdinalIgnoreCase))
        {
            // The pipeline's own account (its requests, audit trails, exports) is no firm system to search or erase.
            errors["connection.tableEndpoint"] = ["This is the address of DataRights' own storage account: a data source must be one of the firm's systems, never the pipeline's records."];
        }

        return errors;
    }

    /// <summary>The full path of a <c>sqlite</c> source's file; throws, in plain words, when it is not allowed.</summary>
    public string SqlitePath(string? relative)
    {
        if (!SourceRegistrationValidator.IsSourceRelativePath(relative))
        {
            throw new InvalidOperationException("connection.path is not a path inside the sources folder.");
        }

        return PathProblem(relative!) is { } problem ? throw new InvalidOperationException(problem) : Path.GetFullPath(Path.Combine(Folder, relative!));
    }

    /// <summary>The value of a secret setting, read only when the rules allow its reference; throws, naming the setting, otherwise.</summary>
    public string Secret(SourceRegistration r, string setting, IReadOnlyDictionary<string, string> loaded)
    {
        var reference = r.Connection.GetValueOrDefault(setting);
        return Secrets.Problem(reference) is { } problem
            ? throw new InvalidOperationException($"connection.{setting}: {problem}")
            : SecretReferences.Resolve(reference!, loaded);
    }

    private string? PathProblem(string relative)
    {
        var root = Folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(Folder, relative));
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            return "The path must stay inside the sources folder.";
        }

        // A link inside the folder must not lead out of it.
        for (var path = full; path.Length > root.Length; path = Path.GetDirectoryName(path)!)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                && !Path.GetFullPath(target.FullName).StartsWith(root, StringComparison.Ordinal))
            {
                return "The path leads out of the sources folder through a link.";
            }
        }

        return null;
    }
}
