using System.Globalization;
using System.Text.RegularExpressions;
using DataRights.Core.Retention;
using DataRights.Core.Text;

namespace DataRights.Core.Sources.Registry;

/// <summary>
/// Strict, explained validation of a registration. Every problem is keyed by the path of the field
/// it concerns (<c>categories[1].legalBasis</c>), in plain English, so staff can fix them all at once.
/// </summary>
public static partial class SourceRegistrationValidator
{
    public static readonly IReadOnlyList<string> IdentityFieldNames = ["email", "phone", "account_id", "name"];
    public static readonly IReadOnlyList<string> Strategies = ["delete", "mask", "retain"];
    public static readonly IReadOnlyList<string> Masks = ["null", "fixed", "keyed_hash"];
    public static readonly IReadOnlyList<string> AccessLevels = ["read", "read-write"];

    /// <summary>Every problem of <paramref name="r"/>, keyed by field path; <paramref name="secrets"/> says which secret references are allowed (default: <see cref="SecretReferenceRules.Default"/>).</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(SourceRegistration r, IReadOnlyCollection<string> connectorTypes, SecretReferenceRules? secrets = null)
    {
        secrets ??= SecretReferenceRules.Default;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string message) => errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        if (!KeyPattern().IsMatch(r.Key ?? string.Empty))
        {
            Add("key", "Give a key of 1 to 40 lower-case letters, digits or hyphens, starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(r.DisplayName) || r.DisplayName.Length > 100 || TextRules.HasForbiddenCharacters(r.DisplayName, multiLine: false))
        {
            Add("displayName", "Give a display name of 1 to 100 characters on one line.");
        }

        if (!connectorTypes.Contains(r.ConnectorType ?? string.Empty))
        {
            Add("connectorType", $"Unknown connector type. Choose one of: {string.Join(", ", connectorTypes)}.");
        }

        if (!AccessLevels.Contains(r.Access ?? string.Empty))
        {
            Add("access", "Access must be 'read' or 'read-write'.");
        }

        if (!RegionPattern().IsMatch(r.Region ?? string.Empty))
        {
            Add("region", "Give a region such as eu-west, us-east or us-west.");
        }

        if (r.IdentityFields.Count == 0)
        {
            Add("identityFields", $"Name at least one field the source can be searched by: {string.Join(", ", IdentityFieldNames)}.");
        }

        for (var i = 0; i < r.IdentityFields.Count; i++)
        {
            if (!IdentityFieldNames.Contains(r.IdentityFields[i]))
            {
                Add($"identityFields[{i}]", $"Unknown identity field '{r.IdentityFields[i]}'. Choose from: {string.Join(", ", IdentityFieldNames)}.");
            }
        }

        foreach (var secret in r.SecretSettings)
        {
            if (!r.Connection.TryGetValue(secret, out var value))
            {
                Add($"connection.{secret}", "This secret setting is missing.");
            }
            else if (secrets.Problem(value) is { } problem)
            {
                Add($"connection.{secret}", problem);
            }
        }

        if (r.ConnectorType == "sqlite" && !IsSourceRelativePath(r.Connection.GetValueOrDefault("path")))
        {
            Add("connection.path", "Give the database file's path inside the sources folder (setting DataRights:Sources:Folder), such as billing.db or crm/contacts.db: letters, digits, dots, hyphens and underscores, no absolute path and no '..'.");
        }

        if (r.ConnectorType == "manual" && !EmailAddress.TryNormalize(r.Connection.GetValueOrDefault("owner"), out _))
        {
            Add("connection.owner", "A manual source needs the email address of the person who searches and erases in it.");
        }

        if (r.ConnectorType == "http")
        {
            if (!Uri.TryCreate(r.Connection.GetValueOrDefault("baseUrl"), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http"))
            {
                Add("connection.baseUrl", "An HTTP source needs the absolute base address of its endpoints, such as https://crm.example.com/datarights/.");
            }

            if (!r.SecretSettings.Contains("secret") || !r.Connection.ContainsKey("secret"))
            {
                Add("connection.secret", "An HTTP source needs the shared signing secret, as a reference (env:NAME), listed in secretSettings.");
            }
        }

        if (r.ConnectorType == "postgres")
        {
            ValidatePostgres(r, Add);
        }

        if (r.ConnectorType == AzureTableType)
        {
            ValidateAzureTable(r, Add);
        }

        if (r.ConnectorType == AgentType)
        {
            ValidateAgent(r, Add);
        }

        foreach (var (field, texts) in new[] { ("purposes", r.Purposes), ("recipients", r.Recipients) })
        {
            for (var i = 0; i < texts.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(texts[i]) || texts[i].Length > 200 || TextRules.HasForbiddenCharacters(texts[i], multiLine: false))
                {
                    Add($"{field}[{i}]", "Give each entry as one line of 1 to 200 characters.");
                }
            }
        }

        foreach (var (field, text) in new[] { ("origin", r.Origin), ("automatedDecisions", r.AutomatedDecisions) })
        {
            if (text is not null && (text.Length > 500 || TextRules.HasForbiddenCharacters(text, multiLine: false)))
            {
                Add(field, "Give one line of at most 500 characters, or leave it out.");
            }
        }

        if (r.Categories.Count == 0)
        {
            Add("categories", "Name at least one category of personal data the source holds, such as contact.email.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < r.Categories.Count; i++)
        {
            ValidateCategory(r.Categories[i], $"categories[{i}]", r.ConnectorType == AzureTableType, seen, Add);
        }

        return errors;
    }

    private static void ValidatePostgres(SourceRegistration r, Action<string, string> add)
    {
        foreach (var (setting, what) in new[] { ("host", "the server's host name or address"), ("database", "the database name"), ("username", "the user to sign in as") })
        {
            if (string.IsNullOrWhiteSpace(r.Connection.GetValueOrDefault(setting)))
            {
                add($"connection.{setting}", $"A PostgreSQL source needs {what} (connection.{setting}).");
            }
        }

        if (!int.TryParse(r.Connection.GetValueOrDefault("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            add("connection.port", "A PostgreSQL source needs the server's port, a number from 1 to 65535 (usually 5432).");
        }

        if (!r.SecretSettings.Contains("password") || !r.Connection.ContainsKey("password"))
        {
            add("connection.password", "A PostgreSQL source needs the password as a reference (env:NAME), listed in secretSettings.");
        }
    }

    /// <summary>The parameters a SQL source's statements may use.</summary>
    public static readonly IReadOnlyList<string> QueryParameters = ["$email", "$account_id", "$name", "$record_key", "$mask", "$value"];

    private static readonly Dictionary<string, string> QueryVerbs = new(StringComparer.Ordinal) { ["discover"] = "SELECT", ["export"] = "SELECT", ["delete"] = "DELETE", ["mask"] = "UPDATE",
        ["rectify.name"] = "UPDATE", ["rectify.email"] = "UPDATE", ["rectify.phone"] = "UPDATE", ["rectify.address"] = "UPDATE",
        ["restrict"] = "UPDATE", ["unrestrict"] = "UPDATE", ["purge"] = "DELETE",
    };

    /// <summary>The parameters of a retention purge statement, which is about records by age, never about one person.</summary>
    public static readonly IReadOnlyList<string> PurgeParameters = ["$cutoff", "$batch"];

    /// <summary>The function a purge statement must call with the column holding the person's email, to spare people under a legal hold.</summary>
    public const string HeldFunction = "datarights_held";


    private static void ValidateQueries(CategoryPolicy c, string path, Action<string, string> add)
    {
        foreach (var (name, sql) in c.Queries)
        {
            var field = $"{path}.queries.{name}";
            if (!QueryVerbs.TryGetValue(name, out var verb))
            {
                add(field, $"Queries are named {string.Join(", ", QueryVerbs.Keys)}.");
                continue;
            }

            var text = sql?.Trim().TrimEnd(';') ?? string.Empty;
            if (!text.StartsWith(verb + " ", StringComparison.OrdinalIgnoreCase) || text.Contains(';', StringComparison.Ordinal) || text.Contains("--", StringComparison.Ordinal) || text.Contains("/*", StringComparison.Ordinal))
            {
                add(field, $"The {name} query must be one {verb} statement, without comments.");
            }

            // $1-style placeholders would take the values we bind by position on PostgreSQL.
            if (PositionalParameter().IsMatch(text))
            {
                add(field, $"Use the named parameters ({string.Join(", ", QueryParameters)}), not positional ones such as $1.");
            }

            var allowed = name == "purge" ? PurgeParameters : QueryParameters;
            foreach (Match parameter in Parameter().Matches(text))
            {
                if (parameter.Value == "$phone" && name != "purge")
                {
                    // A request does not carry a phone number (the one a person may give to prove who they are is kept
                    // only as a hash), so a query by phone would find no one and report the person has no data here.
                    add(field, $"A query cannot search by $phone: a request does not carry a phone number. Use: {string.Join(", ", allowed)}.");
                }
                else if (!allowed.Contains(parameter.Value))
                {
                    add(field, $"Unknown parameter {parameter.Value}. Use: {string.Join(", ", allowed)}.");
                }
            }

            if (verb is "DELETE" or "UPDATE" && !Where().IsMatch(StringLiteral().Replace(text, "''")))
            {
                add(field, $"The {name} query needs a WHERE clause, so it only changes the person's records.");
            }

            if (name == "purge" && (!text.Contains("$cutoff", StringComparison.Ordinal) || !text.Contains("$batch", StringComparison.Ordinal) || !text.Contains(HeldFunction + "(", StringComparison.OrdinalIgnoreCase)))
            {
                add(field, $"The purge query deletes at most $batch records dated before $cutoff and spares people under a legal hold, e.g. DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff AND NOT {HeldFunction}(caller_email) LIMIT $batch).");
            }
        }

        var needed = c.Strategy switch { "delete" => "delete", "mask" => "mask", _ => null };
        if (c.Queries.Count > 0 && (!c.Queries.ContainsKey("discover") || (needed is not null && !c.Queries.ContainsKey(needed))))
        {
            add($"{path}.queries", needed is null ? "A SQL category needs a discover query." : $"A SQL category with strategy {c.Strategy} needs discover and {needed} queries.");
        }
    }

    private static void ValidateCategory(CategoryPolicy c, string path, bool azureTable, HashSet<string> seen, Action<string, string> add)
    {
        if (azureTable)
        {
            ValidateTableSettings(c, path, add);
        }
        else
        {
            ValidateQueries(c, path, add);
        }

        if (!CategoryPattern().IsMatch(c.Key ?? string.Empty))
        {
            add($"{path}.key", "Give a dotted category key such as contact.email or billing.invoice.");
        }

        if (string.IsNullOrWhiteSpace(c.DisplayName) || c.DisplayName.Length > 100 || TextRules.HasForbiddenCharacters(c.DisplayName, multiLine: false))
        {
            add($"{path}.displayName", "Give the category a display name people read in emails, pages and their copy of their data, such as \"Invoices\" or \"Email address\": 1 to 100 characters on one line.");
        }
        else if (!seen.Add(c.Key!))
        {
            add($"{path}.key", $"The category {c.Key} is listed twice.");
        }

        switch (c.Strategy)
        {
            case "delete":
                break;
            case "mask" when !Masks.Contains(c.Mask ?? string.Empty):
                add($"{path}.mask", "Say how to mask: null, fixed or keyed_hash.");
                break;
            case "mask" when c.Mask == "fixed" && string.IsNullOrEmpty(c.MaskValue):
                add($"{path}.maskValue", "A fixed mask needs the text to write instead, such as [erased].");
                break;
            case "mask":
                break;
            case "retain":
                if (string.IsNullOrWhiteSpace(c.LegalBasis) || c.LegalBasis.Trim().Length < 10)
                {
                    add($"{path}.legalBasis", "Keeping data back from erasure needs its legal basis in plain words, such as \"UK tax law requires invoices to be kept 6 years\".");
                }

                if (c.Ground is not null && !ErasureExceptions.TryParseGround(c.Ground, out _))
                {
                    add($"{path}.ground", $"Choose the exception to erasure it relies on: {string.Join(" or ", ErasureExceptions.GroundNames)} (the default).");
                }

                if (!RetentionPeriod.TryParse(c.RetentionPeriod, out _))
                {
                    add($"{path}.retentionPeriod", "Give how long it is kept as an ISO 8601 period, such as P7Y, P6M or P28D.");
                }

                break;
            default:
                add($"{path}.strategy", "Choose what erasure does to this category: delete, mask or retain.");
                break;
        }
    }

    /// <summary>Whether <paramref name="key"/> has the shape of a source's key (so may name a registered source).</summary>
    public static bool IsKey(string? key) => KeyPattern().IsMatch(key ?? string.Empty);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[a-z]{2,12}(-[a-z0-9]{1,12}){0,2}$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex CategoryPattern();

    [GeneratedRegex(@"\$[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\$[0-9]")]
    private static partial Regex PositionalParameter();

    /// <summary>
    /// True for a path a <c>sqlite</c> source may give: relative, in <c>/</c>-separated segments of letters,
    /// digits, dots, hyphens and underscores, none of them <c>.</c> or <c>..</c> (the host then confines it to the sources folder).
    /// </summary>
    public static bool IsSourceRelativePath(string? path) =>
        path is { Length: > 0 and <= 260 } && SourcePath().IsMatch(path) && path.Split('/').All(segment => segment is not ("." or ".."));

    [GeneratedRegex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")]
    private static partial Regex SourcePath();

    [GeneratedRegex(@"\bWHERE\b", RegexOptions.IgnoreCase)]
    private static partial Regex Where();

    [GeneratedRegex("'[^']*'")]
    private static partial Regex StringLiteral();
}
