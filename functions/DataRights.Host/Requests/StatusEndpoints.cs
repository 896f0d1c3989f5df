using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Requests;

/// <summary>The requester's view through an unguessable status link: GET /api/status/{token} and GET /status/{token}.</summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status/{token}", GetStatusAsync).WithName("GetRequestStatus").WithSummary("Progress of a request, by its status link");
        app.MapGet("/status/{token}", GetStatusPageAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<StatusResponse>, NotFound>> GetStatusAsync(string token, IRequestStore store, CancellationToken cancellationToken) =>
        await LoadAsync(token, store, cancellationToken) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound();

    private static async Task<IResult> GetStatusPageAsync(string token, HttpContext context, IRequestStore store, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await LoadAsync(token, store, cancellationToken) is not { } status)
        {
            return TypedResults.NotFound();
        }

        var history = Html.Join(status.History.Select(e => Html.Of(
            $"""<li><time datetime="{e.At:O}">{e.At:d MMMM yyyy, HH:mm} UTC</time>: {e.Text}</li>""")));
        return Layout.Page(context, "Request " + status.Reference, Html.Of($"""
            <h1>Request {status.Reference}</h1>
            <p><strong>{status.StatusText}</strong></p>
            <dl class="summary">
            <dt>Your request</dt><dd>{RequestTexts.Describe(WireNames.ParseType(status.Type)).Label}</dd>
            <dt>Received</dt><dd>{RequestTexts.LongDate(status.ReceivedOn)}</dd>
            <dt>We must reply by</dt><dd>{RequestTexts.LongDate(status.DueDate)}</dd>
            </dl>
            {Html.When(status.Status == "awaiting_verification", Html.Of($"""
                <h2>Did not get our email?</h2>
                <form method="post" action="/status/{token}/resend">
                <input type="hidden" name="{Http.HttpExtensions.CsrfFieldName}" value="{antiforgery.GetAndStoreTokens(context).RequestToken}">
                <button type="submit">Send the confirmation email again</button>
                </form>
                """))}
            <h2>What has happened so far</h2>
            <ol class="timeline">{history}</ol>
            """));
    }

    private static async Task<StatusResponse?> LoadAsync(string token, IRequestStore store, CancellationToken cancellationToken)
    {
        if (!StatusLinks.LooksLikeToken(token)
            || await store.FindByStatusTokenHashAsync(StatusLinks.Hash(token), cancellationToken) is not { } request)
        {
            return null;
        }

        var trail = await store.GetAuditTrailAsync(request.Id, cancellationToken);
        return new StatusResponse(
            request.Reference,
            request.Type.Name(),
            request.Status.Name(),
            RequestTexts.Describe(request.Status),
            request.Deadline.ReceivedOn,
            request.Deadline.DueOn,
            request.Deadline.AcknowledgeBy,
            request.Deadline.RegimeKey,
            [.. History(trail)]);
    }

    private static IEnumerable<StatusEvent> History(IEnumerable<AuditEntry> trail) =>
        trail.Where(e => e.ToStatus is not null && WireNames.TryParseStatus(e.ToStatus, out _))
            .Select(e => new StatusEvent(e.At, e.ToStatus!, RequestTexts.Happened(
                WireNames.TryParseStatus(e.FromStatus, out var from) ? from : null, WireNames.ParseStatus(e.ToStatus!))));
}
