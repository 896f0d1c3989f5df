using DataRights.Host.StaffConsole.Evidence;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// A request's evidence pack for staff: <c>/staff/requests/{id}/evidence</c> (print-ready HTML) and
/// <c>/staff/requests/{id}/evidence.pdf</c>. Neither is cached: each holds the requester's name and email address.
/// </summary>
public static class EvidencePages
{
    public static async Task<IResult> HtmlAsync(string id, HttpContext context, EvidencePackBuilder builder, ILogger<ConsoleAccessLog> logger)
    {
        var (pack, refusal) = await BuildAsync(id, context, builder, logger, "html");
        return refusal ?? TypedResults.Content(EvidencePackHtml.Render(pack!), "text/html; charset=utf-8");
    }

    public static async Task<IResult> PdfAsync(string id, HttpContext context, EvidencePackBuilder builder, ILogger<ConsoleAccessLog> logger)
    {
        var (pack, refusal) = await BuildAsync(id, context, builder, logger, "pdf");
        return refusal ?? TypedResults.File(EvidencePackPdf.Render(pack!), "application/pdf", $"Evidence {pack!.Reference}.pdf");
    }

    private static async Task<(EvidencePack? Pack, IResult? Refusal)> BuildAsync(string id, HttpContext context, EvidencePackBuilder builder, ILogger<ConsoleAccessLog> logger, string format)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        context.Response.Headers.CacheControl = "no-store";
        if (await builder.BuildAsync(id, context.RequestAborted) is not { } pack)
        {
            return (null, RequestPage.NotFound(context, user!, csrf: null));
        }

        logger.EvidencePackRead(id, format);
        return (pack, null);
    }
}
