using System.Text.RegularExpressions;

namespace DataRights.Core.Sources.Registry;

/// <summary>The rules for <c>azure-table</c> sources: their connection and each category's table settings.</summary>
public static partial class SourceRegistrationValidator
{
    /// <summary>The connector type of a firm's own Azure Table storage.</summary>
    public const string AzureTableType = "azure-table";

    /// <summary>
    /// The settings an <c>azure-table</c> category gives in <see cref="CategoryPolicy.Queries"/>, each a property name
    /// (or names, comma-separated), never a filter: <c>table</c>, <c>match</c> (the property holding the email),
    /// <c>date</c> (the record's date, for retention and purges), <c>mask</c>, <c>export</c>, <c>restrict</c>
    /// (a boolean property), <c>account</c> (the account reference), and <c>rectify.name|email|phone|address</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> AzureTableSettings = ["table", "match", "date", "mask", "export", "restrict", "account"];

    /// <summary>The connection settings of an <c>azure-table</c> source.</summary>
    public static readonly IReadOnlyList<string> AzureTableConnectionSettings = ["tableEndpoint", "accountName", "accountKey", "useManagedIdentity", "managedIdentityClientId"];

    private static readonly string[] SystemProperties = ["PartitionKey", "RowKey", "Timestamp"];

    /// <summary>The host names of Azure's Table service (public cloud, US Government, China), the only hosts a managed identity token is sent to.</summary>
    public static readonly IReadOnlyList<string> AzureTableHostSuffixes = [".table.core.windows.net", ".table.core.usgovcloudapi.net", ".table.core.chinacloudapi.cn"];

    /// <summary>Whether <paramref name="host"/> is an account of Azure's Table service (<c>myaccount.table.core.windows.net</c>).</summary>
    public static bool IsAzureTableHost(string host) =>
        AzureTableHostSuffixes.Any(suffix => host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && AccountName().IsMatch(host[..^suffix.Length]));

    /// <summary>True for a Table storage property name that can stand in a filter as it is: an identifier of at most 255 characters.</summary>
    public static bool IsTablePropertyName(string? name) => name is not null && TablePropertyName().IsMatch(name);

    /// <summary>True for a table name Table storage accepts: a letter, then letters and digits, 3 to 63 in all.</summary>
    public static bool IsTableName(string? name) => name is not null && TableName().IsMatch(name);

