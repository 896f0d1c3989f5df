using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;
using DataRights.Host.Http;
using DataRights.Host.Links;
using DataRights.Host.Pages;
using DataRights.Host.Staff;
using DataRights.Host.StaffConsole.Evidence;
using DataRights.Host.Workflow;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// <c>POST /staff/requests/{id}/{action}</c>: the console's forms apply the same workflow events as the staff API
/// (verify by hand, approve, reject, ask, extend, retry), in the signed-in person's name. A form with problems, or an
/// action the request does not allow now, changes nothing and shows the request again saying why.
/// </summary>
public static class RequestActions
{
    public static async Task<IResult> ApplyAsync(string id, string action, HttpContext context, IRequestStore store, ISourceRegistrationStore registrations,
        DeadlineRegimes regimes, TimeProvider time, WorkflowEngine engine, IAntiforgery antiforgery, EvidencePackBuilder evidence, ILogger<ConsoleAccessLog> logger)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!RequestPage.ActionNotices.ContainsKey(action))
        {
            return TypedResults.NotFound();
        }

        if (await FormPosts.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        if (await store.GetAsync(id, context.RequestAborted) is not { } request)
        {
            return RequestPage.NotFound(context, user!, csrf);
        }

        var form = context.Request.Form;
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var e = EventFor(action, request, form, StaffWorkflowEndpoints.Actor(context), engine, errors);
        if (e is null)
        {
            logger.ConsoleAction(action, id, "form had problems");
            return await RequestPage.RenderAsync(context, user!, csrf, request, registrations, regimes, time, evidence, HtmlString.Empty, errors, StatusCodes.Status400BadRequest);
        }

        var decision = await engine.ApplyAsync(id, e, context.RequestAborted);
        if (decision?.Refused is { } refusedWhy)
        {
            // A decision taken on the page as it was in an earlier round of approval (a question was asked and answered
            // since, say) is not made: the person deciding has not seen what changed.
            var why = refusedWhy == RequestDecider.StaleLink ? MovedOn : refusedWhy;
            logger.ConsoleAction(action, id, "not allowed now");
            var current = decision.Request;
            return await RequestPage.RenderAsync(context, user!, csrf, current, registrations, regimes, time, evidence, HtmlString.Empty,
                new Dictionary<string, string> { ["action-" + action] = why }, StatusCodes.Status409Conflict);
        }

        logger.ConsoleAction(action, id, "done");
        return TypedResults.Redirect(ConsoleRoutes.Request(id) + "?done=" + action);
    }

    /// <summary>What a decision taken on a page from an earlier round of approval is told.</summary>
    public const string MovedOn = "This request has moved on since you opened this page (its approval round changed), so nothing was changed. Read it again below before you decide.";

    private static WorkflowEvent? EventFor(string action, DataSubjectRequest r, IFormCollection form, string actor, WorkflowEngine engine, Dictionary<string, string> errors)
    {
        // The round of approval the page showed, for the decisions taken at approval: made only while it is still the one.
        var step = ActionStep.Parse(form["step"].ToString()) is { Kind: ActionStepKind.Approval } shown ? shown : null;
        string? Text(string field, int max, string missing, bool required)
        {
            var value = form[field].ToString().Trim();
            if (value.Length > max)
            {
                errors[field] = $"Write at most {max} characters.";
                return null;
            }

            if (value.Length == 0 && required)
            {
                errors[field] = missing;
            }

            return value.Length == 0 ? null : value;
        }

        switch (action)
        {
            case "verify":
                var needsReason = engine.VerificationPolicy.For(r.Jurisdiction, r.Type) is { NeedsMoreThanEmail: true };
                var reason = Text("verify-reason", 1000, "Give the reason you are satisfied that the requester is who they say they are.", needsReason);
                return errors.Count > 0 ? null : new IdentityVerified(actor, IdentityVerified.ByStaff, null) { Reason = reason };
            case "approve":
                var note = Text("approve-note", 500, string.Empty, required: false);
                var instructions = ApprovalTexts.InstructionsFrom(r, form);
                if (instructions is not null)
                {
                    foreach (var (field, problem) in instructions.Problems())
                    {
                        var index = field.StartsWith("corrections[", StringComparison.Ordinal) && int.TryParse(field.AsSpan(12, field.IndexOf(']', StringComparison.Ordinal) - 12), out var i) ? i : -1;
                        errors[index >= 0 && index < instructions.Corrections.Count ? "correct-" + instructions.Corrections[index].Field : "approve-note"] = problem;
                    }

                    if (r.Type == RequestType.Rectification && instructions.Corrections.Count == 0)
                    {
                        errors["correct-" + ActionInstructions.CorrectableFields[0]] = "Fill in at least one detail to correct.";
                    }
                }

                return errors.Count > 0 ? null : new ApprovalGranted(actor, note, null, instructions, step);
            case "ask":
                var question = Text("ask-question", 2000, "Write the question for the requester.", required: true);
                return errors.Count > 0 ? null : new InformationRequested(actor, question!, null, step);
            case "reject":
                var rejectNote = Text("reject-note", 2000, string.Empty, required: false);
                if (!WireNames.TryParseRejectionReason(form["reason"].ToString(), out var why))
                {
                    errors["reject-reason"] = "Choose a reason from the list.";
                }
                else if (why == RejectionReason.Other && rejectNote is null)
                {
                    errors["reject-note"] = "Explain the reason to the requester.";
                }

                return errors.Count > 0 ? null : new RequestRejected(actor, why, rejectNote, null, step);
            case "extend":
                var extendReason = Text("extend-reason", 1000, "Give the reason the requester will be told.", required: true);
                return errors.Count > 0 ? null : new DeadlineExtended(actor, extendReason!);
            default:
                return new RetryRequested(actor);
        }
    }
}
