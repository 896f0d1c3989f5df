using DataRights.Core.Requests;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Host.Pages;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>
/// The legal-hold part of a request's page (administrators): the holds on the requester's data, each with a button to lift
/// it, and a form to place one with a reason. Both post to the holds page's addresses (<c>POST /staff/holds</c>,
/// <c>POST /staff/holds/{id}/lift</c>) and come back to the request with a notice (<see cref="Notices"/>).
/// </summary>
public static class HoldForms
{
    /// <summary>What administrators are told after a hold went through (<c>?done=</c>), on the holds page and on a request's page.</summary>
    public static readonly IReadOnlyDictionary<string, string> Notices = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["hold-placed"] = "You placed the legal hold. Nothing it covers is erased or purged while it stands.",
        ["hold-lifted"] = "You lifted the legal hold. Erasures it held back are finished by the next purge.",
    };

    /// <summary>The holds in force on the person with <paramref name="email"/> (a person is held by a hash of their address).</summary>
    public static IReadOnlyList<LegalHold> ForPerson(IEnumerable<LegalHold> holds, string email)
    {
        ArgumentNullException.ThrowIfNull(holds);
        return EmailAddress.TryNormalize(email, out var normalized)
            ? [.. holds.Where(h => h.Active && h.Scope == LegalHold.PersonScope && h.SubjectHash == LegalHold.HashSubject(normalized))]
            : [];
    }

    /// <summary>
    /// The section for <paramref name="r"/>'s page: <paramref name="holdsForThisPerson"/> (from <see cref="ForPerson"/>) with
    /// a button to lift each, and a form to place a hold on this requester's data.
    /// </summary>
    public static HtmlString ForRequest(DataSubjectRequest r, IReadOnlyList<LegalHold> holdsForThisPerson, string csrf)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(holdsForThisPerson);
        var back = ConsoleRoutes.Request(r.Id);
        var current = holdsForThisPerson.Count == 0
            ? Html.Of($"<p>No legal hold covers this requester's data.</p>")
            : Html.Of($"""
                <p>This requester's data is under a legal hold: none of it is erased or purged while the hold stands.</p>
                <ul>{Html.Join(holdsForThisPerson.Select(h => Html.Of($"""
                    <li>{h.Reason} <span class="hint">since {ConsoleTexts.Time(h.PlacedAt)}, by {Evidence.EvidenceText.Actor(h.PlacedBy)}</span>
                    {LiftButton(h, csrf, back, "Lift this hold")}</li>
                    """)))}</ul>
                """);
        return Html.Of($"""
            <section class="action" aria-labelledby="legal-hold">
            <h2 id="legal-hold">Legal hold</h2>
            {current}
            <form method="post" action="{AdminRoutes.Holds}" novalidate>
            {AdminForms.Csrf(csrf)}
            <input type="hidden" name="scope" value="{LegalHold.PersonScope}">
            <input type="hidden" name="email" value="{r.Email}">
            <input type="hidden" name="returnUrl" value="{back}">
            <div class="field"><label for="hold-reason">Reason for a hold on this requester's data</label><p class="hint" id="hold-reason-hint">For example the claim or case it protects, 10 to 500 characters. It is quoted in the requester's completion email.</p><input type="text" id="hold-reason" name="reason" maxlength="500" aria-describedby="hold-reason-hint"></div>
            <button type="submit" class="secondary">Place a legal hold on this requester's data</button>
            </form>
            </section>
            """);
    }

    /// <summary>A hold's lift button, coming back to <paramref name="returnUrl"/>.</summary>
    internal static HtmlString LiftButton(LegalHold hold, string csrf, string returnUrl, string text) => Html.Of($"""
        <form method="post" action="{AdminRoutes.HoldLift(hold.Id)}" class="inline">{AdminForms.Csrf(csrf)}<input type="hidden" name="returnUrl" value="{returnUrl}"><button type="submit" class="link">{text}</button></form>
        """);
}
