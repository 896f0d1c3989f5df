using System.Text.Json;
using DataRights.Core.Requests;

namespace DataRights.Host.Requests;

/// <summary>
/// Reads the intake JSON strictly: an object whose known fields are strings or null. Anything else
/// (malformed JSON, an unknown field, a number where text belongs) is an error naming the field.
/// </summary>
public static class IntakeJsonReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    public static IntakeSubmission? Read(ReadOnlyMemory<byte> body, Dictionary<string, string[]> errors) =>
        Read(body, errors, [], out _);

    /// <summary>Reads the intake fields plus <paramref name="extraFields"/> (staff entry adds channel and receivedAt).</summary>
    public static IntakeSubmission? Read(ReadOnlyMemory<byte> body, Dictionary<string, string[]> errors, IReadOnlyList<string> extraFields, out IReadOnlyDictionary<string, string?> extras)
    {
        extras = new Dictionary<string, string?>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1})" : string.Empty;
            errors[IntakeFields.Body] = [$"The request body is not valid JSON{where}."];
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors[IntakeFields.Body] = ["The request body must be a JSON object."];
                return null;
            }

            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            Dictionary<string, string>? dataPoints = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == IntakeFields.DataPoints)
                {
                    dataPoints = ReadDataPoints(property.Value, dataPoints is not null, errors);
                }
                else if (!IntakeFields.All.Contains(property.Name, StringComparer.Ordinal) && !extraFields.Contains(property.Name, StringComparer.Ordinal))
                {
                    errors[property.Name] = [$"This field is not recognised. Fields are: {string.Join(", ", IntakeFields.All.Concat(extraFields))}."];
                }
                else if (!values.TryAdd(property.Name, null))
                {
                    errors[property.Name] = ["This field appears more than once."];
                }
                else if (property.Value.ValueKind == JsonValueKind.String)
                {
                    values[property.Name] = property.Value.GetString();
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    errors[property.Name] = ["This field must be text (a JSON string)."];
                }
            }

            extras = values.Where(p => extraFields.Contains(p.Key, StringComparer.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            return errors.Count > 0
                ? null
                : new IntakeSubmission(
                    values.GetValueOrDefault(IntakeFields.Type),
                    values.GetValueOrDefault(IntakeFields.Email),
                    values.GetValueOrDefault(IntakeFields.FullName),
                    values.GetValueOrDefault(IntakeFields.Jurisdiction),
                    values.GetValueOrDefault(IntakeFields.AccountReference),
                    values.GetValueOrDefault(IntakeFields.Details)) { DataPoints = dataPoints };
        }
    }

    /// <summary><c>dataPoints</c>: null, or an object whose members are text; their names are checked against the configured data points later.</summary>
    private static Dictionary<string, string>? ReadDataPoints(JsonElement value, bool repeated, Dictionary<string, string[]> errors)
    {
        if (repeated)
        {
            errors[IntakeFields.DataPoints] = ["This field appears more than once."];
            return null;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var points = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.ValueKind != JsonValueKind.Object
            || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String || !points.TryAdd(p.Name, p.Value.GetString()!)))
        {
            errors[IntakeFields.DataPoints] = ["Give the details as an object of detail name to text, each once, such as {\"postcode\": \"EC1A 1AA\"}."];
            return null;
        }

        return points;
    }
}
