using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.Sources;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.Links;

/// <summary>
/// <c>/purge-task/{token}</c>: where a manual source's owner confirms a retention purge done by hand. A GET
/// shows what to delete; the POST (anti-forgery checked) records how many records went, completing the
/// purge report's line and auditing it in the retention chain. A task already answered shows so.
/// </summary>
public static class PurgeTaskPages
{
    public static IEndpointRouteBuilder MapPurgeTaskPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/purge-task/{token}", ShowAsync).ExcludeFromDescription();
        app.MapPost("/purge-task/{token}", ConfirmAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private sealed record OwnerPurge(PurgeRun Run, PurgeRow Row, string SourceName, string CategoryName);

    private static async Task<IResult> ShowAsync(string token, HttpContext context, LinkTokens tokens, IPurgeStore store, IDataSourceRegistry sources, IAntiforgery antiforgery, TimeProvider time)
    {
        if (await ReadAsync(context, token, tokens, store, sources, time) is not { } task)
        {
            return Invalid(context);
        }

        if (!IsOpen(task))
        {
            return Done(context, task);
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        return Layout.StaffPage(context, "Retention task for " + task.SourceName, Html.Of($"""
            <h1>Delete old records in {task.SourceName}</h1>
            <dl class="summary">
            <dt>Records</dt><dd>{task.CategoryName}</dd>
            <dt>Dated before</dt><dd>{(task.Row.Cutoff is { } cutoff ? RequestTexts.LongDate(cutoff) : "see the email")}</dd>
            <dt>Purge run</dt><dd>{task.Run.Id} ({task.Run.Region})</dd>
            </dl>
            <p>Do not delete records of people under a legal hold: the task email says whether there are any.</p>
            <form method="post" action="/purge-task/{token}">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}">
            <div class="field"><label for="deleted">How many records did you delete?</label>
            <input type="text" inputmode="numeric" id="deleted" name="deleted" value="0"></div>
            <div class="field"><label for="note">Anything else we should know (optional; no personal data, please)</label><textarea id="note" name="note" rows="3" maxlength="500"></textarea></div>
            <button type="submit">Record what I deleted</button>
            </form>
            """));
    }

    private static async Task<IResult> ConfirmAsync(string token, HttpContext context, LinkTokens tokens, IPurgeStore store, IDataSourceRegistry sources, IAntiforgery antiforgery, TimeProvider time)
    {
        if (await ReadAsync(context, token, tokens, store, sources, time) is not { } task)
        {
            return Invalid(context);
        }

        if (await FormPosts.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var form = context.Request.Form;
        var note = form["note"].ToString().Trim();
        if (!int.TryParse(form["deleted"].ToString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var deleted) || deleted > 10_000_000
            || note.Length > 500 || TextRules.HasForbiddenCharacters(note, multiLine: true))
        {
            return Layout.StaffPage(context, "There is a problem", Layout.Message("There is a problem",
                "Give the number of records you deleted as a whole number (0 or more), and a note of at most 500 characters. Go back and try again. Nothing was recorded."), StatusCodes.Status400BadRequest);
        }

        if (!IsOpen(task))
        {
            return Done(context, task);
        }

        var now = time.GetUtcNow();
        var row = task.Row with
        {
            State = PurgeRow.Done,
            Scanned = deleted,
            Purged = deleted,
            Note = $"Deleted by hand by its owner, confirmed on {RequestTexts.LongDate(DateOnly.FromDateTime(now.UtcDateTime))}: {Plural.Count(deleted, "record")}." + (note.Length > 0 ? " Their note: " + note : string.Empty),
        };

        // The owner's note stays on the report line, out of the hash chain (which can never be changed); like the
        // report, the chain names the source whose owner answered, not the person (the link was theirs alone).
        var details = new Dictionary<string, string?>
        {
            ["run"] = row.RunId,
            ["source"] = row.SourceKey,
            ["category"] = row.Category,
            ["cutoff"] = row.Cutoff?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["purged"] = deleted.ToString(CultureInfo.InvariantCulture),
        };

        // Saved only while the line still waits: of two answers at once, on any instance, one is recorded.
        if (!await store.SaveRowIfAsync(row, PurgeRow.TaskSent, new AuditDraft(now, "owner of " + row.SourceKey, "purge.confirmed_by_owner", PurgeRow.TaskSent, PurgeRow.Done, details), context.RequestAborted))
        {
            return Done(context, task);
        }

        return Layout.StaffPage(context, "Thank you", Layout.Message("Thank you", "What you deleted is recorded in the purge report and its audit trail."));
    }

    private static async Task<OwnerPurge?> ReadAsync(HttpContext context, string token, LinkTokens tokens, IPurgeStore store, IDataSourceRegistry sources, TimeProvider time)
    {
        var (claims, problem) = tokens.Read(token, LinkPurposes.PurgeTask, time.GetUtcNow());
        if (problem != LinkProblem.None || claims is null || claims.Step.Split('|') is not [var sourceKey, var category])
        {
            return null;
        }

        if (sources.Connector(sourceKey) is not ManualSourceConnector manual || LinkTokens.HashRecipient(manual.Owner) != claims.RecipientHash
            || await store.GetAsync(claims.RequestId, context.RequestAborted) is not { } run)
        {
            return null;
        }

        var row = (await store.RowsAsync(run.Id, context.RequestAborted)).FirstOrDefault(r => r.SourceKey == sourceKey && r.Item == category && r.Kind == PurgeRow.AgeKind);
        var source = sources.ActiveSources().FirstOrDefault(s => s.Key == sourceKey);
        return row is null ? null : new OwnerPurge(run, row, source?.DisplayName ?? sourceKey, source?.CategoryName(category) ?? CategoryNames.FromKey(category));
    }

    /// <summary>
    /// The check the page and its form share: the link is bound to one purge run, source and category (its line of the
    /// report), and acts only while that line still waits for its owner.
    /// </summary>
    private static bool IsOpen(OwnerPurge task) => task.Row.State == PurgeRow.TaskSent;

    private static IResult Done(HttpContext context, OwnerPurge task) =>
        Layout.StaffPage(context, "Task already answered", Layout.Message("This task is done", $"What you deleted of {task.CategoryName} in {task.SourceName} for purge run {task.Run.Id} is already recorded. Thank you."));

    private static IResult Invalid(HttpContext context) => Layout.Page(context, "Link not valid", Layout.Message(
        "This link is not valid", "It may be incomplete, changed or expired. Open it again from the task email. Nothing was recorded."), StatusCodes.Status400BadRequest);
}
