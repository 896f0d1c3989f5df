using System.Text;
using DataRights.Core.Text;
using DataRights.Host.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;

namespace DataRights.Host.Http;

/// <summary>
/// The shared first step of every page POST: a form body of at most 64 KiB with a valid anti-forgery token, whose
/// every field is text without control characters (line breaks and tabs aside), URL-encoded or multipart, so no step
/// meets a NUL.
/// </summary>
public static class FormPosts
{
    /// <summary>Null when the form can be read from <c>Request.Form</c>; otherwise the page to answer with.</summary>
    public static async Task<IResult?> CheckAsync(HttpContext context, IAntiforgery antiforgery)
    {
        var body = await BoundedBody.ReadAsync(context.Request, BoundedBody.MaxBytes, context.RequestAborted);
        if (body is null || !context.Request.HasFormContentType)
        {
            return Layout.Page(context, "There is a problem", Layout.Message("There is a problem", "We could not read the form. Nothing was changed."), StatusCodes.Status400BadRequest);
        }

        if (FieldWithControlCharacters(context.Request, body) is { } field)
        {
            return ControlCharactersPage(context, field);
        }

        context.Request.Body = new MemoryStream(body);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Layout.Page(context, "The page has expired", Layout.Message(
                "The page has expired", "For your security, buttons only work on the page they came from and for a short time. Open the link from your email again. Nothing was changed."), StatusCodes.Status400BadRequest);
        }

        // A multipart form (which the framework reads without refusing a NUL) is checked once read, field by field.
        return IsUrlEncoded(context.Request) || FieldWithControlCharacters(await context.Request.ReadFormAsync(context.RequestAborted)) is not { } multipartField
            ? null
            : ControlCharactersPage(context, multipartField);
    }

    private static bool IsUrlEncoded(HttpRequest request) =>
        string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>The name of the first of <paramref name="fields"/> holding control characters, broken text or direction overrides; null when none does.</summary>
    private static string? FieldWithControlCharacters(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> fields) =>
        fields.Any(f => TextRules.HasForbiddenCharacters(f.Key, multiLine: false))
            ? "(a field name)"
            : fields.FirstOrDefault(f => f.Value.Any(v => v is not null && TextRules.HasForbiddenCharacters(v, multiLine: true))).Key;

    /// <summary>
    /// The name of the first field of a URL-encoded form holding control characters (a NUL, say: the framework's form
    /// reader refuses those with an exception), broken text or direction overrides; null when none does.
    /// </summary>
    public static string? FieldWithControlCharacters(HttpRequest request, byte[] body)
    {
        if (!IsUrlEncoded(request))
        {
            return null;
        }

        return FieldWithControlCharacters(QueryHelpers.ParseQuery("?" + Encoding.UTF8.GetString(body)));
    }

    public static IResult ControlCharactersPage(HttpContext context, string field) =>
        Layout.Page(context, "There is a problem", Layout.Message(
            "There is a problem", $"The field \"{field}\" holds characters a form cannot take (control characters such as NUL). Go back, correct it and send it again. Nothing was changed."), StatusCodes.Status400BadRequest);
}
