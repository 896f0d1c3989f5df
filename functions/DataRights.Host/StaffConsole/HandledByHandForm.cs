using System.Globalization;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Pages;
using DataRights.Host.StaffConsole.Admin;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// The form that removes a request set aside once staff have handled it by hand (<see cref="SetAsidePage"/>): what came of
/// it, the day the person was answered, how it was handled, and the confirmation; read, checked (every problem named by
/// its field) and shown again with what was written.
/// </summary>
internal sealed record HandledByHandForm(string Id, string Note, bool Confirmed, string Outcome, string Answered)
{
    /// <summary>The longest note of how a request was handled by hand.</summary>
    public const int NoteMaxLength = 2_000;

    private const string ConfirmedField = "handled";
    private const string NoteField = "how";
    private const string OutcomeField = "outcome";
    private const string AnsweredField = "answered";

    private static readonly (HandledOutcome Outcome, string Label)[] Outcomes =
    [
        (HandledOutcome.Done, "Done as they asked"),
        (HandledOutcome.DoneInPart, "Done in part: some of it refused or kept back, with reasons given to them"),
        (HandledOutcome.Refused, "Refused, with reasons given to them"),
        (HandledOutcome.Withdrawn, "They withdrew it"),
    ];

    /// <summary>The form as posted for the request set aside <paramref name="id"/>.</summary>
    public static HandledByHandForm Read(string id, IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new HandledByHandForm(
            id,
            form[NoteField].ToString().Trim(),
            form[ConfirmedField].ToString() == "yes",
            form[OutcomeField].ToString().Trim(),
            form[AnsweredField].ToString().Trim());
    }

    /// <summary>What came of it, as a person reads it.</summary>
    public static string Describe(HandledOutcome outcome) => outcome switch
    {
        HandledOutcome.Done => "Done as they asked",
        HandledOutcome.DoneInPart => "Done in part",
        HandledOutcome.Refused => "Refused",
        _ => "Withdrawn by them",
    };

    /// <summary>
    /// The problems of the form, by field id (none when it can be recorded), for a request received on
    /// <paramref name="receivedOn"/>, <paramref name="today"/> being today on the same calendar; with the outcome and the
    /// day answered read from it.
    /// </summary>
    public Dictionary<string, string> Check(DateOnly receivedOn, DateOnly today, out HandledOutcome outcome, out DateOnly answeredOn)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Kebab.TryParse(Outcome, out outcome))
        {
            errors[OutcomeId(Id)] = "Say what came of the request.";
        }

        if (!DateOnly.TryParseExact(Answered, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out answeredOn))
        {
            errors[AnsweredId(Id)] = Answered.Length == 0
                ? "Give the day you answered them."
                : "Give the day you answered them as year, month and day, for example " + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".";
        }
        else if (answeredOn < receivedOn)
        {
            errors[AnsweredId(Id)] = "The day you answered them cannot be before the request arrived, on " + ConsoleTexts.Date(receivedOn) + ".";
        }
        else if (answeredOn > today)
        {
            errors[AnsweredId(Id)] = "The day you answered them cannot be later than today.";
        }

        if (Note.Length == 0)
        {
            errors[NoteId(Id)] = "Say how you handled this request, so that the record shows it.";
        }
        else if (Note.Length > NoteMaxLength)
        {
            errors[NoteId(Id)] = string.Create(CultureInfo.InvariantCulture, $"Say how you handled this request in {NoteMaxLength:N0} characters or fewer (you wrote {Note.Length:N0}).");
        }

        if (!Confirmed)
        {
            errors[HandledId(Id)] = "Confirm that you have handled this request by hand before you remove it.";
        }

        return errors;
    }

    /// <summary>The form's fields for the request set aside <paramref name="id"/>, with what was <paramref name="posted"/> for it and its problems.</summary>
    public static HtmlString Fields(string id, HandledByHandForm? posted, IReadOnlyDictionary<string, string>? errors)
    {
        var form = posted is { } p && p.Id == id ? p : new HandledByHandForm(id, string.Empty, false, string.Empty, string.Empty);
        var outcome = OutcomeId(id);
        var answered = AnsweredId(id);
        var how = NoteId(id);
        var handled = HandledId(id);
        var radios = Html.Join(Outcomes.Select((o, i) =>
        {
            var value = Kebab.Of(o.Outcome);
            var radio = i == 0 ? outcome : outcome + "-" + value;
            return Html.Of($"""<div class="radio"><input type="radio" id="{radio}" name="{OutcomeField}" value="{value}"{Checked(form.Outcome == value)}><label for="{radio}">{o.Label}</label></div>""");
        }));
        return Html.Of($"""
            <fieldset class="{AdminForms.FieldClass(errors, outcome)}"><legend>What came of it</legend>
            {AdminForms.Error(errors, outcome)}
            {radios}
            </fieldset>
            <div class="{AdminForms.FieldClass(errors, answered)}"><label for="{answered}">The day you answered them</label><p class="hint" id="{answered}-hint">As year, month and day. It counts in the metrics as the day the request was closed.</p>{AdminForms.Error(errors, answered)}<input type="date" id="{answered}" name="{AnsweredField}" value="{form.Answered}" aria-describedby="{AdminForms.DescribedBy(errors, answered)}"></div>
            <div class="{AdminForms.FieldClass(errors, how)}"><label for="{how}">How you handled it</label><p class="hint" id="{how}-hint">For the record: how you answered the person and where that is kept (a ticket's number, the mailbox), without their personal details, which are deleted. Up to {NoteMaxLength.ToString("N0", CultureInfo.InvariantCulture)} characters.</p>{AdminForms.Error(errors, how)}<textarea id="{how}" name="{NoteField}" rows="3" maxlength="{NoteMaxLength.ToString(CultureInfo.InvariantCulture)}" aria-describedby="{AdminForms.DescribedBy(errors, how)}">{form.Note}</textarea></div>
            <div class="{AdminForms.FieldClass(errors, handled)}">{AdminForms.Error(errors, handled)}<div class="radio"><input type="checkbox" id="{handled}" name="{ConfirmedField}" value="yes"{Checked(form.Confirmed)} aria-describedby="{AdminForms.DescribedBy(errors, handled)}"><label for="{handled}">I have handled this request by hand, outside DataRights</label></div><p class="hint" id="{handled}-hint">Removing it deletes what the person sent from DataRights and keeps a record of the request, what came of it, who handled it and how.</p></div>
            """);
    }

    /// <summary>The id of the confirmation's field for the request set aside <paramref name="id"/> (unique on the page, no personal data).</summary>
    public static string HandledId(string id) => "handled-" + Key(id);

    private static string NoteId(string id) => "how-" + Key(id);

    private static string OutcomeId(string id) => "outcome-" + Key(id);

    private static string AnsweredId(string id) => "answered-" + Key(id);

    private static string Key(string id) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..12];

    private static HtmlString Checked(bool yes) => yes ? new HtmlString(" checked") : HtmlString.Empty;
}
