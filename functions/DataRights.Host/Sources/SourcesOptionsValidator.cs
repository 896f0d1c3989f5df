using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>Checks the confinement settings of <see cref="SourcesOptions"/> at start, naming each setting that is wrong.</summary>
internal sealed partial class SourcesOptionsValidator : IValidateOptions<SourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, SourcesOptions options)
    {
        var problems = new List<string>();
        if (!EnvironmentPrefix().IsMatch(options.EnvironmentPrefix ?? string.Empty))
        {
            problems.Add("DataRights:Sources:EnvironmentPrefix must be at least 4 letters, digits or underscores, such as DATARIGHTS_SOURCE_.");
        }

        if (!KeyVaultPrefix().IsMatch(options.KeyVaultNamePrefix ?? string.Empty))
        {
            problems.Add("DataRights:Sources:KeyVaultNamePrefix must be at least 4 letters, digits or hyphens, such as datarights-source-.");
        }

        if (!string.IsNullOrWhiteSpace(options.PostgresRootCertificate) && !File.Exists(options.PostgresRootCertificate))
        {
            problems.Add("DataRights:Sources:PostgresRootCertificate names a file that does not exist.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[A-Za-z0-9_]{4,64}$")]
    private static partial Regex EnvironmentPrefix();

    [GeneratedRegex("^[A-Za-z0-9-]{4,64}$")]
    private static partial Regex KeyVaultPrefix();
}
