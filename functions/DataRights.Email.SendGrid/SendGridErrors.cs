using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataRights.Email.SendGrid;

/// <summary>
/// Reads SendGrid's error body, <c>{"errors":[{"message":"...","field":"..."}]}</c>, into its messages. Bounded, and
/// empty for anything that is not that JSON (a proxy's HTML page, a cut-off body): the status code alone has to do then.
/// </summary>
internal static class SendGridErrors
{
    // SendGrid's error bodies are small; never buffer an unbounded answer.
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<IReadOnlyList<string>> ReadAsync(HttpContent? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return [];
        }

        var buffer = new byte[MaxBodyBytes];
        var length = 0;
        await using (var stream = await content.ReadAsStreamAsync(cancellationToken))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(buffer.AsSpan(0, length), SendGridErrorJson.Default.ErrorBody);
            return [.. (parsed?.Errors ?? []).Select(e => e.Message).OfType<string>().Where(m => m.Length > 0)];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

internal sealed record ErrorBody(IReadOnlyList<ErrorItem>? Errors);

internal sealed record ErrorItem(string? Message, string? Field);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class SendGridErrorJson : JsonSerializerContext;
