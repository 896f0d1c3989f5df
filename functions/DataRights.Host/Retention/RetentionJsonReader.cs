using System.Text.Json;
using DataRights.Core.Retention;

namespace DataRights.Host.Retention;

/// <summary>
/// Reads the retention API's bodies strictly: known fields only, each of the right JSON type, every
/// problem keyed by its path (<c>rules[1].maxAge</c>), so a mistyped field is never silently dropped.
/// </summary>
public static class RetentionJsonReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };
    private static readonly string[] RuleFields = ["category", "maxAge", "countsFrom", "basis"];
    private static readonly string[] PolicyFields = ["region", "rules"];
    private static readonly string[] RunFields = ["region", "dryRun"];

    /// <summary>A policy body: <c>{"rules": [{"category", "maxAge", "countsFrom", "basis"}]}</c> (a <c>region</c>, if given, must match the address).</summary>
    public static List<RetentionRule>? ReadPolicy(ReadOnlyMemory<byte> body, string region, Dictionary<string, string[]> errors)
    {
        using var document = Parse(body, errors);
        if (document is null || !Fields(document.RootElement, string.Empty, PolicyFields, errors))
        {
            return null;
        }

        var root = document.RootElement;
        if (root.TryGetProperty("region", out var named) && (named.ValueKind != JsonValueKind.String || named.GetString() != region))
        {
            errors["region"] = ["The region in the body must match the address."];
        }

        if (!root.TryGetProperty("rules", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            errors["rules"] = ["Give the rules as a JSON array (it may be empty: then nothing is purged in this region)."];
            return null;
        }

        var rules = new List<RetentionRule>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"rules[{index++}]";
            if (!Fields(item, path + ".", RuleFields, errors))
            {
                continue;
            }

            rules.Add(new RetentionRule
            {
                Category = Text(item, "category", path, errors),
                MaxAge = Text(item, "maxAge", path, errors),
                CountsFrom = Text(item, "countsFrom", path, errors),
                Basis = Text(item, "basis", path, errors),
            });
        }

        return errors.Count == 0 ? rules : null;
    }

    /// <summary>A "run now" body: <c>{"region": "eu-west", "dryRun": true}</c>; dryRun defaults to true, so deleting is always asked for explicitly.</summary>
    public static (string? Region, bool DryRun) ReadRun(ReadOnlyMemory<byte> body, Dictionary<string, string[]> errors)
    {
        using var document = Parse(body, errors);
        if (document is null || !Fields(document.RootElement, string.Empty, RunFields, errors))
        {
            return (null, true);
        }

        var root = document.RootElement;
        var region = root.TryGetProperty("region", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        if (region is null)
        {
            errors["region"] = ["Name the region to purge, such as eu-west."];
        }

        var dryRun = true;
        if (root.TryGetProperty("dryRun", out var d))
        {
            if (d.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                dryRun = d.GetBoolean();
            }
            else
            {
                errors["dryRun"] = ["dryRun must be true or false."];
            }
        }

        return (region, dryRun);
    }

    private static JsonDocument? Parse(ReadOnlyMemory<byte> body, Dictionary<string, string[]> errors)
    {
        try
        {
            var document = JsonDocument.Parse(body, DocumentOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            errors["body"] = ["The request body must be a JSON object."];
        }
        catch (JsonException)
        {
            errors["body"] = ["The request body is not valid JSON."];
        }

        return null;
    }

    /// <summary>False (with errors) when the element is not an object, or has unknown or repeated fields.</summary>
    private static bool Fields(JsonElement element, string prefix, string[] known, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors[prefix.TrimEnd('.').Length > 0 ? prefix.TrimEnd('.') : "body"] = ["This must be a JSON object."];
            return false;
        }

        var ok = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                errors[prefix + property.Name] = [$"This field is not recognised. Fields are: {string.Join(", ", known)}."];
                ok = false;
            }
            else if (!seen.Add(property.Name))
            {
                errors[prefix + property.Name] = ["This field appears more than once."];
                ok = false;
            }
        }

        return ok;
    }

    private static string Text(JsonElement item, string name, string path, Dictionary<string, string[]> errors)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return string.Empty;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[$"{path}.{name}"] = ["This field must be text (a JSON string)."];
            return string.Empty;
        }

        return value.GetString()!;
    }
}
