using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Core.Workflow;
using DataRights.Host.Pages;

namespace DataRights.Host.Links;

/// <summary>What the approval page and the staff console both show an approver: what was found, what approving will do, and the fields a correction or objection needs.</summary>
public static class ApprovalTexts
{
    public static HtmlString InstructionFields(DataSubjectRequest r) => r.Type switch
    {
        RequestType.Rectification => Html.Of($"""
            <fieldset><legend>What should each detail say? Fill in only those to correct (the requester wrote: "{r.Details ?? "no details"}")</legend>
            {Html.Join(ActionInstructions.CorrectableFields.Select(f => Html.Of($"""<div class="field"><label for="correct-{f}">Corrected {Correction.PlainName(f)}</label><input type="text" id="correct-{f}" name="correct-{f}" maxlength="200"></div>""")))}
            </fieldset>
            """),
        RequestType.Objection => Html.Of($"""
            <fieldset><legend>What does the person object to?</legend>
            <div class="field"><input type="radio" id="objection-marketing" name="objection" value="direct-marketing" checked> <label for="objection-marketing">Direct marketing (always honoured: we stop and keep a suppression entry)</label></div>
            <div class="field"><input type="radio" id="objection-other" name="objection" value="other-processing"> <label for="objection-other">Other processing (we weigh their grounds against ours)</label></div>
            </fieldset>
            """),
        _ => HtmlString.Empty,
    };

    public static ActionInstructions? InstructionsFrom(DataSubjectRequest r, IFormCollection form) => r.Type switch
    {
        RequestType.Rectification => new ActionInstructions
        {
            Corrections = [.. ActionInstructions.CorrectableFields
                .Select(f => new Correction(f, form["correct-" + f].ToString().Trim()))
                .Where(c => c.Value.Length > 0)],
        },
        RequestType.Objection => new ActionInstructions
        {
            Objection = Kebab.TryParse<ObjectionScope>(form["objection"].ToString(), out var scope) ? scope : ObjectionScope.DirectMarketing,
        },
        _ => null,
    };

    /// <summary>
    /// Per source with findings, what carrying the request out will do there, category by category for an erasure; where a
    /// legal hold in <paramref name="holds"/> covers the person at a source, that nothing is erased there while it stands,
    /// as the carrying out will find.
    /// </summary>
    public static HtmlString WhatApprovingDoes(DataSubjectRequest r, Dictionary<string, SourceRegistration> registered, IReadOnlyList<LegalHold> holds)
    {
        ArgumentNullException.ThrowIfNull(holds);
        if (RequestDecider.AnsweredWithCategories(r))
        {
            return Html.Of($"<li>We email the requester the categories of personal information found in each system, and why they get no copy. No system is asked for a copy, and nothing changes.</li>");
        }

        var lines = r.Progress.Sources.Where(s => s.Findings is { RecordCount: > 0 }).Select(s =>
        {
            var reg = registered.GetValueOrDefault(s.Key);
            // A read-only system is skipped by the rights that change data, as the decider skips it.
            var plan = reg?.Access == "read" && RequestDecider.ChangesData(r.Type) ? "nothing changes: we can only read this system."
                : r.Type == RequestType.Erasure && holds.FirstOrDefault(h => h.Covers(r.Email, s.Key)) is { } hold
                    ? $"nothing is erased here while a legal hold stands ({hold.Reason.TrimEnd('.')}); the person is told so."
                : r.Type != RequestType.Erasure ? AtTheSource(r.Type, reg)
                : string.Join("; ", s.Findings!.Categories.Select(c => Erasure(CategoryNames.Of(reg, c), reg?.Categories.FirstOrDefault(p => p.Key == c), r.Jurisdiction))) + ".";
            return Html.Of($"<li>{s.DisplayName}: {plan}</li>");
        }).ToList();
        return lines.Count == 0 ? Html.Of($"<li>Nothing was found, so nothing will change.</li>") : Html.Join(lines);
    }

    /// <summary>
    /// What approving a request other than an erasure does at a source that holds the person's data. A source whose
    /// connector restricts and corrects through its categories' settings (SQL, Azure Table) says beforehand what it cannot
    /// do by itself, which the privacy team then does by hand; any other source decides when it runs.
    /// </summary>
    private static string AtTheSource(RequestType type, SourceRegistration? reg)
    {
        var bySettings = reg?.ConnectorType is "sqlite" or "postgres" or SourceRegistrationValidator.AzureTableType;
        var corrects = bySettings ? ActionInstructions.CorrectableFields.Where(f => reg!.Categories.Any(c => c.Queries.ContainsKey("rectify." + f))).ToList() : null;
        return type switch
        {
            RequestType.Rectification when corrects is { Count: 0 } => "this system cannot correct details by itself: the privacy team checks it by hand.",
            RequestType.Rectification when corrects is not null && corrects.Count < ActionInstructions.CorrectableFields.Count =>
                $"the corrections you give below to their {string.Join(" or ", corrects.Select(Correction.PlainName))} are made here; any other detail is checked by hand.",
            RequestType.Objection when bySettings => reg!.Categories.Where(c => c.Key.StartsWith(CategoryPolicy.MarketingPrefix, StringComparison.Ordinal)).Select(CategoryNames.Of).ToList() is { Count: > 0 } marketing
                ? $"if the objection is to direct marketing, {Plural.List(marketing)} deleted here; if to other processing, nothing changes here."
                : "nothing changes here: this system holds no direct marketing data, and an objection to other processing is weighed by the privacy team.",
            RequestType.Restriction when bySettings && !reg!.Categories.Any(c => c.Queries.ContainsKey("restrict")) =>
                "this system cannot mark records as restricted: the privacy team makes sure their data is not used until the restriction is lifted.",
            _ => AtTheSource(type),
        };
    }

    private static string AtTheSource(RequestType type) => type switch
    {
        RequestType.Access => "their records are copied into the export emailed to them.",
        RequestType.Portability => "the data they gave us is copied into the export emailed to them.",
        RequestType.Rectification => "the corrections you give below are made where this system holds those details.",
        RequestType.Restriction => "their data is only stored, not used, until the restriction is lifted.",
        RequestType.Objection => "the objection is carried out as you choose below (direct marketing stopped, or the other use weighed against it).",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static string Erasure(string category, CategoryPolicy? policy, Jurisdiction jurisdiction) => policy?.Strategy switch
    {
        "delete" => $"{category} deleted",
        "mask" => $"{category} anonymised (the records stay, without the personal data)",
        "retain" when RetentionPeriod.TryParse(policy.RetentionPeriod, out var period) =>
            $"{category} kept for {period.Describe()} from each record's date because {ErasureExceptions.Cite(policy.LegalBasis ?? string.Empty, ErasureExceptions.GroundOf(policy), jurisdiction)}, then deleted",
        "retain" => $"{category} kept because {ErasureExceptions.Cite(policy.LegalBasis ?? string.Empty, ErasureExceptions.GroundOf(policy), jurisdiction)}",
        _ => $"{category}: left to the system's own erasure (no rule is set for it here)",
    };

    public static string SourceSummary(SourceProgress s, SourceRegistration? registration) => s.Discovery switch
    {
        StepState.Succeeded when s.Findings is { RecordCount: > 0 } f => $"{Plural.Count(f.RecordCount, "record")}: {string.Join(", ", f.Categories.Select(c => CategoryNames.Of(registration, c)))}{(f.AccountReferenceMatched ? " (account reference matched)" : string.Empty)}",
        StepState.Succeeded => "nothing found",
        StepState.Failed => $"search FAILED: {s.DiscoveryError}",
        _ => "no answer yet",
    };
}
