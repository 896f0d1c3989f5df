namespace DataRights.Host.Pages;

/// <summary>
/// The page shown after every valid submission of the form, the same whatever became of it (a new request, a repeat of
/// one the address has waiting, the address's limit reached): it names no reference, link or address, so it tells
/// whoever sent the form nothing about the address. The email to the address has the reference and the links.
/// </summary>
public static class ConfirmationView
{
    public static HtmlString Render() => Html.Of($"""
        <div class="panel" role="status">
        <h1>Check your email</h1>
        </div>
        <p>Thank you. We will email the address you gave. Please open the link in that email to confirm that this request came from you: we cannot start until you do.</p>
        <p>The email gives your reference, the date we must reply by, and a private link to follow your request.</p>
        <p>If nothing arrives within an hour, check your spam folder. If you asked us recently, use the link in our earlier email.</p>
        """);
}
