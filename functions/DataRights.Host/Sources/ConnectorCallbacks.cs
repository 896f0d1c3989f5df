using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Core.Workflow;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using DataRights.Host.Links;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// Asynchronous answers from HTTP sources (contract: 202 now, a signed callback later). Each call
/// carries its own callback address holding a signed token bound to the request, the step, the round
/// and the source; the callback itself must also be signed with the source's shared secret within the
/// replay window. The first valid answer completes the step; later ones are refused (409).
/// </summary>
public sealed class ConnectorCallbacks(LinkTokens tokens, IOptions<DataRightsOptions> options, IOptions<WorkflowOptions> workflow, TimeProvider time)
{
    public const string RoutePrefix = "/api/callbacks/";

    /// <summary>The address a source posts its later answer for this step to.</summary>
    public Uri Create(string requestId, SourceStep step, string sourceKey, int round)
    {
        // Valid a day past the step's own time limit, so a late answer is refused as late (409), not as forged.
        var expires = time.GetUtcNow() + workflow.Value.AwaitedAnswerTimeout + TimeSpan.FromDays(1);
        var token = tokens.Create(LinkPurposes.Callback, requestId, RequestDecider.StepTag(step, sourceKey, round), Recipient(sourceKey), expires);
        return new Uri(options.Value.LinkBase + RoutePrefix + token);
    }

    internal static string Recipient(string sourceKey) => "source:" + sourceKey;
}

/// <summary>
/// <c>POST /api/callbacks/{token}</c>: where HTTP sources post answers they promised with a 202 (discovery, erasure, or a
/// copy for an export), and on-premises agents the answers to their commands (the same shapes, and purge counts).
/// </summary>
public static class ConnectorCallbackEndpoints
{
    public static IEndpointRouteBuilder MapConnectorCallbacks(this IEndpointRouteBuilder app)
    {
        app.MapPost(ConnectorCallbacks.RoutePrefix + "{token}", AnswerAsync).DisableAntiforgery().WithMetadata(Http.JsonBodyLimit.OwnReading)
            .WithSummary("A source system's later answer to a discovery, erasure or export it accepted with 202 (see docs/http-connector-contract.md).");
        app.MapPost(ConnectorCallbacks.RoutePrefix + "{token}/proceed", ProceedAsync).DisableAntiforgery().WithMetadata(Http.JsonBodyLimit.OwnReading)
            .WithSummary("An on-premises agent asks, just before it erases, whether the step may still be carried out (see docs/agent.md).");
        return app;
    }

    /// <summary>
    /// <c>POST /api/callbacks/{token}/proceed</c>: an on-premises agent's check just before it erases a person's records
    /// for a request's step, signed as its answers are. A command may wait on the queue for hours (the agent offline), so
    /// the step may have closed, or a legal hold been placed, since it was sent. 200 <c>{"proceed": true}</c>: go on.
    /// 409: do nothing, as the step no longer waits for an answer, or a legal hold now covers the person or the source (the
    /// step is then recorded as held, as it would have been had the hold stood when the command was sent).
    /// </summary>
    private static async Task<IResult> ProceedAsync(
        string token, HttpContext context, LinkTokens tokens, IRequestStore store, IDataSourceRegistry sources, ILegalHoldStore holds, WorkflowEngine engine, TimeProvider time)
    {
        var (claims, problem) = tokens.Read(token, LinkPurposes.Callback, time.GetUtcNow());
        if (problem == LinkProblem.Expired)
        {
            return Problem(StatusCodes.Status410Gone, "This callback address has expired.", "The step was closed; do nothing.");
        }

        if (problem == LinkProblem.None && claims is not null && AgentWaitedAnswers.SourceOf(claims.Step) is { } waitedSource)
        {
            return await WaitedProceedAsync(claims, waitedSource, context, sources, holds);
        }

        if (problem != LinkProblem.None || claims is null || RequestDecider.ParseStepTag(claims.Step) is not { Step: SourceStep.Execute } step
            || claims.RecipientHash != LinkTokens.HashRecipient(ConnectorCallbacks.Recipient(step.Source))
            || sources.Connector(step.Source) is not AgentSourceConnector connector)
        {
            return Problem(StatusCodes.Status404NotFound, "This callback address is not valid.", "Use the callback address exactly as it was sent.");
        }

        if (await ReadSignedAsync(context, connector, "check") is { Problem: { } unsigned })
        {
            return unsigned;
        }

        var request = await store.GetAsync(claims.RequestId, context.RequestAborted);
        if (request is null || !RequestDecider.IsOpenStep(request, step.Step, step.Source, step.Round) || request.Progress.Source(step.Source) is not { } source)
        {
            return Problem(StatusCodes.Status409Conflict, "This step is not waiting for an answer.", "It was answered already, timed out, or is no longer needed: do nothing.");
        }

        if (request.Type == Core.Requests.RequestType.Erasure
            && (await holds.ListAsync(context.RequestAborted)).FirstOrDefault(h => h.Covers(request.Email, step.Source)) is { } hold)
        {
            await engine.ApplyAsync(request.Id, CarryOutAtSourceStep.Held(hold, connector, source, step.Round), context.RequestAborted);
            return Problem(StatusCodes.Status409Conflict, "A legal hold now covers these records.", "Erase nothing: the step was recorded as held.");
        }

        return Results.Ok(new { proceed = true });
    }

