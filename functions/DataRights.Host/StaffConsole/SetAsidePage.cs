using System.Globalization;
using System.Security.Claims;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Durable;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.StaffConsole.Admin;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// <c>/staff/set-aside</c> (approvers and administrators): requests received that could not be taken in, because taking
/// them in kept stopping the program or failed at every try for a day (<see cref="SubmissionTakeIns"/>). Each is kept with what the person sent, but has no
/// reference and nothing moves it on while the person's statutory deadline runs from its arrival. Staff can have one tried
/// again (a new run of its taking in starts at once, its stops counted afresh; the next hourly check starts it should the
/// task hub not start it then) or, once they have handled it by hand, remove it, saying what came of it, the day they
/// answered and how (what the person sent goes with it; that record is kept, <see cref="IHandledSubmissions"/>). The hourly check emails them about each one once a day.
/// </summary>
public static class SetAsidePage
{
    /// <summary>Submissions one page lists.</summary>
    public const int Listed = 100;

    /// <summary>Records of requests handled by hand one page lists.</summary>
    public const int HandledListed = 50;

    /// <summary>Records of requests handled by hand the CSV file holds at most.</summary>
    public const int HandledInCsv = 100_000;

    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["try-again"] = "Taking it in has started again. If it works, the person gets the email asking them to confirm their request and it leaves this page. If it stops DataRights three more times, it comes back here.",
        ["try-again-later"] = "It could not be started just now. It will be tried again at the next hourly check, within the hour. If it stops DataRights three more times, it comes back here.",
        ["removed"] = "You removed it and recorded how you handled it, under \u201cHandled by hand\u201d below. What the person sent is no longer kept.",
    };

    public static async Task<IResult> ShowAsync(HttpContext context, ISubmissionInbox inbox, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var notice = Notices.GetValueOrDefault(context.Request.Query["done"].ToString());
        return await RenderAsync(context, user!, csrf, inbox, notice, errors: null, posted: null, StatusCodes.Status200OK);
    }

    public static async Task<IResult> TryAgainAsync(
        string id, HttpContext context, ISubmissionInbox inbox, SubmissionTakeIns takeIns, IAntiforgery antiforgery, ILogger<ConsoleAccessLog> logger)
    {
        var (user, refusal) = await PostedAsync(context, antiforgery);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await SetAsideAsync(inbox, id, context.RequestAborted) is not { } submission
            || !await inbox.MarkAsync(id, submission.SetAside! with { TryAgain = true }, context.RequestAborted))
        {
            return NotFound(context, user!, antiforgery);
        }

        logger.SetAsideTriedAgain(id);
        try
        {
            // Marked first, so that should the start fail here the hourly check starts it.
            await takeIns.StartAgainAsync(id, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            logger.SetAsideNotStartedNow(id, ex.GetType().Name);
            return TypedResults.Redirect(ConsoleRoutes.SetAside + "?done=try-again-later");
        }

        return TypedResults.Redirect(ConsoleRoutes.SetAside + "?done=try-again");
    }

    public static async Task<IResult> RemoveAsync(
        string id, HttpContext context, ISubmissionInbox inbox, IHandledSubmissions handled, IAntiforgery antiforgery, ILogger<ConsoleAccessLog> logger)
    {
        var (user, refusal) = await PostedAsync(context, antiforgery);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await SetAsideAsync(inbox, id, context.RequestAborted) is not { } submission)
        {
            return NotFound(context, user!, antiforgery);
        }

        var services = context.RequestServices;
        var defaultJurisdiction = services.GetRequiredService<IOptions<DataRightsOptions>>().Value.DefaultJurisdiction;
        var regimes = services.GetRequiredService<DeadlineRegimes>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var regime = Describe(submission.Submission, defaultJurisdiction).Jurisdiction is { } where ? regimes.For(where) : null;
        var form = HandledByHandForm.Read(id, context.Request.Form);
        var errors = form.Check(
            regime is null ? DateOnly.FromDateTime(submission.ReceivedAt.UtcDateTime) : DeadlineCalculator.LocalDate(regime, submission.ReceivedAt),
            regime is null ? DateOnly.FromDateTime(now.UtcDateTime) : DeadlineCalculator.LocalDate(regime, now),
            out var outcome,
            out var answeredOn);
        if (errors.Count > 0)
        {
            var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
            return await RenderAsync(context, user!, csrf, inbox, notice: null, errors, form, StatusCodes.Status400BadRequest);
        }

        // The record first: should the removal fail after it, the request stays listed, and removing it again keeps the first record.
        await handled.RecordAsync(
            new HandledSubmission(
                id,
                submission.ReceivedAt,
                submission.Submission.Type,
                submission.Submission.Jurisdiction ?? defaultJurisdiction,
                DueOn(submission, defaultJurisdiction, regimes, services.GetRequiredService<DeadlineCalculator>()),
                submission.SetAside! with { TryAgain = false },
                now,
                user!.FindFirstValue(Staff.StaffRoles.NameClaim) ?? "unknown",
                form.Note,
                outcome,
                answeredOn),
            context.RequestAborted);
        await inbox.RemoveAsync(id, context.RequestAborted);
        logger.SetAsideRemoved(id);

        // Its note of the stops goes too. Removed already, the request is not harmed by a note left behind: said, not failed.
        if (context.RequestServices.GetService<IStepNotes>() is { } notes)
        {
            try
            {
                await notes.FinishedAsync(SubmissionTakeIns.StepOf(id), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.SetAsideNoteNotRemoved(id, ex.GetType().Name);
            }
        }

        return TypedResults.Redirect(ConsoleRoutes.SetAside + "?done=removed");
    }

    /// <summary>
    /// <see cref="ConsoleRoutes.HandledCsv"/>: every record of a request set aside and handled by hand (up to
    /// <see cref="HandledInCsv"/>), the latest first, as CSV (RFC 4180; text a spreadsheet would run as a formula quoted
    /// with an apostrophe), for an audit; never cached.
    /// </summary>
    public static async Task<IResult> HandledCsvAsync(HttpContext context, IHandledSubmissions handled)
    {
        ArgumentNullException.ThrowIfNull(handled);
        var (_, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var csv = new System.Text.StringBuilder();
        Line(csv, ["Received (UTC)", "Right", "Where they are", "Due", "Set aside (UTC)", "Why it was set aside", "What came of it", "Answered on", "Recorded (UTC)", "Recorded by", "How it was handled"]);
        foreach (var r in await handled.ListAsync(HandledInCsv, context.RequestAborted))
        {
            var (right, jurisdiction) = Describe(r.Type, r.Jurisdiction);
            Line(csv, [
                Instant(r.ReceivedAt), right, jurisdiction is { } where ? RequestTexts.Describe(where) : "Not recognised", r.DueOn is { } due ? Day(due) : string.Empty,
                Instant(r.SetAside.At), Why(r.SetAside), HandledByHandForm.Describe(r.Outcome), Day(r.AnsweredOn), Instant(r.HandledAt), r.HandledBy, r.Note,
            ]);
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "Requests handled by hand.csv");

        static void Line(System.Text.StringBuilder csv, IReadOnlyList<string> cells) => csv.AppendJoin(',', cells.Select(Exports.Csv.Cell)).Append("\r\n");
        static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The right a kept submission asks for, in staff's words, and the jurisdiction it is under (validated when it came).</summary>
    public static (string Right, Jurisdiction? Jurisdiction) Describe(IntakeSubmission submission, string defaultJurisdiction)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return Describe(submission.Type, submission.Jurisdiction ?? defaultJurisdiction);
    }

    /// <summary>The right <paramref name="type"/> (as sent), in staff's words, and the jurisdiction <paramref name="jurisdiction"/> (as sent).</summary>
    private static (string Right, Jurisdiction? Jurisdiction) Describe(string? type, string? jurisdiction)
    {
        var right = WireNames.TryParseSentType(type, out var parsed) ? ConsoleTexts.Right(parsed) : "A right not recognised";
        Jurisdiction? where = WireNames.TryParseSentJurisdiction(jurisdiction, out var j) ? j : null;
        return (right, where);
    }

    /// <summary>The date the request is due by, counted from its arrival under its jurisdiction's clock; null when the place is not recognised.</summary>
    public static DateOnly? DueOn(ReceivedSubmission submission, string defaultJurisdiction, DeadlineRegimes regimes, DeadlineCalculator calculator)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(regimes);
        ArgumentNullException.ThrowIfNull(calculator);
        return Describe(submission.Submission, defaultJurisdiction).Jurisdiction is { } j ? calculator.Compute(regimes.For(j), submission.ReceivedAt).DueOn : null;
    }

    /// <summary>Why a submission was set aside, as a sentence without its full stop (the console and the staff email).</summary>
    public static string Why(SubmissionSetAside setAside)
    {
        ArgumentNullException.ThrowIfNull(setAside);
        return setAside.Failure is null
            ? $"Taking it in stopped DataRights {Plural(setAside.Stops, "time")} before it finished"
            : "Taking it in failed at every try for a day after it arrived";
    }

    /// <summary>The signed-in member of staff who posted a form that can be read, or the answer to give instead.</summary>
    private static async Task<(ClaimsPrincipal? User, IResult? Refusal)> PostedAsync(HttpContext context, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        return refusal is not null ? (null, refusal)
            : await FormPosts.CheckAsync(context, antiforgery) is { } refused ? (null, refused)
            : (user, null);
    }

    /// <summary>The submission <paramref name="id"/>, when it is kept and set aside.</summary>
    private static async Task<ReceivedSubmission?> SetAsideAsync(ISubmissionInbox inbox, string id, CancellationToken cancellationToken) =>
        id.Length <= 64 && await inbox.GetAsync(id, cancellationToken) is { SetAside: not null } submission ? submission : null;

    private static IResult NotFound(HttpContext context, ClaimsPrincipal user, IAntiforgery antiforgery) =>
        ConsoleLayout.Page(context, "Not found", user, antiforgery.GetAndStoreTokens(context).RequestToken!, Html.Of($"""
            <h1>Not found</h1>
            <p>No request set aside has this address: it may have been taken in or removed already. Nothing was changed. <a href="{ConsoleRoutes.SetAside}">Back to the requests set aside</a></p>
            """), StatusCodes.Status404NotFound);

    /// <summary>The records of requests handled by hand, the latest first, as a table; a sentence when there are none.</summary>
    private static HtmlString HandledByHand(IReadOnlyList<HandledSubmission> records)
    {
        if (records.Count == 0)
        {
            return Html.Of($"<p>No request set aside has been handled by hand yet.</p>");
        }

        var rows = Html.Join(records.Select(r =>
        {
            var (right, jurisdiction) = Describe(r.Type, r.Jurisdiction);
            var due = r.DueOn is { } dueOn ? ConsoleTexts.Date(dueOn) : "Not known";
            return Html.Of($"""
                <tr><td>{right}</td><td>{ConsoleTexts.Time(r.ReceivedAt)}</td><td>{(jurisdiction is { } where ? RequestTexts.Describe(where) : "Not recognised")}</td><td>{due}</td><td>{ConsoleTexts.Time(r.SetAside.At)}. {Why(r.SetAside)}.</td><td>{HandledByHandForm.Describe(r.Outcome)}, answered {ConsoleTexts.Date(r.AnsweredOn)}</td><td>{ConsoleTexts.Time(r.HandledAt)}, by {r.HandledBy}</td><td class="note">{r.Note}</td></tr>
                """);
        }));
        return Html.Of($"""
            <table class="console-table">
            <caption class="visually-hidden">Requests handled by hand, the most recent first</caption>
            <thead><tr><th scope="col">Right</th><th scope="col">Received</th><th scope="col">Where they are</th><th scope="col">Due</th><th scope="col">Set aside</th><th scope="col">What came of it</th><th scope="col">Recorded</th><th scope="col">How</th></tr></thead>
            <tbody>
            {rows}
            </tbody>
            </table>
            """);
    }

    private static async Task<IResult> RenderAsync(HttpContext context, ClaimsPrincipal user, string csrf, ISubmissionInbox inbox, string? notice,
        IReadOnlyDictionary<string, string>? errors, HandledByHandForm? posted, int statusCode)
    {
        var services = context.RequestServices;
        var defaultJurisdiction = services.GetRequiredService<IOptions<DataRightsOptions>>().Value.DefaultJurisdiction;
        var regimes = services.GetRequiredService<DeadlineRegimes>();
        var calculator = services.GetRequiredService<DeadlineCalculator>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var setAside = await inbox.ListSetAsideAsync(Listed, context.RequestAborted);
        var items = Html.Join(setAside.Select(s =>
        {
            var (right, jurisdiction) = Describe(s.Submission, defaultJurisdiction);
            var due = HtmlString.Empty;
            if (jurisdiction is { } j && DueOn(s, defaultJurisdiction, regimes, calculator) is { } dueOn)
            {
                var today = DeadlineCalculator.LocalDate(regimes.For(j), now);
                due = Html.Of($"""<dt>Due</dt><dd><span class="tag {ConsoleTexts.Urgency(dueOn, today)}">{ConsoleTexts.DaysLeft(dueOn, today, paused: false)}</span> {ConsoleTexts.Date(dueOn)}, counted from its arrival</dd>""");
            }

            var points = s.Submission.DataPoints is { Count: > 0 } given
                ? Html.Of($"""<dt>Details to check their identity</dt><dd>{Plural(given.Count, "detail")} given</dd>""")
                : HtmlString.Empty;
            var state = s.SetAside!.TryAgain
                ? Html.Of($"""<p class="notice-panel" role="status">You asked for it to be tried again. It could not be started then, so the next hourly check does so.</p>""")
                : Html.Of($"""
                    <form method="post" action="{ConsoleRoutes.TryAgain(s.Id)}">
                    {AdminForms.Csrf(csrf)}
                    <button type="submit">Try it again<span class="visually-hidden"> (the request received {ConsoleTexts.Time(s.ReceivedAt)})</span></button>
                    </form>
                    """);
            var handled = HandledByHandForm.HandledId(s.Id);
            var failure = s.SetAside.Failure is { } kind ? Html.Of($" <span class=\"hint\">Technical detail: {kind}</span>") : HtmlString.Empty;
            return Html.Of($"""
                <section class="set-aside" aria-labelledby="{handled}-heading">
                <h2 id="{handled}-heading">{right}, received {ConsoleTexts.Time(s.ReceivedAt)}</h2>
                <dl class="summary">
                <dt>Requester</dt><dd>{s.Submission.FullName ?? "no name given"} &lt;{s.Submission.Email ?? "no address given"}&gt;</dd>
                <dt>Where they are</dt><dd>{(jurisdiction is { } where ? RequestTexts.Describe(where) : "Not recognised")}</dd>
                {due}
                <dt>Account reference</dt><dd>{s.Submission.AccountReference ?? "none given"}</dd>
                <dt>Details given</dt><dd>{s.Submission.Details ?? "none"}</dd>
                {points}
                <dt>Set aside</dt><dd>{ConsoleTexts.Time(s.SetAside.At)}. {Why(s.SetAside)}.{failure}</dd>
                </dl>
                <h3>Once the fault is fixed</h3>
                <p>Taking it in starts again at once. If it works, the person gets the email asking them to confirm their request, as usual.</p>
                {state}
                <h3>Once you have handled it by hand</h3>
                <form method="post" action="{ConsoleRoutes.RemoveSetAside(s.Id)}" novalidate>
                {AdminForms.Csrf(csrf)}
                {HandledByHandForm.Fields(s.Id, posted, errors)}
                <button type="submit" class="secondary">Remove it<span class="visually-hidden"> (the request received {ConsoleTexts.Time(s.ReceivedAt)})</span></button>
                </form>
                </section>
                """);
        }));
        var body = setAside.Count == 0 ? Html.Of($"<p>No request is set aside.</p>") : items;
        var records = await services.GetRequiredService<IHandledSubmissions>().ListAsync(HandledListed, context.RequestAborted);
        return ConsoleLayout.Page(context, "Requests set aside", user, csrf, Html.Of($"""
            <p><a href="{ConsoleRoutes.Inbox}">Back to the open requests</a></p>
            {AdminForms.ErrorSummary(errors)}
            {AdminForms.Notice(notice)}
            <h1>Requests set aside</h1>
            <p>A request lands here when taking it in kept stopping DataRights, or failed at every try for a day. It is kept, but it has no reference and nothing moves it on, while the person's statutory deadline runs from when it arrived. The person was told we received it.</p>
            <p>Once whoever runs DataRights has fixed the fault, have it tried again. Or handle it by hand, then remove it, saying how you handled it.</p>
            {body}
            <h2>Handled by hand</h2>
            <p>What is kept of each request set aside that was removed once handled by hand, the most recent first (up to {HandledListed.ToString(CultureInfo.InvariantCulture)}): the evidence that it was answered. Nothing the person sent is kept beyond the right they asked for and where they are.</p>
            {HandledByHand(records)}
            {(records.Count == 0 ? HtmlString.Empty : Html.Of($"""<p><a href="{ConsoleRoutes.HandledCsv}" download>Download every record as a spreadsheet (CSV)</a></p>"""))}
            """), statusCode);
    }

    private static string Plural(int count, string word) => DataRights.Core.Text.Plural.Count(count, word);
}