    /// <summary>The property names of a comma-separated setting (<c>Email, Phone</c>), trimmed, empty ones left out.</summary>
    public static IReadOnlyList<string> PropertyList(string? text) =>
        [.. (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static void ValidateAzureTable(SourceRegistration r, Action<string, string> add)
    {
        var endpoint = r.Connection.GetValueOrDefault("tableEndpoint");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            add("connection.tableEndpoint", "An Azure Table source needs the Table service address, such as https://myaccount.table.core.windows.net (plain http only on this machine, for Azurite: http://127.0.0.1:10002/devstoreaccount1).");
        }

        if (r.Connection.TryGetValue("accountName", out var account) && !AccountName().IsMatch(account))
        {
            add("connection.accountName", "A storage account name is 3 to 24 lower-case letters and digits (leave it out to take it from the address).");
        }

        var managed = r.Connection.GetValueOrDefault("useManagedIdentity");
        if (managed is not null && !bool.TryParse(managed, out _))
        {
            add("connection.useManagedIdentity", "Say true or false.");
        }

        if (string.Equals(managed, "true", StringComparison.OrdinalIgnoreCase))
        {
            if (r.Connection.ContainsKey("accountKey"))
            {
                add("connection.accountKey", "Give either the account key or useManagedIdentity=true, not both.");
            }

            if (uri is { Scheme: "http" })
            {
                add("connection.useManagedIdentity", "Managed identity tokens are only sent over https; Azurite (plain http) needs the account key.");
            }
            else if (uri is not null && !IsAzureTableHost(uri.IdnHost))
            {
                // The app's identity token goes to this address: anywhere but Azure's Table service, it would hand whoever
                // runs that host the app's access to its own storage (the pipeline's records).
                add("connection.tableEndpoint", $"With useManagedIdentity=true, the address must be an Azure Table service ({string.Join(", ", AzureTableHostSuffixes.Select(h => "<account>" + h))}).");
            }

            if (r.Connection.TryGetValue("managedIdentityClientId", out var clientId) && !Guid.TryParse(clientId, out _))
            {
                add("connection.managedIdentityClientId", "Give the client id (a GUID) of the user-assigned managed identity, or leave it out for the system-assigned one.");
            }
        }
        else if (!r.SecretSettings.Contains("accountKey") || !r.Connection.ContainsKey("accountKey"))
        {
            add("connection.accountKey", "An Azure Table source needs the storage account key as a reference (env:NAME or keyvault:NAME), listed in secretSettings, or useManagedIdentity=true.");
        }

        foreach (var setting in r.Connection.Keys.Where(k => !AzureTableConnectionSettings.Contains(k)))
        {
            add($"connection.{setting}", $"Unknown setting. An Azure Table source takes {string.Join(", ", AzureTableConnectionSettings)}.");
        }

        if (!r.IdentityFields.Contains("email"))
        {
            add("identityFields", "An Azure Table source finds people by their email address: include email.");
        }
    }

    private static void ValidateTableSettings(CategoryPolicy c, string path, Action<string, string> add)
    {
        var settings = c.Queries;
        void Property(string name, string value, bool keyAllowed)
        {
            if (!IsTablePropertyName(value))
            {
                add($"{path}.queries.{name}", "Give a property name: letters, digits and underscores, starting with a letter (never a filter expression).");
            }
            else if (!keyAllowed && SystemProperties.Contains(value))
            {
                add($"{path}.queries.{name}", $"{value} cannot be changed; name an ordinary property.");
            }
        }

        foreach (var (name, value) in settings)
        {
            if (name.StartsWith("rectify.", StringComparison.Ordinal))
            {
                if (!ActionInstructions.CorrectableFields.Contains(name["rectify.".Length..]))
                {
                    add($"{path}.queries.{name}", $"Rectification settings are named {string.Join(", ", ActionInstructions.CorrectableFields.Select(f => "rectify." + f))}.");
                }
                else
                {
                    Property(name, value, keyAllowed: false);
                }

                continue;
            }

            switch (name)
            {
                case "table":
                    if (!IsTableName(value))
                    {
                        add($"{path}.queries.table", "Give the table's name: a letter, then letters and digits, 3 to 63 in all.");
                    }

                    break;
                case "match" or "date" or "account":
                    Property(name, value, keyAllowed: true);
                    break;
                case "restrict":
                    Property(name, value, keyAllowed: false);
                    break;
                case "mask" or "export":
                    var names = PropertyList(value);
                    if (names.Count == 0)
                    {
                        add($"{path}.queries.{name}", "Give one or more property names, separated by commas.");
                    }

                    foreach (var property in names)
                    {
                        Property(name, property, keyAllowed: name == "export");
                    }

                    break;
                default:
                    add($"{path}.queries.{name}", $"Settings of an Azure Table category are named {string.Join(", ", AzureTableSettings)} and rectify.<field>; each names a property, never a filter.");
                    break;
            }
        }

        if (!settings.ContainsKey("table"))
        {
            add($"{path}.queries.table", "Name the table this category's rows are in (queries.table).");
        }

        if (!settings.TryGetValue("match", out var match))
        {
            add($"{path}.queries.match", "Name the property holding the person's email address (queries.match), such as Email.");
        }

        if (c.Strategy == "mask")
        {
            if (!settings.TryGetValue("mask", out var mask))
            {
                add($"{path}.queries.mask", "A masked category names the properties to mask (queries.mask), the email property among them.");
            }
            else if (match is not null && SystemProperties.Contains(match))
            {
                add($"{path}.queries.match", $"Rows found by {match} cannot be masked: the key would still name the person. Use strategy delete.");
            }
            else if (match is not null && !PropertyList(mask).Contains(match))
            {
                add($"{path}.queries.mask", $"Mask the property the person is found by ({match}) too, or a second search would still find them.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
    private static partial Regex TablePropertyName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountName();
}
