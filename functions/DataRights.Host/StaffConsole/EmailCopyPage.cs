using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Host.Pages;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// <c>/staff/requests/{id}/emails/{messageId}</c>: the copy kept of one email sent about the request: when, to whom,
/// the subject and the plain-text body, its links replaced by what they were for. Approvers and administrators.
/// </summary>
public static class EmailCopyPage
{
    public static async Task<IResult> ShowAsync(string id, string messageId, HttpContext context, ISentEmailCopies copies, ILogger<ConsoleAccessLog> logger)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        // The copy is looked up in this request's own records, so another request's message id is not found here.
        if (await copies.FindAsync(id, messageId, context.RequestAborted) is not { } copy)
        {
            return ConsoleLayout.Page(context, "Email not found", user, csrf: null, Html.Of($"""
                <h1>Email not found</h1>
                <p>No copy of this email is kept with this request. <a href="{ConsoleRoutes.Request(id)}">Back to the request</a></p>
                """), StatusCodes.Status404NotFound);
        }

        logger.EmailCopyRead(id);
        return ConsoleLayout.Page(context, "Email: " + copy.Subject, user, csrf: null, Html.Of($"""
            <p><a href="{ConsoleRoutes.Request(id)}#emails-sent">Back to the request</a></p>
            <h1>Email sent: {copy.Subject}</h1>
            <dl class="summary">
            <dt>Sent</dt><dd><time datetime="{copy.SentAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)}">{ConsoleTexts.Time(copy.SentAt)}</time></dd>
            <dt>To</dt><dd>{Audience(copy.Audience)} ({copy.To})</dd>
            <dt>Subject</dt><dd>{copy.Subject}</dd>
            </dl>
            <h2 id="email-body">The message</h2>
            <p class="hint">The plain-text part as it was sent. Its links are not kept: each carried a single-use key for its reader, so it is replaced by what it was for.</p>
            <pre class="email-copy">{copy.Body}</pre>
            """));
    }

    /// <summary>Who an email was for, in words.</summary>
    public static string Audience(EmailAudience audience) => audience switch
    {
        EmailAudience.Requester => "The requester",
        EmailAudience.Approvers => "The approvers",
        EmailAudience.PrivacyTeam => "The privacy team",
        EmailAudience.SourceOwner => "A system's owner",
        EmailAudience.DataRecipient => "A recipient of the data",
        _ => "Someone else",
    };
}
