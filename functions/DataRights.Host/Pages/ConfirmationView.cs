using DataRights.Core.Requests;

namespace DataRights.Host.Pages;

/// <summary>The page shown after a successful submission, and the one shown for a repeat (without the status link).</summary>
public static class ConfirmationView
{
    public static HtmlString Render(DataSubjectRequest request, string statusUrl) => Html.Of($"""
        <div class="panel" role="status">
        <h1>Request received</h1>
        <p>Your reference is</p>
        <p class="reference">{request.Reference}</p>
        </div>
        <h2>Check your email</h2>
        <p>We have sent a link to {request.Email}. Please open it to confirm that this request came from you: we cannot start until you do.</p>
        <p>Keep this reference: quote it if you contact us about this request.</p>
        <dl class="summary">
        <dt>Your request</dt><dd>{RequestTexts.Describe(request.Type).Label}</dd>
        <dt>Received</dt><dd>{RequestTexts.LongDate(request.Deadline.ReceivedOn)}</dd>
        <dt>We must reply by</dt><dd>{RequestTexts.LongDate(request.Deadline.DueOn)}</dd>
        </dl>
        <h2>Follow your request</h2>
        <p>This private link shows the progress of your request. Anyone with the link can see the progress (but not your details), so keep it to yourself.</p>
        <p class="link-box"><a href="{statusUrl}">{statusUrl}</a></p>
        """);

    /// <summary>A repeat of a request we hold: the link went to the address on the request, never to this page.</summary>
    public static HtmlString RenderRepeat(string message) => Html.Of($"""
        <div class="panel" role="status">
        <h1>We already have this request</h1>
        </div>
        <p>{message}</p>
        <p>If you did not get the email, check your spam folder. If you still need help, contact us.</p>
        """);
}
