using DataRights.Host.Pages;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.Http;

/// <summary>The shared first step of every page POST: a form body of at most 64 KiB with a valid anti-forgery token.</summary>
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

        context.Request.Body = new MemoryStream(body);
        return await antiforgery.IsRequestValidAsync(context)
            ? null
            : Layout.Page(context, "The page has expired", Layout.Message(
                "The page has expired", "For your security, buttons only work on the page they came from and for a short time. Open the link from your email again. Nothing was changed."), StatusCodes.Status400BadRequest);
    }
}
