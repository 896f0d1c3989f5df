using DataRights.Core.Requests;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Requests;

/// <summary>POST /api/requests: the JSON intake.</summary>
public static class RequestsApiEndpoints
{
    public static IEndpointRouteBuilder MapRequestsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/requests", SubmitAsync)
            .WithName("SubmitRequest")
            .WithSummary("Submit a data-subject request")
            .Accepts<SubmitRequestBody>("application/json")
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Accepted<IntakeResponse>, Ok<IntakeResponse>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext context,
        IntakeService intake,
        IntakeRateLimiter rateLimiter,
        IOptions<DataRightsOptions> options,
        ILogger<IntakeService> logger)
    {
        if (rateLimiter.TryAcquireForClient(context.Connection.RemoteIpAddress?.ToString()) is { } clientWait)
        {
            return TooMany(context, clientWait);
        }

        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported content type",
                detail: "Send the request as JSON with Content-Type: application/json.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var body = await BoundedBody.ReadAsync(context.Request, BoundedBody.MaxBytes, context.RequestAborted);
        if (body is null)
        {
            errors[IntakeFields.Body] = [$"The request body is larger than {BoundedBody.MaxBytes / 1024} KiB."];
            return Invalid(errors, logger);
        }

        var submission = IntakeJsonReader.Read(body, errors);
        if (submission is null)
        {
            return Invalid(errors, logger);
        }

        var outcome = await intake.SubmitAsync(submission, IntakeChannel.Api, context.RequestAborted);
        switch (outcome)
        {
            case IntakeOutcome.Accepted accepted:
                var response = ToResponse(context, options.Value, accepted);
                return accepted.Created
                    ? TypedResults.Accepted(response.StatusUrl, response)
                    : Repeat(context, response);
            case IntakeOutcome.Invalid invalid:
                return Problem(invalid.Errors);
            case IntakeOutcome.RateLimited limited:
                return TooMany(context, limited.RetryAfter);
            default:
                throw new InvalidOperationException("Unknown intake outcome.");
        }
    }

    private static Ok<IntakeResponse> Repeat(HttpContext context, IntakeResponse response)
    {
        context.Response.Headers.Location = response.StatusUrl;
        return TypedResults.Ok(response);
    }

    internal static IntakeResponse ToResponse(HttpContext context, DataRightsOptions options, IntakeOutcome.Accepted accepted)
    {
        var r = accepted.Request;
        var root = context.PublicBase(options.PublicBaseUrl);
        return new IntakeResponse(
            r.Id, r.Reference, r.Type.Name(), r.Status.Name(), r.Jurisdiction.Name(), r.Deadline.RegimeKey, r.ReceivedAt,
            r.Deadline.ReceivedOn, r.Deadline.DueOn, r.Deadline.AcknowledgeBy,
            $"{root}/api/status/{accepted.StatusToken}", $"{root}/status/{accepted.StatusToken}", Duplicate: !accepted.Created);
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors, ILogger logger)
    {
        logger.SubmissionInvalid(errors.Count, string.Join(",", errors.Keys.Select(k => IntakeFields.All.Contains(k) || k == IntakeFields.Body ? k : "(unknown field)")));
        return Problem(errors);
    }

    private static ValidationProblem Problem(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request has problems. Nothing was saved.", detail: $"Check these fields: {string.Join(", ", errors.Keys)}.");

    private static ProblemHttpResult TooMany(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = IntakePages.RetryAfterSeconds(retryAfter);
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"Too many submissions in a short time. Try again in {seconds} seconds. Nothing was saved.");
    }

    /// <summary>The JSON body, for the OpenAPI document (the reader itself is stricter than a binder).</summary>
    public sealed record SubmitRequestBody(string Type, string Email, string FullName, string? Jurisdiction, string? AccountReference, string? Details);
}
