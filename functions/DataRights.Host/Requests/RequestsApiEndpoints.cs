using DataRights.Core.Requests;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Requests;

/// <summary>POST /api/requests: the JSON intake. A new request answers 202 with its status link; a repeat answers 200 without it.</summary>
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

    private static async Task<Results<Accepted<IntakeResponse>, Ok<RepeatResponse>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext context,
        IntakeService intake,
        IntakeRateLimiter rateLimiter,
        IOptions<DataRightsOptions> options,
        ILogger<IntakeService> logger)
    {
        if (rateLimiter.TryAcquireForClient(context.Connection.RemoteIpAddress?.ToString()) is { } clientWait)
        {
            return IntakeProblems.TooMany(context, clientWait, IntakeProblems.TooManySubmissions, IntakeProblems.TooManySubmissionsDetail(perEmail: false, clientWait));
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
                return TypedResults.Accepted(response.StatusUrl, response);
            case IntakeOutcome.Repeat { RetryAfter: { } wait } repeat:
                return IntakeProblems.TooMany(context, wait, IntakeProblems.LinkEmailLimit, IntakeProblems.LinkEmailLimitDetail(repeat.Why));
            case IntakeOutcome.Repeat repeat:
                return TypedResults.Ok(new RepeatResponse(Duplicate: true, repeat.Emailed, repeat.Emailed ? IntakeProblems.RepeatEmailed : "We already have this request. " + repeat.Why));
            case IntakeOutcome.Invalid invalid:
                return Problem(invalid.Errors);
            case IntakeOutcome.RateLimited limited:
                return IntakeProblems.TooMany(context, limited.RetryAfter, IntakeProblems.TooManySubmissions, IntakeProblems.TooManySubmissionsDetail(perEmail: true, limited.RetryAfter));
            default:
                throw new InvalidOperationException("Unknown intake outcome.");
        }
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
        logger.SubmissionInvalid(errors.Count, string.Join(",", errors.Keys.Select(k => IntakeFields.All.Contains(k) || k == IntakeFields.Body || k == IntakeFields.DataPoints ? k : "(unknown field)")));
        return Problem(errors);
    }

    private static ValidationProblem Problem(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request has problems. Nothing was saved.", detail: $"Check these fields: {string.Join(", ", errors.Keys)}.");

    /// <summary>The JSON body, for the OpenAPI document (the reader itself is stricter than a binder).</summary>
    public sealed record SubmitRequestBody(string Type, string Email, string FullName, string? Jurisdiction, string? AccountReference, string? Details, IReadOnlyDictionary<string, string>? DataPoints);
}
