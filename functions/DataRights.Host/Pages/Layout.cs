using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Pages;

/// <summary>The page shell: language, landmarks, skip link, the operator's name, one stylesheet, no script.</summary>
public static class Layout
{
    /// <summary>
    /// A page for the person the data is about, or (<paramref name="forStaff"/>) for the privacy team (the approver's
    /// and a source's tasks reached by emailed links), whose header and footer say so rather than "your personal data".
    /// </summary>
    public static HtmlString Render(string title, string operatorName, HtmlString main, bool forStaff = false) => Html.Of($"""
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{title} – {operatorName}</title>
        <link rel="stylesheet" href="/assets/site.css">
        </head>
        <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header"><p class="operator">{operatorName}</p><p class="service">{(forStaff ? "Privacy team" : "Your personal data")}</p></header>
        <main id="main" tabindex="-1">
        {main}
        </main>
        <footer class="site-footer"><p>{operatorName}. {(forStaff ? "For the privacy team: this page shows a person's personal data. Do not forward it." : "This service answers requests about your personal data.")}</p></footer>
        </body>
        </html>
        """);

    public static HtmlString Message(string heading, string text) => Html.Of($"<h1>{heading}</h1>\n<p>{text}</p>");

    public static async Task WriteAsync(HttpContext context, string title, HtmlString main, int statusCode = StatusCodes.Status200OK)
    {
        var operatorName = context.RequestServices.GetRequiredService<IOptions<DataRightsOptions>>().Value.OperatorName;
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Render(title, operatorName, main).Value, context.RequestAborted);
    }

    public static IResult Page(HttpContext context, string title, HtmlString main, int statusCode = StatusCodes.Status200OK) =>
        Page(context, title, main, statusCode, forStaff: false);

    /// <summary>A page for the privacy team reached by an emailed link (an approval, a task at a source).</summary>
    public static IResult StaffPage(HttpContext context, string title, HtmlString main, int statusCode = StatusCodes.Status200OK) =>
        Page(context, title, main, statusCode, forStaff: true);

    public static IResult Page(HttpContext context, string title, HtmlString main, int statusCode, bool forStaff)
    {
        var operatorName = context.RequestServices.GetRequiredService<IOptions<DataRightsOptions>>().Value.OperatorName;
        return TypedResults.Content(Render(title, operatorName, main, forStaff).Value, "text/html; charset=utf-8", statusCode: statusCode);
    }

    public const string Stylesheet = """
        *,*::before,*::after{box-sizing:border-box}
        body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.1875rem;line-height:1.5;color:#0b0c0c;background:#fff}
        .skip-link{position:absolute;left:-9999px}
        .visually-hidden{position:absolute!important;width:1px;height:1px;margin:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        .skip-link:focus{left:1rem;top:1rem;background:#fd0;padding:.5rem;z-index:10}
        .site-header{background:#0b0c0c;color:#fff;padding:.75rem 1.5rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
        .site-header p{margin:0}.operator{font-weight:700}
        main{max-width:44rem;margin:0 auto;padding:1.5rem}
        .site-footer{border-top:1px solid #b1b4b6;padding:1rem 1.5rem;font-size:1rem;color:#505a5f}
        h1{font-size:2rem;line-height:1.2;margin:0 0 1rem}
        h2{font-size:1.5rem;margin:2rem 0 .75rem}
        a{color:#1d70b8}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}
        .field{margin-bottom:1.75rem}
        label,legend{display:block;font-weight:700;margin-bottom:.25rem}
        fieldset{border:0;margin:0 0 1.75rem;padding:0}
        legend{font-size:1.25rem}
        .hint{color:#505a5f;margin:0 0 .5rem;font-weight:400}
        input[type=text],input[type=email],input[type=date],select,textarea{width:100%;max-width:34rem;font:inherit;padding:.4rem;border:2px solid #0b0c0c;border-radius:0}
        input[type=date]{max-width:12rem}
        textarea{min-height:8rem}
        .radio{display:flex;gap:.6rem;align-items:flex-start;margin-bottom:.6rem}
        .radio input{width:1.5rem;height:1.5rem;margin-top:.15rem;flex:none}
        .radio label{font-weight:400;margin:0}
        .radio .hint{margin:0}
        button{font:inherit;font-weight:700;background:#00703c;color:#fff;border:0;padding:.6rem 1.2rem;box-shadow:0 2px 0 #002d18;cursor:pointer}
        button.warning{background:#d4351c;box-shadow:0 2px 0 #55150b}
        button.secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px 0 #929191}
        a.button{display:inline-block;font-weight:700;background:#00703c;color:#fff;padding:.6rem 1.2rem;text-decoration:none;box-shadow:0 2px 0 #002d18}
        .error-summary{border:4px solid #d4351c;padding:1rem 1.25rem;margin-bottom:2rem}
        .error-summary h2{margin-top:0}
        .error-summary a{color:#d4351c;font-weight:700}
        .error-message{color:#d4351c;font-weight:700;margin:0 0 .4rem}
        .field-error{border-left:5px solid #d4351c;padding-left:1rem}
        .field-error input,.field-error textarea,.field-error select{border-color:#d4351c}
        .panel{background:#00703c;color:#fff;padding:1.5rem;text-align:center;margin-bottom:2rem}
        .panel h1{margin-bottom:.5rem}.panel .reference{font-size:1.6rem;font-weight:700;margin:0;overflow-wrap:anywhere}
        dl.summary{display:grid;grid-template-columns:minmax(9rem,auto) 1fr;gap:.4rem 1.5rem;margin:0 0 1.5rem}
        dl.summary dt{font-weight:700}dl.summary dd{margin:0;overflow-wrap:anywhere}
        ol.timeline{padding-left:1.25rem}ol.timeline li{margin-bottom:.5rem}
        main.console{max-width:72rem}
        .console-nav{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:1rem;border-bottom:1px solid #b1b4b6;padding:.5rem 1.5rem}
        .console-nav ul{list-style:none;display:flex;gap:1.5rem;margin:0;padding:0}
        .console-nav a[aria-current=page]{font-weight:700;color:#0b0c0c}
        .console-nav .who{margin:0}
        form.inline{display:inline}
        button.link{background:none;border:0;box-shadow:none;color:#1d70b8;text-decoration:underline;padding:0;font-weight:400}
        table.console-table{border-collapse:collapse;width:100%;margin-bottom:1.5rem;font-size:1rem}
        .console-table th,.console-table td{text-align:left;vertical-align:top;border-bottom:1px solid #b1b4b6;padding:.5rem .75rem .5rem 0}
        .console-table thead th{border-bottom:2px solid #0b0c0c}
        .tag{display:inline-block;padding:.1rem .45rem;font-weight:700;border:2px solid transparent}
        .tag.overdue{background:#d4351c;color:#fff}
        .tag.soon{background:#ffdd00;color:#0b0c0c}
        .tag.later{background:#f3f2f1;color:#0b0c0c;border-color:#b1b4b6}
        .filters{display:flex;flex-wrap:wrap;gap:0 1.25rem;align-items:flex-end;background:#f3f2f1;padding:1rem;margin-bottom:1.5rem}
        .filters .field,.filters .radio{margin-bottom:.75rem}
        .filters input[type=text],.filters select{max-width:16rem}
        .filters button{margin-bottom:.75rem}
        .notice-panel{border-left:6px solid #00703c;background:#f3f2f1;padding:.75rem 1rem;margin-bottom:1.5rem}
        .notice-panel p{margin:0}
        .notice-panel.problem{border-left-color:#d4351c}
        .console-table td.number{text-align:right;font-variant-numeric:tabular-nums}
        .lead{font-size:1.3rem}
        .chain.ok{border-left:6px solid #00703c;padding-left:.75rem}
        .chain.broken{border-left:6px solid #d4351c;padding-left:.75rem}
        section.action{border-top:1px solid #b1b4b6;padding-top:.5rem;margin-bottom:1.5rem}
        section.action h3{margin:.5rem 0 .75rem}
        .link-box{overflow-wrap:anywhere;background:#f3f2f1;padding:.75rem;font-family:ui-monospace,monospace;font-size:1rem}
        pre.email-copy{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f2f1;border-left:6px solid #b1b4b6;padding:1rem;font-family:ui-monospace,monospace;font-size:1rem;max-width:48rem}
        """;
}
