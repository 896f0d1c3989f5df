using DataRights.Host.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Email;

/// <summary>
/// Local try-out only (Development with <c>DataRights:DevSignIn=true</c>): <c>/dev/mail</c> lists the file outbox newest first and shows each message with
/// its links clickable; <c>/dev/mail.json</c> returns the same as JSON. Never mapped elsewhere.
/// </summary>
public static class DevMailEndpoints
{
    public static IEndpointRouteBuilder MapDevMail(this WebApplication app)
    {
        if (!Hosting.DevSignIn.IsOn(app.Environment, app.Configuration))
        {
            return app;
        }

        app.MapGet("/dev/mail.json", (FileMailOutbox outbox) => TypedResults.Ok(OutboxReader.List(outbox.Folder)
            .Select(m => new { m.File, m.To, m.Subject, m.SentAt, m.RequestId, m.Links }))).ExcludeFromDescription();
        app.MapGet("/dev/mail", (HttpContext context, FileMailOutbox outbox) =>
        {
            var messages = OutboxReader.List(outbox.Folder);
            var rows = Html.Join(messages.Select(m => Html.Of(
                $"""<li><a href="/dev/mail/{m.File}">{m.Subject}</a><br><span class="hint">to {m.To}, {m.SentAt:d MMM yyyy HH:mm:ss} UTC</span></li>""")));
            return Layout.Page(context, "Mail outbox", Html.Of($"""
                <h1>Mail outbox</h1>
                <p>Development only: the messages DataRights has written to {outbox.Folder}, newest first.</p>
                {(messages.Count == 0 ? Html.Of($"<p>No messages yet.</p>") : Html.Of($"<ol class=\"timeline\">{rows}</ol>"))}
                """));
        }).ExcludeFromDescription();
        app.MapGet("/dev/mail/{file}", Results<ContentHttpResult, NotFound> (string file, HttpContext context, FileMailOutbox outbox) =>
        {
            var path = Path.Combine(outbox.Folder, file);
            if (!file.EndsWith(".eml", StringComparison.Ordinal) || file != Path.GetFileName(file) || !File.Exists(path))
            {
                return TypedResults.NotFound();
            }

            var m = OutboxReader.Read(path);
            var body = Html.Join(m.Text.Split("\r\n").Select(line => Html.Of($"{Linkify(line)}<br>\n")));
            return (ContentHttpResult)Layout.Page(context, m.Subject, Html.Of($"""
                <p><a href="/dev/mail">All messages</a></p>
                <h1>{m.Subject}</h1>
                <dl class="summary"><dt>To</dt><dd>{m.To}</dd><dt>Sent</dt><dd>{m.SentAt:d MMMM yyyy HH:mm:ss} UTC</dd><dt>File</dt><dd>{m.File}</dd></dl>
                <div class="mail">{body}</div>
                """));
        }).ExcludeFromDescription();
        return app;
    }

    private static HtmlString Linkify(string line)
    {
        var parts = new List<HtmlString>();
        var last = 0;
        foreach (System.Text.RegularExpressions.Match match in OutboxReader.Link().Matches(line))
        {
            parts.Add(Html.Of($"{line[last..match.Index]}"));
            parts.Add(Html.Of($"""<a href="{match.Value}">{match.Value}</a>"""));
            last = match.Index + match.Length;
        }

        parts.Add(Html.Of($"{line[last..]}"));
        return Html.Join(parts);
    }
}
