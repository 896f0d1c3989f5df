using System.Globalization;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Text;
using DataRights.Core.Workflow;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.Sources;
using DataRights.Host.Workflow;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.Links;

/// <summary>
/// <c>/task/{token}</c>: the page a manual source's owner opens from their task email. A GET shows
/// the person and the question; the POST (anti-forgery checked) records the answer, which completes
/// the step and goes into the audit trail as the owner's evidence. A task already answered shows so.
/// </summary>
public static class TaskPages
{
    public static IEndpointRouteBuilder MapTaskPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/task/{token}", ShowAsync).ExcludeFromDescription();
        app.MapPost("/task/{token}", AnswerAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private sealed record OwnerTask(DataSubjectRequest Request, LinkClaims Claims, SourceProgress Source, bool Discover, int Round, string Owner, string Token);

    private static async Task<IResult> ShowAsync(string token, HttpContext context, LinkTokens tokens, IRequestStore store, IDataSourceRegistry sources, IAntiforgery antiforgery, TimeProvider time)
    {
        if (await ReadAsync(context, token, tokens, store, sources, time) is not { } task)
        {
            return Invalid(context);
        }

        if (!task.Claims.AppliesTo(task.Request))
        {
            return Done(context, task, StatusCodes.Status200OK);
        }

        var r = task.Request;
        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var form = task.Discover
            ? Html.Of($"""
                <div class="field"><label for="records">How many records about this person did you find?</label>
                <input type="text" inputmode="numeric" id="records" name="records" value="0"></div>
                <div class="field"><label for="categories">What kinds of data (for example contact.email, billing.invoice)?</label>
                <input type="text" id="categories" name="categories"></div>
                """)
            : r.Type == RequestType.Erasure
            ? Html.Of($"""
                <div class="field"><label for="erased">How many records did you delete or anonymise?</label>
                <input type="text" inputmode="numeric" id="erased" name="erased" value="0"></div>
                <div class="field"><label for="retained">How many did you have to keep?</label>
                <input type="text" inputmode="numeric" id="retained" name="retained" value="0"></div>
                <div class="field"><label for="basis">Why were they kept (the law or reason), if any?</label>
                <input type="text" id="basis" name="basis"></div>
                """)
            : Html.Of($"""
                <p>{WhatToDo(r)}</p>
                <div class="field"><label for="done">How many records did you {Verb(r.Type)}?</label>
                <input type="text" inputmode="numeric" id="done" name="done" value="0"></div>
                """);
        return Layout.StaffPage(context, "Task for " + r.Reference, Html.Of($"""
            <h1>{(task.Discover ? "Search" : "Carry out the request in")} {task.Source.DisplayName}</h1>
            <dl class="summary">
            <dt>Request</dt><dd>{r.Reference}: {RequestTexts.Describe(r.Type).Label}</dd>
            <dt>Person</dt><dd>{r.FullName} &lt;{r.Email}&gt;</dd>
            <dt>Account reference</dt><dd>{r.AccountReference ?? "none given"}</dd>
            <dt>Due</dt><dd>{RequestTexts.LongDate(r.Deadline.DueOn)}</dd>
            </dl>
            <form method="post" action="/task/{token}">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}">
            {form}
            <div class="field"><label for="note">Anything else we should know (optional)</label><textarea id="note" name="note" rows="3" maxlength="2000"></textarea></div>
            <button type="submit">Record my answer</button>
            </form>
            """));
    }

    private static async Task<IResult> AnswerAsync(string token, HttpContext context, LinkTokens tokens, IRequestStore store, IDataSourceRegistry sources, IAntiforgery antiforgery, WorkflowEngine engine, TimeProvider time)
    {
        if (await ReadAsync(context, token, tokens, store, sources, time) is not { } task)
        {
            return Invalid(context);
        }

        if (await FormPosts.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        if (!task.Claims.AppliesTo(task.Request))
        {
            return Done(context, task, StatusCodes.Status409Conflict);
        }

        var form = context.Request.Form;
        var actor = "owner:" + task.Owner;
        WorkflowEvent? e = null;
        if (task.Discover && Count(form["records"]) is { } records)
        {
            var categories = form["categories"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(c => c.Length <= 60 && !TextRules.HasForbiddenCharacters(c, multiLine: false)).Take(20).ToList();
            e = new SourceDiscovered(actor, task.Source.Key, task.Round, new DiscoveryFindings(records, records > 0 ? categories : [], false));
        }
        else if (!task.Discover && task.Request.Type != RequestType.Erasure && Count(form["done"]) is { } done)
        {
            var type = task.Request.Type;
            var outcome = type switch
            {
                RequestType.Access or RequestType.Portability => new ExecutionOutcome(0, 0, done, 0, [], $"Copied by hand by {task.Source.DisplayName}'s owner and sent to the privacy team, who will pass it on."),
                RequestType.Rectification => new ExecutionOutcome(0, 0, 0, done, [], $"Corrected by hand by {task.Source.DisplayName}'s owner."),
                _ => new ExecutionOutcome(0, 0, 0, 0, [], $"Done by hand by {task.Source.DisplayName}'s owner ({Plural.Count(done, "record")} changed)."),
            };
            e = new SourceExecuted(actor, task.Source.Key, task.Round, outcome);
        }
        else if (!task.Discover && Count(form["erased"]) is { } erased && Count(form["retained"]) is { } retained)
        {
            var basis = form["basis"].ToString().Trim();
            if (retained == 0 || (basis.Length is >= 5 and <= 300 && !TextRules.HasForbiddenCharacters(basis, multiLine: false)))
            {
                var kept = retained > 0 ? new[] { new RetainedRecords(RetainedRecords.CountedByHandCategory, retained, basis, null) } : [];
                e = new SourceExecuted(actor, task.Source.Key, task.Round, new ExecutionOutcome(erased, 0, 0, 0, kept, $"Done by hand by {task.Source.DisplayName}'s owner."));
            }
        }

        if (e is null)
        {
            return Layout.StaffPage(context, "There is a problem", Layout.Message("There is a problem",
                "Give whole numbers (0 or more), and the reason when you kept records. Go back and try again. Nothing was recorded."), StatusCodes.Status400BadRequest);
        }

        // The step may have closed since the check above (another answer, a time limit): then nothing was recorded.
        var decision = await engine.ApplyAsync(task.Request.Id, e, context.RequestAborted);
        return decision is not { Changed: true }
            ? Done(context, task, StatusCodes.Status409Conflict)
            : Layout.StaffPage(context, "Thank you", Layout.Message("Thank you", $"Your answer for {task.Request.Reference} is recorded."));
    }

    private static string Verb(RequestType type) => type switch
    {
        RequestType.Access or RequestType.Portability => "copy and send to the privacy team",
        RequestType.Rectification => "correct",
        RequestType.Restriction => "mark as restricted (kept, but not used)",
        _ => "change",
    };

    private static string WhatToDo(DataSubjectRequest r) => r.Type switch
    {
        RequestType.Access or RequestType.Portability => "Send a copy of every record about this person to the privacy team (not to the person directly).",
        RequestType.Rectification when r.Progress.Approval?.Instructions is { Corrections.Count: > 0 } i =>
            "Correct these details: " + string.Join("; ", i.Corrections.Select(c => $"{c.Field} should be \"{c.Value}\"")) + ".",
        RequestType.Objection when r.Progress.Approval?.Instructions?.Objection == ObjectionScope.DirectMarketing => "Stop all direct marketing to this person: unsubscribe them from every list.",
        RequestType.Restriction => "Keep this person's records but stop using them (no processing other than storage) until we tell you otherwise.",
        _ => "Carry out the request as approved: " + (r.Details ?? "see the request") + ".",
    };

    /// <summary>A task answered already, or no longer needed (a later round, or the request moved on): nothing is recorded from it.</summary>
    private static IResult Done(HttpContext context, OwnerTask task, int status) =>
        Layout.StaffPage(context, "Task already answered", Layout.Message("This task is done",
            $"{task.Source.DisplayName} for {task.Request.Reference} has already been answered, or is no longer needed. Nothing was recorded from this link. Thank you."), status);

    private static int? Count(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 1_000_000 ? n : null;

    private static async Task<OwnerTask?> ReadAsync(HttpContext context, string token, LinkTokens tokens, IRequestStore store, IDataSourceRegistry sources, TimeProvider time)
    {
        var (claims, problem) = tokens.Read(token, LinkPurposes.Task, time.GetUtcNow());
        if (problem != LinkProblem.None || claims?.ActionStep is not { TaskStep: { } step, SourceKey: { } sourceKey } actionStep)
        {
            return null;
        }

        var request = await store.GetAsync(claims.RequestId, context.RequestAborted);
        if (request?.Progress.Source(sourceKey) is not { } source || sources.Connector(sourceKey) is not ManualSourceConnector manual
            || LinkTokens.HashRecipient(manual.Owner) != claims.RecipientHash)
        {
            return null;
        }

        return new OwnerTask(request, claims, source, step == SourceStep.Discover, actionStep.Round, manual.Owner, token);
    }

    private static IResult Invalid(HttpContext context) => Layout.Page(context, "Link not valid", Layout.Message(
        "This link is not valid", "It may be incomplete, changed or expired. Open it again from the task email. Nothing was recorded."), StatusCodes.Status400BadRequest);
}
