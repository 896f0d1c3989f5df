using DataRights.Core.Requests;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using DataRights.Host.Requests;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Pages;

/// <summary>The request form at "/": plain HTML, works without JavaScript, CSRF-protected.</summary>
public static class IntakePages
{
    public static IEndpointRouteBuilder MapIntakePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", ShowForm).ExcludeFromDescription();
        app.MapPost("/", SubmitForm).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/assets/site.css", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return TypedResults.Text(Layout.Stylesheet + StaffConsole.Evidence.EvidencePackStyles.Css, "text/css; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    private static IResult ShowForm(HttpContext context, IAntiforgery antiforgery, IOptions<DataRightsOptions> options) =>
        Layout.Page(context, "Make a request about your personal data", IntakeFormView.Render(
            antiforgery.GetAndStoreTokens(context).RequestToken!, options.Value, values: null, errors: null));

    private static async Task<IResult> SubmitForm(
        HttpContext context,
        IAntiforgery antiforgery,
        IntakeService intake,
        IntakeRateLimiter rateLimiter,
        IOptions<DataRightsOptions> options,
        ILogger<IntakeService> logger)
    {
        if (rateLimiter.TryAcquireForClient(context.Connection.RemoteIpAddress?.ToString()) is { } clientWait)
        {
            return TooMany(context, clientWait, IntakeProblems.TooManySubmissionsDetail(clientWait));
        }

        var body = await BoundedBody.ReadAsync(context.Request, BoundedBody.MaxBytes, context.RequestAborted);
        if (body is null || !context.Request.HasFormContentType)
        {
            return Layout.Page(context, "There is a problem", Layout.Message(
                "There is a problem", "We could not read the form. It may be too large (the limit is 64 KiB). Go back, shorten the details and try again."),
                StatusCodes.Status400BadRequest);
        }

        if (FormPosts.FieldWithControlCharacters(context.Request, body) is { } field)
        {
            return FormPosts.ControlCharactersPage(context, field);
        }

        context.Request.Body = new MemoryStream(body);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            logger.CsrfRefused();
            return Layout.Page(context, "The form has expired", Html.Of($"""
                <h1>The form has expired</h1>
                <p>For your security, the form can only be sent from this site and within a short time of opening it. Nothing was saved.</p>
                <p><a href="/">Open the form again</a></p>
                """), StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var submission = new IntakeSubmission(
            form[IntakeFields.Type], form[IntakeFields.Email], form[IntakeFields.FullName],
            form[IntakeFields.Jurisdiction], form[IntakeFields.AccountReference], form[IntakeFields.Details]);

        var outcome = await intake.ReceiveAsync(submission, IntakeChannel.WebForm, context.RequestAborted);
        return outcome switch
        {
            // The same page whatever became of it (a new request, a repeat, the address's limit reached): it never tells
            // whoever sent the form whether an address has made a request. The email has the reference and the links.
            IntakeOutcome.Received => Layout.Page(context, "Check your email", ConfirmationView.Render()),
            IntakeOutcome.Invalid invalid => Layout.Page(
                context,
                "Error: make a request about your personal data",
                IntakeFormView.Render(antiforgery.GetAndStoreTokens(context).RequestToken!, options.Value, submission, invalid.Errors),
                StatusCodes.Status400BadRequest),
            _ => throw new InvalidOperationException("Unknown intake outcome."),
        };
    }

    private static IResult TooMany(HttpContext context, TimeSpan retryAfter, string message)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Layout.Page(context, "Too many requests", Layout.Message("Too many requests", message), StatusCodes.Status429TooManyRequests);
    }

    public static int RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
}
