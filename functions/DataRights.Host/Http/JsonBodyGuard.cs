using System.Text.Json;

namespace DataRights.Host.Http;

/// <summary>
/// The first reading of every JSON body, before any endpoint binds or parses it: at most 64 KiB (more only where an
/// endpoint declares <see cref="JsonBodyLimit"/>), well-formed JSON, and every string and property name valid text
/// (no invalid UTF-8, no lone surrogate). Anything else is a 400 naming the field, so no endpoint meets bytes it
/// cannot decode. The checked bytes are handed on as the body.
/// </summary>
public static class JsonBodyGuard
{
    public const string BodyField = "body";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (!request.HasJsonContentType() || context.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<JsonBodyLimit>() is { Bytes: 0 })
        {
            await next();
            return;
        }

        var limit = endpoint.Metadata.GetMetadata<JsonBodyLimit>()?.Bytes ?? BoundedBody.MaxBytes;
        var body = await BoundedBody.ReadAsync(request, limit, context.RequestAborted);
        if (body is null)
        {
            await RequestProblems.WriteAsync(context, StatusCodes.Status400BadRequest, BodyField, $"The request body is larger than {limit / 1024} KiB.");
            return;
        }

        if (body.Length > 0 && Check(body) is { } problem)
        {
            await RequestProblems.WriteAsync(context, StatusCodes.Status400BadRequest, problem.Field, problem.Message);
            return;
        }

        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next();
    }

    /// <summary>Null when the body is JSON whose every string is valid text; otherwise the field and what is wrong.</summary>
    public static (string Field, string Message)? Check(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1})" : string.Empty;
            return (BodyField, $"The request body is not valid JSON{where}.");
        }

        using (document)
        {
            return FirstBadText(document.RootElement, string.Empty);
        }
    }

    private static (string Field, string Message)? FirstBadText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !IsText(element.GetString):
                return (FieldName(path), "This text is not valid: it holds bytes that are not UTF-8, or a lone surrogate (\\ud800 to \\udfff without its pair).");
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsText(() => property.Name))
                    {
                        return (FieldName(path), "A field name is not valid text (bytes that are not UTF-8, or a lone surrogate).");
                    }

                    if (FirstBadText(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstBadText(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string FieldName(string path) => path.Length == 0 ? BodyField : path;

    // System.Text.Json decodes a string only when it is read, and refuses broken UTF-8 and lone surrogates then.
    private static bool IsText(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
