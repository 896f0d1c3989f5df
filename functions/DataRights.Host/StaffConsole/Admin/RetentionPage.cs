using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Pages;
using DataRights.Host.Retention;
using DataRights.Host.Staff;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>
/// <c>/staff/retention</c> (administrators): each region's purge timer and retention rules, read-only, as the staff API
/// lists them (<see cref="RetentionPolicyEndpoints.RegionsAsync"/>): for each rule the sources holding its category, the
/// category's name, how long it is kept in words, and why. Rules are changed through the staff API.
/// </summary>
public static class RetentionPage
{
    public static async Task<IResult> ShowAsync(HttpContext context, IRetentionPolicyStore store, ISourceRegistrationStore registrations, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var regions = await RetentionPolicyEndpoints.RegionsAsync(store, context.RequestAborted);
        var active = (await registrations.ListAsync(context.RequestAborted)).Where(s => s.Active).Select(s => s.Registration).ToList();
        var sections = Html.Join(regions.Select(region => Region(region, active)));
        return ConsoleLayout.Page(context, "Retention", user, csrf, Html.Of($"""
            <h1>Retention policies</h1>
            <p>How long each kind of personal data is kept in each region. Every night each region's purge removes records past their time, except those under a legal hold or kept for a request.</p>
            {sections}
            """));
    }

    private static HtmlString Region(RetentionRegionResponse region, IReadOnlyList<SourceRegistration> sources)
    {
        var name = AdminTexts.Region(region.Region);
        var timer = PurgeRegions.Find(region.Region) is { } known ? AdminTexts.Schedule(known) : "No timer";
        var changed = region.UpdatedAt is { } at ? Html.Of($"""<p class="hint">Rules last changed {ConsoleTexts.Time(at)} by {Evidence.EvidenceText.Actor(region.UpdatedBy ?? string.Empty)}.</p>""") : HtmlString.Empty;
        if (region.Rules.Count == 0)
        {
            return Html.Of($"""
                <h2>{name}</h2>
                <p>Purge: {timer}.</p>
                <p>No rules: nothing is purged by age in this region.</p>
                """);
        }

        var rows = Html.Join(region.Rules.Select(rule =>
        {
            var holding = sources.Where(s => s.Categories.Any(c => c.Key == rule.Category)).ToList();
            var category = holding.Count > 0 ? CategoryNames.Of(holding[0], rule.Category) : CategoryNames.FromKey(rule.Category);
            var where = holding.Count == 0 ? "No active source holds it" : string.Join(", ", holding.Select(s => s.DisplayName));
            return Html.Of($"""
                <tr>
                <th scope="row">{category}</th>
                <td>{where}</td>
                <td>{AdminTexts.KeptFor(rule)}</td>
                <td>{rule.Basis}</td>
                </tr>
                """);
        }));
        return Html.Of($"""
            <h2>{name}</h2>
            <p>Purge: {timer}.</p>
            <table class="console-table">
            <caption class="visually-hidden">Retention rules in {name}</caption>
            <thead><tr><th scope="col">Data</th><th scope="col">Held in</th><th scope="col">Kept for</th><th scope="col">Why</th></tr></thead>
            <tbody>
            {rows}
            </tbody>
            </table>
            {changed}
            """);
    }
}
