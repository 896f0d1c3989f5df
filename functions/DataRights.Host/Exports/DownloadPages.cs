using System.Security.Cryptography;
using DataRights.Core.Requests;
using DataRights.Core.Text;
using DataRights.Core.Workflow;
using DataRights.Host.Email;
using DataRights.Host.Http;
using DataRights.Host.Links;
using DataRights.Host.Pages;

namespace DataRights.Host.Exports;

/// <summary>
/// <c>/download/{token}</c>: the requester's single-use link to their export. The GET shows what is in
/// it and changes nothing; the POST (anti-forgery checked) records the download in the audit trail and
/// uses up the link, then streams the package, opened from its sealed file as it goes.
/// </summary>
public static class DownloadPages
{
    public static IEndpointRouteBuilder MapDownloadPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/download/{token}", ShowAsync).ExcludeFromDescription();
        app.MapPost("/download/{token}", DownloadAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ShowAsync(string token, HttpContext context, LinkContext links, ExportFiles files)
    {
        var (request, claims, error) = await links.ReadAsync(context, token, LinkPurposes.Download, staff: false);
        if (error is not null)
        {
            return error;
        }

        if (await UnavailableAsync(context, request!, claims!.Nonce, files) is { } gone)
        {
            return gone;
        }

        var export = request!.Progress.Export!;
        return Layout.Page(context, "Download your data", Html.Of($"""
            <h1>Download your data</h1>
            <p>This is the copy of your data for request {request.Reference}: a ZIP file of {MessageComposer.Size(export.Bytes)} with {Plural.Count(export.Records, "record")}.</p>
            <p>The link works once. After you press the button, save the file somewhere safe: it holds your personal data.</p>
            <form method="post" action="/download/{token}">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{links.Csrf(context)}">
            <button type="submit">Download my data</button>
            </form>
            <p>Open index.html inside the ZIP first: it explains each file and your rights.</p>
            """));
    }

    private static async Task<IResult> DownloadAsync(string token, HttpContext context, LinkContext links, ExportFiles files)
    {
        var (request, claims, error) = await links.ReadForPostAsync(context, token, LinkPurposes.Download, staff: false);
        if (error is not null)
        {
            return error;
        }

        if (await UnavailableAsync(context, request!, claims!.Nonce, files) is { } gone)
        {
            return gone;
        }

        // The file must open before the link is used up: one that cannot be read (its key changed, the storage failing)
        // leaves the link working, and the person can try again once it is mended.
        if (!await OpensAsync(files, request!.Id, context.RequestAborted))
        {
            return Layout.Page(context, "Not available just now", Layout.Message("We could not open your file just now",
                "Nothing was changed: your link still works. Please try again later, or write to us and we will help."), StatusCodes.Status503ServiceUnavailable);
        }

        // The download is recorded (and the link used up) before a byte is sent.
        var decision = await links.Engine.ApplyAsync(request!.Id, new ExportDownloaded("requester", claims.Nonce), context.RequestAborted);
        if (decision is not { Changed: true })
        {
            return Layout.Page(context, "Link already used", Layout.Message("This link has already been used",
                decision?.Refused ?? "Each download link works once. Write to us if you need a new one."), StatusCodes.Status409Conflict);
        }

        Stream? package;
        try
        {
            package = await files.OpenPackageAsync(request.Id, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException)
        {
            package = null;
        }

        if (package is null)
        {
            return Layout.Page(context, "Not available", Layout.Message("Your data is not available",
                "We could not open your file. Please write to us and we will send a new copy."), StatusCodes.Status500InternalServerError);
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Stream(package, "application/zip", $"{request.Reference}-your-data.zip");
    }

    /// <summary>Whether the package opens: its first sealed chunk read and authenticated under this program's key.</summary>
    private static async Task<bool> OpensAsync(ExportFiles files, string requestId, CancellationToken cancellationToken)
    {
        try
        {
            await using var package = await files.OpenPackageAsync(requestId, cancellationToken);
            return package is not null && await package.ReadAsync(new byte[1], cancellationToken) == 1;
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or Azure.RequestFailedException)
        {
            return false;
        }
    }

    private static async Task<IResult?> UnavailableAsync(HttpContext context, DataSubjectRequest request, string nonce, ExportFiles files)
    {
        if (request.Progress.UsedLinkNonces.Contains(nonce))
        {
            return Layout.Page(context, "Link already used", Layout.Message("This link has already been used",
                "Each download link works once. Write to us if you need a new one."), StatusCodes.Status409Conflict);
        }

        return request.Progress.Export is not { DeletedAt: null } || !await files.PackageExistsAsync(request.Id, context.RequestAborted)
            ? Layout.Page(context, "No longer available", Layout.Message("This copy of your data is no longer available",
                "We delete copies when their link expires. You can make a new request at any time."), StatusCodes.Status410Gone)
            : null;
    }
}
