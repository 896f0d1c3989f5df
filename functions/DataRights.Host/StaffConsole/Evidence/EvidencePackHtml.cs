using DataRights.Host.Pages;

namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>
/// The evidence pack as one standalone, print-ready HTML5 document. The site's CSP allows no inline style, so it links
/// the site stylesheet, whose print rules (<see cref="EvidencePackStyles"/>) lay it out on paper. Every value is encoded.
/// </summary>
public static class EvidencePackHtml
{
    public static string Render(EvidencePack pack)
    {
        var title = $"Evidence pack for request {pack.Reference}";
        return Html.Of($"""
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>{title} – {pack.OperatorName}</title>
            <link rel="stylesheet" href="/assets/site.css">
            </head>
            <body class="evidence">
            <main id="main">
            <h1>{title}</h1>
            <p class="evidence-meta">{pack.OperatorName}. Prepared on {EvidenceText.Time(pack.GeneratedAt)} from the request's record and its audit trail. It contains the requester's name and email address and no other personal data: keep it with the controller's records.</p>
            <h2 id="request">The request</h2>
            {Facts(pack.Request)}
            <h2 id="clock">The statutory clock</h2>
            {Facts(pack.Clock)}
            <h2 id="chain">The audit trail's integrity</h2>
            {Chain(pack.Chain)}
            <h2 id="systems">What was done in each system</h2>
            {Sources(pack.Sources)}
            <h2 id="recipients">Recipients told of the change ({pack.RecipientsLaw})</h2>
            {List(pack.Recipients)}
            <h2 id="timeline">Timeline</h2>
            {Timeline(pack.Timeline)}
            </main>
            </body>
            </html>
            """).Value;
    }

    private static HtmlString Facts(IReadOnlyList<EvidenceFact> facts) => Html.Of($"""
        <dl class="summary">
        {Html.Join(facts.Select(f => Html.Of($"<dt>{f.Label}</dt><dd>{f.Value}</dd>\n")))}</dl>
        """);

    private static HtmlString Chain(EvidenceChainCheck chain) => Html.Of($"""
        <p class="{(chain.Holds ? "chain-holds" : "chain-broken")}"><strong>{(chain.Holds ? "Holds." : "Broken.")}</strong> {chain.Summary}</p>
        <dl class="summary">
        <dt>Entries checked</dt><dd>{chain.EntryCount}</dd>
        <dt>Last entry the request records</dt><dd>Entry {chain.HeadSequence}</dd>
        <dt>Its hash (SHA-256)</dt><dd class="hash">{chain.HeadHash}</dd>
        </dl>
        """);

    private static HtmlString Sources(IReadOnlyList<EvidenceSource> sources) => sources.Count == 0
        ? Html.Of($"<p>No system was searched for this request.</p>")
        : Html.Join(sources.Select(s => Html.Of($"""
            <section class="evidence-source">
            <h3>{s.Name}</h3>
            <dl class="summary">
            <dt>Found</dt><dd>{s.Found}</dd>
            <dt>Done</dt><dd>{Lines(s.Done)}</dd>
            <dt>Problems and retries</dt><dd>{(s.Problems.Count == 0 ? Html.Of($"None.") : Lines(s.Problems))}</dd>
            <dt>Recipients</dt><dd>{(s.RecipientsTold.Count == 0 ? Html.Of($"Its data is not shared with anyone outside the company.") : Lines(s.RecipientsTold))}</dd>
            </dl>
            {Kept(s)}
            </section>

            """)));

    private static HtmlString Kept(EvidenceSource s) => s.Kept.Count == 0
        ? Html.Of($"<p>Nothing was kept back here.</p>")
        : Html.Of($"""
            <table class="evidence-table">
            <caption>Kept back in {s.Name}, and why</caption>
            <thead><tr><th scope="col">Records</th><th scope="col">Legal basis</th><th scope="col">Kept until</th></tr></thead>
            <tbody>
            {Html.Join(s.Kept.Select(k => Html.Of($"<tr><th scope=\"row\">{k.Records}</th><td>{k.Basis}</td><td>{k.Until}</td></tr>\n")))}</tbody>
            </table>
            """);

    private static HtmlString Timeline(IReadOnlyList<EvidenceEvent> events) => Html.Of($"""
        <table class="evidence-table timeline">
        <caption>Every entry of the audit trail, oldest first (times in UTC)</caption>
        <thead><tr><th scope="col">No.</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">What happened</th></tr></thead>
        <tbody>
        {Html.Join(events.Select(e => Html.Of($"<tr><th scope=\"row\">{e.Sequence}</th><td>{EvidenceText.ShortTime(e.At)}</td><td>{e.Who}</td><td>{e.What}</td></tr>\n")))}</tbody>
        </table>
        """);

    private static HtmlString Lines(IReadOnlyList<string> lines) =>
        lines.Count == 1 ? Html.Of($"{lines[0]}") : Html.Of($"<ul>{Html.Join(lines.Select(l => Html.Of($"<li>{l}</li>")))}</ul>");

    private static HtmlString List(IReadOnlyList<string> lines) => Html.Of($"<ul>{Html.Join(lines.Select(l => Html.Of($"<li>{l}</li>")))}</ul>");
}
