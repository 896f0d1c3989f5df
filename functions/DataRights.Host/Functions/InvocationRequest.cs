using System.Globalization;
using System.Text.Json;

namespace DataRights.Host.Functions;

/// <summary>
/// What the Functions host posts to a custom handler for a non-HTTP trigger: <c>{ "Data": { binding: value }, "Metadata": { … } }</c>.
/// Trigger metadata strings arrive JSON-encoded a second time (<c>"MessageId": "\"abc\""</c>); <see cref="MetadataString"/>
/// takes that extra layer off, and also accepts plain strings and numbers.
/// </summary>
public sealed class InvocationRequest
{
    private InvocationRequest(Dictionary<string, JsonElement> data, Dictionary<string, JsonElement> metadata)
    {
        Data = data;
        Metadata = metadata;
    }

    public IReadOnlyDictionary<string, JsonElement> Data { get; }

    public IReadOnlyDictionary<string, JsonElement> Metadata { get; }

    /// <summary>Null, with <paramref name="error"/> saying why, when the body is not an invocation payload.</summary>
    public static InvocationRequest? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            error = "the body is not JSON";
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "the body is not a JSON object";
            return null;
        }

        Dictionary<string, JsonElement>? data = null, metadata = null;
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, "Data", StringComparison.OrdinalIgnoreCase))
            {
                data = ObjectOrEmpty(property.Value);
            }
            else if (string.Equals(property.Name, "Metadata", StringComparison.OrdinalIgnoreCase))
            {
                metadata = ObjectOrEmpty(property.Value);
            }
        }

        if (data is null)
        {
            error = "the payload has no Data object";
            return null;
        }

        return new InvocationRequest(data, metadata ?? new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>A metadata value as text: <c>"\"abc\""</c> and <c>"abc"</c> both give <c>abc</c>; numbers their digits.</summary>
    public string? MetadataString(string name) =>
        Metadata.TryGetValue(name, out var value) ? Unquote(value) : null;

    /// <summary>A binding's value as text (a string, possibly JSON-quoted again, or the raw JSON of an object).</summary>
    public string? DataText(string name) =>
        Data.TryGetValue(name, out var value) ? (value.ValueKind == JsonValueKind.String ? Unquote(value) : value.GetRawText()) : null;

    internal static string? Unquote(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
                {
                    try
                    {
                        return JsonSerializer.Deserialize<string>(text) ?? text;
                    }
                    catch (JsonException)
                    {
                        return text;
                    }
                }

                return text;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant();
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            default:
                return value.GetRawText();
        }
    }

    private static Dictionary<string, JsonElement> ObjectOrEmpty(JsonElement element)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                result[property.Name] = property.Value.Clone();
            }
        }

        return result;
    }
}

/// <summary>The custom handler's answer: <c>{ "Outputs": {}, "Logs": [ … ], "ReturnValue": … }</c>.</summary>
public sealed record InvocationResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: System.Text.Json.Serialization.JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: System.Text.Json.Serialization.JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse Of(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);
}
