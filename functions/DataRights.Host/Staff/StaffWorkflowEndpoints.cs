using System.Globalization;
using System.Security.Claims;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using DataRights.Host.Http;
using DataRights.Host.Requests;
using DataRights.Host.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Staff;

/// <summary>
/// Staff actions on requests (<c>/api/admin/requests</c>): list open ones (overdue first), enter a
/// request received by post, phone or email, verify identity, approve, reject, ask for information,
/// extend the deadline, retry failed steps.
/// </summary>
public static class StaffWorkflowEndpoints
{
    private static readonly string[] StaffEntryFields = ["channel", "receivedAt"];

    public static IEndpointRouteBuilder MapStaffWorkflow(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/requests").RequireAuthorization(StaffRoles.ApproverPolicy).WithTags("Staff").DisableAntiforgery();
        group.MapGet("/", ListAsync).WithName("ListOpenRequests").TakesOnlyQuery("max", "continuationToken")
            .WithSummary("Open requests, soonest due first (so overdue ones lead), overdue flagged; ?max= per page (default 100, at most 500), then ?continuationToken= from the previous page");
        group.MapPost("/", EnterAsync).WithName("EnterRequest").WithSummary("Enter a request received by post, phone or email").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapPost("/{id}/verify", VerifyAsync);
        group.MapPost("/{id}/approve", (string id, ApproveBody body, HttpContext c, WorkflowEngine e) =>
            body.Instructions(out var instructions) is { Count: > 0 } problems
                ? Task.FromResult<IResult>(TypedResults.ValidationProblem(problems.ToDictionary(p => p.Key, p => new[] { p.Value }), title: "The approval has problems. Nothing was changed."))
                : ApplyAsync(id, new ApprovalGranted(Actor(c), Trimmed(body.Note), null, instructions), c, e));
        group.MapPost("/{id}/reject", (string id, RejectBody body, HttpContext c, WorkflowEngine e) =>
            body.Problems(out var reason) is { Count: > 0 } problems
                ? Task.FromResult<IResult>(TypedResults.ValidationProblem(problems, title: "The rejection has problems. Nothing was changed."))
                : ApplyAsync(id, new RequestRejected(Actor(c), reason, Trimmed(body.Note)), c, e));
        group.MapPost("/{id}/ask", (string id, QuestionBody body, HttpContext c, WorkflowEngine e) =>
            !IsText(body.Question, 2000, multiLine: true)
                ? Task.FromResult<IResult>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["question"] = ["Write the question for the requester (up to 2000 characters, no control characters)."] }))
                : ApplyAsync(id, new InformationRequested(Actor(c), body.Question!.Trim()), c, e));
        group.MapPost("/{id}/extend", (string id, ReasonBody body, HttpContext c, WorkflowEngine e) =>
            !IsText(body.Reason, 1000, multiLine: true)
                ? Task.FromResult<IResult>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Give the reason the requester will be told (up to 1000 characters, no control characters)."] }))
                : ApplyAsync(id, new DeadlineExtended(Actor(c), body.Reason!.Trim()), c, e));
        group.MapPost("/{id}/retry", (string id, HttpContext c, WorkflowEngine e) => ApplyAsync(id, new RetryRequested(Actor(c)), c, e));
        return app;
    }

    /// <summary>Staff verify by hand: recorded as such, with the reason, which is required where the level asks for more than the email.</summary>
    private static async Task<IResult> VerifyAsync(string id, NoteBody body, HttpContext context, WorkflowEngine engine, IRequestStore store)
    {
        var reason = Trimmed(body.Note);
        if (reason is { Length: > 1000 } || (reason is not null && Core.Text.TextRules.HasForbiddenCharacters(reason, multiLine: true)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["Give the reason in up to 1000 characters, without control characters."] });
        }

        if (reason is null && await store.GetAsync(id, context.RequestAborted) is { } request
            && engine.VerificationPolicy.For(request.Jurisdiction, request.Type) is { NeedsMoreThanEmail: true } level)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["note"] = [$"This request needs {level.Describe()}. To verify the requester by hand instead, give the reason you are satisfied that they are who they say they are."],
            });
        }

        return await ApplyAsync(id, new IdentityVerified(Actor(context), IdentityVerified.ByStaff, null) { Reason = reason }, context, engine);
    }

    /// <summary>Whether <paramref name="value"/> is text a person may be sent: not blank, at most <paramref name="max"/> characters, no control or direction characters.</summary>
    private static bool IsText(string? value, int max, bool multiLine) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim().Length <= max && !Core.Text.TextRules.HasForbiddenCharacters(value, multiLine);

    private static string? Trimmed(string? value) => value?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>An optional note's problem, keyed <paramref name="field"/>: too long, or with control or direction characters.</summary>
    private static void CheckNote(string? note, int max, string field, Dictionary<string, string[]> problems)
    {
        if (note is not null && (note.Trim().Length > max || Core.Text.TextRules.HasForbiddenCharacters(note, multiLine: true)))
        {
            problems[field] = [$"Write the note in up to {max} characters, without control characters."];
        }
    }

    public static string Actor(HttpContext context) => "staff:" + (context.User.FindFirstValue(StaffRoles.NameClaim) ?? "unknown");

    private static async Task<IResult> ApplyAsync(string id, WorkflowEvent e, HttpContext context, WorkflowEngine engine)
    {
        var decision = await engine.ApplyAsync(id, e, context.RequestAborted);
        if (decision is null)
        {
            return TypedResults.NotFound();
        }

        return decision.Refused is { } refused
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not allowed now", detail: refused)
            : TypedResults.Ok(StaffRequestResponse.From(decision.Request));
    }

    /// <summary>Requests listed per page when <c>max</c> is not given, and the most one page may hold.</summary>
    public const int DefaultPageSize = 100;

    public const int MaxPageSize = 500;

    private static async Task<Results<Ok<OpenRequestsResponse>, ValidationProblem>> ListAsync(
        string? max, string? continuationToken, HttpContext context, IRequestStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var size = DefaultPageSize;
        if (max is not null && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            errors["max"] = [$"Give max as a whole number from 1 to {MaxPageSize}."];
        }

        OpenRequestCursor? after = null;
        if (continuationToken is not null && (after = ContinuationTokens.Read(continuationToken)) is null)
        {
            errors["continuationToken"] = ["Give the continuationToken exactly as the previous page returned it."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The list request has problems.", detail: RequestProblems.CheckFields(errors.Keys));
        }

        var page = await store.ListOpenPageAsync(size, after, cancellationToken);
        var token = page.Next is { } next ? ContinuationTokens.Write(next) : null;
        var nextUrl = token is null ? null : $"/api/admin/requests?max={size.ToString(CultureInfo.InvariantCulture)}&continuationToken={Uri.EscapeDataString(token)}";
        if (nextUrl is not null)
        {
            context.Response.Headers.Link = $"<{nextUrl}>; rel=\"next\"";
        }

        return TypedResults.Ok(new OpenRequestsResponse(
            [.. page.Items.Select(r => new OpenRequest(r.Id, r.Reference, r.Type.Name(), r.Status.Name(), r.Jurisdiction.Name(), r.Deadline.DueOn,
                r.Progress.Overdue, StatutoryClock.IsPaused(r.Progress), r.Progress.Alerts.Count))],
            token,
            nextUrl));
    }

    private static async Task<IResult> EnterAsync(HttpContext context, IntakeService intake, DeadlineRegimes regimes, TimeProvider time, IOptions<Hosting.DataRightsOptions> options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var body = await BoundedBody.ReadAsync(context.Request, BoundedBody.MaxBytes, context.RequestAborted);
        if (body is null)
        {
            errors[IntakeFields.Body] = [$"The request body is larger than {BoundedBody.MaxBytes / 1024} KiB."];
            return TypedResults.ValidationProblem(errors);
        }

        var submission = IntakeJsonReader.Read(body, errors, StaffEntryFields, out var extras);
        if (submission is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!WireNames.TryParseChannel(extras.GetValueOrDefault("channel"), out var channel) || channel is IntakeChannel.WebForm or IntakeChannel.Api)
        {
            errors["channel"] = ["Say how the request arrived: email, post, phone or in_person."];
        }

        var jurisdiction = WireNames.TryParseJurisdiction(submission.Jurisdiction?.Trim().ToUpperInvariant() ?? options.Value.DefaultJurisdiction, out var j) ? j : Jurisdiction.Other;
        var today = DeadlineCalculator.LocalDate(regimes.For(jurisdiction), time.GetUtcNow());
        if (!DateOnly.TryParseExact(extras.GetValueOrDefault("receivedAt"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var receivedOn))
        {
            errors["receivedAt"] = ["Give the date the request was received, as YYYY-MM-DD."];
        }
        else if (receivedOn > today || receivedOn < today.AddYears(-1))
        {
            errors["receivedAt"] = ["The date received must be today or earlier, and within the last year."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await intake.SubmitAsync(submission, channel, receivedOn, Actor(context), context.RequestAborted);
        return outcome switch
        {
            IntakeOutcome.Accepted a => TypedResults.Created($"/api/admin/requests/{a.Request.Id}", RequestsApiEndpoints.ToResponse(context, options.Value, a)),
            IntakeOutcome.Invalid i => TypedResults.ValidationProblem(i.Errors),
            _ => throw new InvalidOperationException("Unknown intake outcome."),
        };
    }

    public sealed record NoteBody(string? Note);

    /// <summary>An approval; a rectification says what to correct, an objection what it is to (<c>direct-marketing</c> by default, or <c>other-processing</c>).</summary>
    public sealed record ApproveBody(string? Note, List<Correction>? Corrections, string? Objection)
    {
        public IReadOnlyDictionary<string, string> Instructions(out ActionInstructions? instructions)
        {
            instructions = null;
            var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
            CheckNote(Note, 2000, "note", problems);
            if (problems.Count > 0)
            {
                return problems.ToDictionary(p => p.Key, p => p.Value[0], StringComparer.Ordinal);
            }

            if (Corrections?.IndexOf(null!) is >= 0 and var missing)
            {
                return new Dictionary<string, string> { [$"corrections[{missing}]"] = "Give each correction as a field and a value." };
            }

            var scope = default(ObjectionScope?);
            if (Objection is not null)
            {
                if (!Kebab.TryParse<ObjectionScope>(Objection, out var parsed))
                {
                    return new Dictionary<string, string> { ["objection"] = "Choose direct-marketing or other-processing." };
                }

                scope = parsed;
            }

            if (Corrections is null && scope is null)
            {
                return new Dictionary<string, string>();
            }

            instructions = new ActionInstructions { Corrections = [.. (Corrections ?? []).Select(c => c with { Field = c.Field?.Trim().ToLowerInvariant() ?? string.Empty, Value = c.Value?.Trim() ?? string.Empty })], Objection = scope };
            return instructions.Problems();
        }
    }

    /// <summary>A rejection: why (<c>reason</c>), and for <c>other</c> the explanation the requester is sent (<c>note</c>).</summary>
    public sealed record RejectBody(string? Reason, string? Note)
    {
        public Dictionary<string, string[]> Problems(out RejectionReason reason)
        {
            var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (!WireNames.TryParseRejectionReason(Reason, out reason))
            {
                problems["reason"] = [$"Choose one of: {string.Join(", ", WireNames.AllRejectionReasons)}."];
            }
            else if (reason == RejectionReason.Other && string.IsNullOrWhiteSpace(Note))
            {
                problems["note"] = ["Explain the reason to the requester: with \"other\" the email gives them your words."];
            }

            CheckNote(Note, 2000, "note", problems);
            return problems;
        }
    }

    public sealed record QuestionBody(string? Question);

    public sealed record ReasonBody(string? Reason);

    /// <summary>One page of open requests; <paramref name="ContinuationToken"/> and <paramref name="Next"/> are set when more follow.</summary>
    public sealed record OpenRequestsResponse(IReadOnlyList<OpenRequest> Requests, string? ContinuationToken, string? Next);

    public sealed record OpenRequest(string Id, string Reference, string Type, string Status, string Jurisdiction, DateOnly DueDate, bool Overdue, bool ClockPaused, int Alerts);
}
