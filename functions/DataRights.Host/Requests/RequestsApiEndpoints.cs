using DataRights.Core.Requests;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Requests;

/// <summary>
/// POST /api/requests: the public JSON intake. Every valid submission is answered alike, 202 with
/// <see cref="SubmissionReceived"/>, whether it made a new request, repeats one the address has waiting (or made moments
/// ago), or found the address's limit on new requests reached: the answer never tells whoever sent it whether an address
/// has made a request. The reference, the status link and the dates go to the address, in the email that asks to confirm.
/// </summary>
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

    private static async Task<Results<Accepted<SubmissionReceived>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext context,
        IntakeService intake,
        IntakeRateLimiter rateLimiter,
        ILogger<IntakeService> logger)
    {
        if (rateLimiter.TryAcquireForClient(context.Connection.RemoteIpAddress?.ToString()) is { } clientWait)
        {
            return IntakeProblems.TooMany(context, clientWait, IntakeProblems.TooManySubmissions, IntakeProblems.TooManySubmissionsDetail(clientWait));
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

        var outcome = await intake.ReceiveAsync(submission, IntakeChannel.Api, context.RequestAborted);
        return outcome switch
        {
            IntakeOutcome.Invalid invalid => Problem(invalid.Errors),
            IntakeOutcome.Received => TypedResults.Accepted((string?)null, SubmissionReceived.Answer),
            _ => throw new InvalidOperationException("Unknown intake outcome."),
        };
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
        TypedResults.ValidationProblem(errors, title: "The request has problems. Nothing was saved.", detail: RequestProblems.CheckFields(errors.Keys));

    /// <summary>The JSON body, for the OpenAPI document (the reader itself is stricter than a binder).</summary>
    public sealed record SubmitRequestBody(string Type, string Email, string FullName, string? Jurisdiction, string? AccountReference, string? Details, IReadOnlyDictionary<string, string>? DataPoints);
}