    /// <summary>A copy of a person's records posted later (an export answer) may be this large; every other answer, <see cref="BoundedBody.MaxBytes"/>.</summary>
    public const int MaxExportAnswerBytes = 32 * 1024 * 1024;

    private static async Task<IResult> AnswerAsync(
        string token, HttpContext context, LinkTokens tokens, IRequestStore store, IDataSourceRegistry sources, WorkflowEngine engine, Exports.ExportFiles exports,
        AgentWaitedAnswers waitedAnswers, TimeProvider time)
    {
        var (claims, problem) = tokens.Read(token, LinkPurposes.Callback, time.GetUtcNow());
        if (problem == LinkProblem.Expired)
        {
            return Problem(StatusCodes.Status410Gone, "This callback address has expired.", "The step was closed; ask the privacy team to retry it.");
        }

        if (problem == LinkProblem.None && claims is not null && AgentWaitedAnswers.SourceOf(claims.Step) is { } waitedSource)
        {
            return await WaitedAnswerAsync(claims, waitedSource, context, sources, waitedAnswers);
        }

        if (problem != LinkProblem.None || claims is null || RequestDecider.ParseStepTag(claims.Step) is not { } step
            || claims.RecipientHash != LinkTokens.HashRecipient(ConnectorCallbacks.Recipient(step.Source))
            || sources.Connector(step.Source) is not ISignedAnswerSource connector)
        {
            return Problem(StatusCodes.Status404NotFound, "This callback address is not valid.", "Use the callback address exactly as it was sent.");
        }

        var request = await store.GetAsync(claims.RequestId, context.RequestAborted);
        var export = step.Step == SourceStep.Execute && request is not null && RequestDecider.ProducesExport(request.Type);
        var limit = export ? MaxExportAnswerBytes : BoundedBody.MaxBytes;
        var body = await BoundedBody.ReadAsync(context.Request, limit, context.RequestAborted);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "The answer is too large.", $"This answer may be at most {limit} bytes.");
        }

        if (!connector.IsFromSource(context.Request.Headers["X-DataRights-Timestamp"], context.Request.Headers["X-DataRights-Signature"], body))
        {
            return Problem(StatusCodes.Status401Unauthorized, "The answer is not signed correctly.",
                "Sign timestamp + \".\" + body with the shared secret, with a timestamp within 300 seconds of now.", "X-DataRights-Signature");
        }

        // Read here rather than by the shared guard: the size allowed depends on the step, and the signature comes first.
        if (Http.JsonBodyGuard.Check(body) is { } unreadable)
        {
            return Problem(StatusCodes.Status400BadRequest, "The answer is not valid JSON text.", unreadable.Message, unreadable.Field);
        }

        if (request is null || !RequestDecider.IsOpenStep(request, step.Step, step.Source, step.Round))
        {
            return Problem(StatusCodes.Status409Conflict, "This step is not waiting for an answer.", "It was answered already, timed out, or is no longer needed.");
        }

        WorkflowEvent e;
        var actor = $"system:{step.Source}:callback";
        try
        {
            e = ReportedError(body) is { } error
                ? step.Step == SourceStep.Discover
                    ? new SourceDiscoveryFailed(actor, step.Source, step.Round, "The system reported: " + error)
                    : new SourceExecutionFailed(actor, step.Source, step.Round, "The system reported: " + error)
                : step.Step == SourceStep.Discover
                    ? new SourceDiscovered(actor, step.Source, step.Round, HttpSourceConnector.ParseDiscovery(body))
                    : export
                        // The copy goes into the source's sealed part first; the step completes only once it is there.
                        ? new SourceExecuted(actor, step.Source, step.Round, await exports.WritePartAsync(
                            request.Id, step.Source, sink => HttpSourceConnector.WriteExportAsync(body, sink, context.RequestAborted), context.RequestAborted))
                        : new SourceExecuted(actor, step.Source, step.Round, HttpSourceConnector.ParseErasure(body));
        }
        catch (InvalidDataException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "The answer is not in the contract's shape.", ex.Message, "body");
        }

        var decision = await engine.ApplyAsync(request.Id, e, context.RequestAborted);
        return decision is { Changed: true }
            ? Results.NoContent()
            : Problem(StatusCodes.Status409Conflict, "This step is not waiting for an answer.", "It was answered already, timed out, or is no longer needed.");
    }

    /// <summary>
    /// The check before a command outside a request's steps (a purge, a follow-up erasure) deletes anything: 409 when a
    /// legal hold now covers the whole system; otherwise 200 with the hashes of the people held now
    /// (<c>{"proceed": true, "held": [...]}</c>), whom the agent spares, whatever the command said when it was sent.
    /// </summary>
    private static async Task<IResult> WaitedProceedAsync(LinkClaims claims, string sourceKey, HttpContext context, IDataSourceRegistry sources, ILegalHoldStore holds)
    {
        if (claims.RecipientHash != LinkTokens.HashRecipient(ConnectorCallbacks.Recipient(sourceKey)) || sources.Connector(sourceKey) is not AgentSourceConnector agent)
        {
            return Problem(StatusCodes.Status404NotFound, "This callback address is not valid.", "Use the callback address exactly as it was sent.");
        }

        if (await ReadSignedAsync(context, agent, "check") is { Problem: { } unsigned })
        {
            return unsigned;
        }

        var active = (await holds.ListAsync(context.RequestAborted)).Where(h => h.Active).ToList();
        if (active.Exists(h => h.Scope == LegalHold.SourceScope && h.SourceKey == sourceKey))
        {
            return Problem(StatusCodes.Status409Conflict, "A legal hold now covers this system.", "Delete nothing there while it stands.");
        }

        var held = active.Where(h => h.Scope == LegalHold.PersonScope && h.SubjectHash is not null).Select(h => h.SubjectHash!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return Results.Ok(new { proceed = true, held });
    }

    /// <summary>An agent's answer to a command outside a request's steps (a purge, a follow-up erasure): handed to the call waiting for it in this process.</summary>
    private static async Task<IResult> WaitedAnswerAsync(LinkClaims claims, string sourceKey, HttpContext context, IDataSourceRegistry sources, AgentWaitedAnswers waitedAnswers)
    {
        if (claims.RecipientHash != LinkTokens.HashRecipient(ConnectorCallbacks.Recipient(sourceKey)) || sources.Connector(sourceKey) is not AgentSourceConnector agent)
        {
            return Problem(StatusCodes.Status404NotFound, "This callback address is not valid.", "Use the callback address exactly as it was sent.");
        }

        var (body, problem) = await ReadSignedAsync(context, agent, "answer");
        if (problem is not null)
        {
            return problem;
        }

        if (Http.JsonBodyGuard.Check(body) is { } unreadable)
        {
            return Problem(StatusCodes.Status400BadRequest, "The answer is not valid JSON text.", unreadable.Message, unreadable.Field);
        }

        return waitedAnswers.TryComplete(claims.RequestId, body)
            ? Results.NoContent()
            : Problem(StatusCodes.Status409Conflict, "Nothing is waiting for this answer here.", "It was answered already, timed out, or waits in another instance; try again later.");
    }

    /// <summary>An agent's body of at most <see cref="BoundedBody.MaxBytes"/>, signed with its shared secret; otherwise the problem to answer.</summary>
    private static async Task<(byte[] Body, IResult? Problem)> ReadSignedAsync(HttpContext context, AgentSourceConnector agent, string what)
    {
        var body = await BoundedBody.ReadAsync(context.Request, BoundedBody.MaxBytes, context.RequestAborted);
        if (body is null)
        {
            return ([], Problem(StatusCodes.Status413PayloadTooLarge, $"The {what} is too large.", $"It may be at most {BoundedBody.MaxBytes} bytes."));
        }

        return agent.IsFromSource(context.Request.Headers["X-DataRights-Timestamp"], context.Request.Headers["X-DataRights-Signature"], body)
            ? (body, null)
            : (body, Problem(StatusCodes.Status401Unauthorized, $"The {what} is not signed correctly.",
                "Sign timestamp + \".\" + body with the shared secret, with a timestamp within 300 seconds of now.", "X-DataRights-Signature"));
    }

    /// <summary>An answer <c>{"error": "..."}</c> reports that the system could not do the step; its text is kept short and plain.</summary>
    private static string? ReportedError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                var text = error.GetString()!.Trim();
                text = text.Length > 200 ? text[..200] : text;
                if (text.Length == 0 || TextRules.HasForbiddenCharacters(text, multiLine: false))
                {
                    throw new InvalidDataException("The error must be a short line of plain text.");
                }

                return text;
            }

            return null;
        }
        catch (JsonException)
        {
            throw new InvalidDataException("The system's answer is not valid JSON.");
        }
    }

    private static IResult Problem(int status, string title, string detail, string? field = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title,
            extensions: field is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = field });
}
